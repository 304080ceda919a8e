"""The guest order-status page (number + email -> signed link) and the member's own
order history (Oscar's, with our status labels, outlet and payment state)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from shop.order.statuses import (
    STATUS_LABELS,
    order_status_path,
    order_status_token,
    status_label,
)
from tests.factories import UserFactory
from tests.shop.test_order_emails import GUEST_EMAIL, make_order, pickup_outlet

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")

NO_MATCH = "No order matches that number and email."


@pytest.fixture(autouse=True)
def no_earlier_lookups():
    """The lookup is throttled per client address; the test client is always
    127.0.0.1, and a Redis cache outlives the test run."""
    from django.core.cache import cache

    from shop.order.status_views import lookup_throttle_key

    cache.delete(lookup_throttle_key("127.0.0.1"))
    yield
    cache.delete(lookup_throttle_key("127.0.0.1"))


def lookup_url(lang="en") -> str:
    with translation.override(lang):
        return reverse("order-status")


def test_every_status_of_the_pipeline_has_a_label(settings):
    assert set(STATUS_LABELS) == set(settings.OSCAR_ORDER_STATUS_PIPELINE)
    with translation.override("en"):
        assert status_label("ready_for_pickup") == "Ready for pickup"
        assert status_label("pending_payment") == "Awaiting payment"
    assert status_label("retired_status") == "retired_status"


def test_the_lookup_form_is_shown(english_client):
    response = english_client.get(lookup_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="number"' in content
    assert 'name="email"' in content


def test_a_matching_number_and_email_lead_to_the_orders_page(english_client):
    order = make_order(language="en", outlet=pickup_outlet())
    order.set_status("ready_for_pickup")

    response = english_client.post(
        lookup_url(), {"number": " 100001 ", "email": GUEST_EMAIL.upper()}
    )

    assert response.status_code == 302
    with translation.override("en"):
        assert response["Location"] == order_status_path(order)
    page = english_client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Order 100001" in content
    assert "Ready for pickup" in content
    assert "Outlet tc-01" in content
    assert "Xóm Soi, Tân Cương" in content
    assert "Monday–Saturday: 7:30–11:30, 13:30–17:00" in content
    assert "Bring your order number, 100001." in content
    assert 'name="robots" content="noindex"' in content


@pytest.mark.parametrize(
    ("number", "email"),
    [
        ("100001", "someone.else@example.com"),  # the number exists, not the email
        ("999999", GUEST_EMAIL),  # the email exists, not the number
        ("100001", ""),
    ],
)
def test_a_mismatch_gets_one_neutral_answer(english_client, number, email):
    make_order(language="en")

    response = english_client.post(lookup_url(), {"number": number, "email": email})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Trà Tân Cương" not in content
    assert "/order-status/100001/" not in content
    if email:
        assert NO_MATCH in content


def test_the_answer_does_not_tell_whether_the_number_exists(english_client):
    make_order(language="en")

    wrong_email = english_client.post(
        lookup_url(), {"number": "100001", "email": "x@example.com"}
    )
    wrong_number = english_client.post(
        lookup_url(), {"number": "100009", "email": "x@example.com"}
    )

    def errors(response):
        form = response.context["form"]
        return form.errors.as_data().keys(), [str(e) for e in form.non_field_errors()]

    assert errors(wrong_email) == errors(wrong_number)
    assert errors(wrong_email)[1] == [NO_MATCH]


def test_the_page_shows_history_lines_totals_delivery_and_payment(english_client):
    order = make_order(
        language="en",
        payment_method=Order.PaymentMethod.CARD,
        amount_paid=Decimal("300000"),
        payment_state=Order.PaymentState.PAID,
    )
    order.set_status("dispatched")

    response = english_client.get(order_status_path(order, "en"))

    content = response.content.decode()
    assert "Order placed" in content
    assert "Dispatched" in content
    assert "Trà Tân Cương" in content
    assert "₫300,000" in content
    assert "12 Hoàng Văn Thụ" in content
    assert "Card (Stripe)" in content
    assert "Paid" in content


def test_the_page_answers_in_the_language_of_its_address(client):
    order = make_order(language="en")

    response = client.get(order_status_path(order, "vi"))

    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert "300.000\xa0₫" in response.content.decode()


def test_a_tampered_token_is_not_found(english_client):
    order = make_order(language="en")
    path = order_status_path(order, "en")
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = english_client.get(path.replace(token, tampered))

    assert response.status_code == 404


def test_a_valid_token_of_another_order_is_not_found(english_client):
    mine = make_order(number="100001", email="mine@example.com")
    make_order(number="100002", email="theirs@example.com")
    my_token = order_status_token(number=mine.number, email=mine.email)

    with translation.override("en"):
        url = reverse(
            "order-status-detail", kwargs={"number": "100002", "token": my_token}
        )
    response = english_client.get(url)

    assert response.status_code == 404


def test_a_token_for_the_right_number_but_another_email_is_not_found(english_client):
    make_order(number="100001", email="mine@example.com")
    forged = order_status_token(number="100001", email="attacker@example.com")

    with translation.override("en"):
        url = reverse(
            "order-status-detail", kwargs={"number": "100001", "token": forged}
        )

    assert english_client.get(url).status_code == 404


def test_the_page_reads_the_order_in_a_fixed_number_of_queries(
    english_client, django_assert_max_num_queries
):
    order = make_order(language="en", outlet=pickup_outlet())
    order.set_status("ready_for_pickup")
    path = order_status_path(order, "en")
    english_client.get(path)  # warm the per-process caches (site, pages)

    # The order, lines, surcharges, status changes, the outlet's hours and closures,
    # the site navigation: the same whatever the number of lines or changes.
    with django_assert_max_num_queries(8):
        response = english_client.get(path)

    assert response.status_code == 200


# --- Members: Oscar's order history ----------------------------------------------


def test_a_member_sees_only_their_own_orders(english_client):
    member, other = UserFactory(), UserFactory()
    make_order(number="100001", user=member)
    make_order(number="100002", user=other)
    make_order(number="100003")  # a guest's
    english_client.force_login(member)

    response = english_client.get("/en/shop/accounts/orders/")

    assert response.status_code == 200
    assert [o.number for o in response.context["orders"]] == ["100001"]
    assert "Received" in response.content.decode()  # our label, not the code


def test_a_members_order_page_shows_pickup_outlet_and_payment_state(english_client):
    member = UserFactory()
    order = make_order(
        number="100001",
        user=member,
        outlet=pickup_outlet(),
        payment_method=Order.PaymentMethod.AT_PICKUP,
    )
    order.set_status("ready_for_pickup")
    english_client.force_login(member)

    response = english_client.get("/en/shop/accounts/orders/100001/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Ready for pickup" in content
    assert "Outlet tc-01" in content
    assert "Pay at pickup" in content
    assert "Awaiting payment" in content
    assert "Trà Tân Cương" in content


def test_a_member_cannot_open_someone_elses_order(english_client):
    member, other = UserFactory(), UserFactory()
    make_order(number="100002", user=other)
    english_client.force_login(member)

    response = english_client.get("/en/shop/accounts/orders/100002/")

    assert response.status_code == 404


def test_links_survive_a_key_rotation_while_the_old_key_is_a_fallback(
    english_client, settings
):
    order = make_order(language="en")
    path = order_status_path(order, "en")
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = (
        "a-new-secret-key" * 4,
        [old_key],
    )
    assert english_client.get(path).status_code == 200

    settings.SECRET_KEY_FALLBACKS = []
    assert english_client.get(path).status_code == 404


def test_the_lookup_is_throttled_per_client_address(english_client):
    """Order numbers run in sequence: a buyer's email must not unlock them all."""
    order = make_order(outlet=pickup_outlet())
    tries = [
        english_client.post(lookup_url(), {"number": str(n), "email": GUEST_EMAIL})
        for n in range(900000, 900010)
    ]
    assert {t.status_code for t in tries} == {200}  # "no match", ten times

    blocked = english_client.post(
        lookup_url(), {"number": order.number, "email": GUEST_EMAIL}
    )

    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
