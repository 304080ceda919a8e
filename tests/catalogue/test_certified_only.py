"""Only products with a certificate in force can be bought: listings, product page,
basket and checkout, checked at request time (no job needs to run)."""

import datetime as dt

import pytest
from django.utils import translation
from freezegun import freeze_time

from catalogue import services
from search.outbox import outbox_drain
from tests.factories import create_product

pytestmark = pytest.mark.django_db


def add_to_basket(client, product):
    return client.post(
        f"/vi/shop/basket/add/{product.pk}/", {"quantity": 1}, HTTP_REFERER="/vi/shop/"
    )


def basket_lines(client):
    return client.get("/vi/shop/basket/").context["basket"].all_lines()


def test_listings_hide_products_without_a_certificate_in_force(client):
    certified = create_product(title="Trà có chứng nhận")
    uncertified = create_product(title="Trà chưa chứng nhận", certified=False)
    revoked = create_product(title="Trà bị thu hồi")
    services.certificate_revoke(
        certificate=revoked.certificates.get(), reason="Vi phạm"
    )
    outbox_drain()  # as the task sent after each commit does

    html = client.get("/vi/shop/").content.decode()

    assert certified.title in html
    assert uncertified.title not in html
    assert revoked.title not in html


def test_the_product_page_of_a_revoked_product_stays_up_and_says_why(client):
    product = create_product()
    services.certificate_revoke(
        certificate=product.certificates.get(), reason="Vi phạm"
    )

    with translation.override("en"):
        response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not for sale: its OCOP certificate was revoked." in html
    assert 'id="add_to_basket_form"' not in html


def test_the_basket_refuses_a_product_without_a_certificate(client):
    product = create_product(certified=False)

    add_to_basket(client, product)

    assert list(basket_lines(client)) == []


def test_a_certificate_expiring_today_changes_what_a_buyer_can_do(client):
    product = create_product()
    outbox_drain()
    expires_on = product.certificates.get().expires_on

    with freeze_time(expires_on - dt.timedelta(days=1)):
        add_to_basket(client, product)
        assert len(basket_lines(client)) == 1
        assert product.title in client.get("/vi/shop/").content.decode()

    with freeze_time(expires_on):
        assert product.title not in client.get("/vi/shop/").content.decode()
        page = client.get(product.get_absolute_url()).content.decode()
        assert "Không được bán" in page or "Not for sale" in page
        # The line already in the basket can no longer be checked out.
        response = client.get("/vi/shop/checkout/")
        assert response.status_code == 302
        assert response["Location"].endswith("/vi/shop/basket/")


def test_listing_queries_do_not_grow_with_the_number_of_products(
    client, django_assert_max_num_queries
):
    create_product(title="Một")
    outbox_drain()
    client.get("/vi/shop/")  # warm up per-process caches (site, categories)
    with django_assert_max_num_queries(40) as one:
        client.get("/vi/shop/")
    few = len(one.captured_queries)  # read now: the query log is reused below
    for n in range(11):
        create_product(title=f"Sản phẩm {n}")
    outbox_drain()
    client.get("/vi/shop/")  # the "did you mean" words are re-read after a drain

    with django_assert_max_num_queries(few):
        response = client.get("/vi/shop/")

    assert response.context["paginator"].count == 12
