from django.test import RequestFactory

from shop.links import absolute_url, public_base_url


def test_a_path_goes_on_the_public_address_when_it_is_set(settings):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.example/"
    request = RequestFactory().get("/vi/")

    assert absolute_url(request, "/vi/shop/") == "https://ocop.example/vi/shop/"
    assert absolute_url(None, "/vi/shop/") == "https://ocop.example/vi/shop/"


def test_without_a_public_address_a_path_goes_on_the_requests(settings):
    settings.OCOP_PUBLIC_BASE_URL = ""
    request = RequestFactory().get("/vi/")  # to host "testserver"

    assert absolute_url(request, "/vi/shop/") == "http://testserver/vi/shop/"


def test_without_a_public_address_or_a_request_the_admin_base_is_used(settings):
    # given no public address and no request (an email being written)
    settings.OCOP_PUBLIC_BASE_URL = ""
    settings.WAGTAILADMIN_BASE_URL = "https://admin.ocop.example/"

    # then links use the address Wagtail knows the site by
    assert public_base_url() == "https://admin.ocop.example"
    assert absolute_url(None, "/en/order/") == "https://admin.ocop.example/en/order/"


def test_an_absolute_url_is_left_as_it_is(settings):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.example"

    assert (
        absolute_url(None, "https://cdn.example/a.png") == "https://cdn.example/a.png"
    )
