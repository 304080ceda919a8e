import pytest
from django.core.management import call_command

from shop.demo import DEMO_LOGINS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

BACK_OFFICES = {"/dashboard/": "/dashboard/login/", "/cms-admin/": "/cms-admin/login/"}


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--seed", "42")


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_each_demo_login_opens_the_back_office_it_is_printed_with(client, demo, login):
    for path in login.where.split():
        if path not in BACK_OFFICES:
            continue
        client.logout()
        response = client.post(
            BACK_OFFICES[path], {"username": login.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, (login.username, path)
        assert client.get(path).status_code == 200, (login.username, path)


def test_the_demo_buyer_logs_in_on_the_storefront_with_the_email(client, demo):
    buyer = next(login for login in DEMO_LOGINS if login.username == "buyer")

    response = client.post(
        "/vi/shop/accounts/login/",
        {
            "login-username": buyer.email,
            "login-password": DEMO_PASSWORD,
            "login_submit": "1",
        },
    )

    assert response.status_code == 302
    assert client.get("/vi/shop/accounts/profile/").status_code == 200


def test_seed_demo_is_safe_to_re_run(demo, client):
    from oscar.core.loading import get_model
    from wagtail.models import Page

    Product = get_model("catalogue", "Product")
    counts = (Product.objects.count(), Page.objects.count())

    call_command("seed_demo", "--seed", "42")

    assert (Product.objects.count(), Page.objects.count()) == counts
    assert client.get("/vi/").status_code == 200
    assert client.get("/en/").status_code == 200
