"""Outlet staff and online orders: their own outlet's pickup and delivery orders only,
each step through shop.order.services; refunds for network managers."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop import roles
from tests.factories import UserFactory, create_product, outlet_staff
from tests.shop.orders import basket_with, free, outlet, pickup, place, stocked

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def url(name, shop, **kwargs):
    return reverse(f"outlet-dashboard:{name}", kwargs={"code": shop.code, **kwargs})


def action(client, shop, order, name, **data):
    return client.post(
        url("order-action", shop, number=order.number, action=name), data
    )


@pytest.fixture
def pickup_order():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    return shop, tea, place(basket_with((tea, 2)), pickup(shop))


def test_staff_prepare_take_cash_and_hand_over_a_pickup_order(client, pickup_order):
    shop, tea, order = pickup_order
    client.force_login(outlet_staff(shop))

    listing = client.get(url("order-list", shop)).content.decode()
    assert order.number in listing
    action(client, shop, order, "ready")
    action(client, shop, order, "paid", amount=str(int(order.total_incl_tax)))
    action(client, shop, order, "hand-over")

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("collected", "paid")
    record = tea.stockrecords.get(partner=shop.partner)
    assert (record.num_in_stock, record.num_allocated) == (3, 0)


def test_handing_over_an_unpaid_order_is_refused_with_a_message(client, pickup_order):
    shop, tea, order = pickup_order
    client.force_login(outlet_staff(shop))
    action(client, shop, order, "ready")

    response = client.post(
        url("order-action", shop, number=order.number, action="hand-over"), follow=True
    )

    order.refresh_from_db()
    assert order.status == "ready_for_pickup" and free(shop, tea) == 3
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_staff_cancel_a_pickup_order_and_its_stock_is_free_again(client, pickup_order):
    shop, tea, order = pickup_order
    client.force_login(outlet_staff(shop))

    action(client, shop, order, "cancel")

    order.refresh_from_db()
    assert order.status == "cancelled" and free(shop, tea) == 5


def test_another_outlets_staff_cannot_see_or_touch_the_order(client, pickup_order):
    shop, tea, order = pickup_order
    other = outlet("other")
    client.force_login(outlet_staff(other))

    assert order.number not in client.get(url("order-list", other)).content.decode()
    assert client.get(url("order-list", shop)).status_code == 404
    assert client.get(url("order-detail", shop, number=order.number)).status_code == 404
    assert (
        client.get(url("order-detail", other, number=order.number)).status_code == 404
    )
    assert action(client, shop, order, "cancel").status_code == 404
    assert action(client, other, order, "cancel").status_code == 404

    order.refresh_from_db()
    assert order.status == "received" and free(shop, tea) == 3


def test_buyers_get_no_outlet_order_pages(client, pickup_order):
    shop, _tea, order = pickup_order
    client.force_login(UserFactory())

    assert client.get(url("order-list", shop)).status_code == 403
    assert action(client, shop, order, "ready").status_code == 403


def test_only_network_managers_may_refund(client, pickup_order):
    shop, _tea, order = pickup_order
    Order.objects.filter(pk=order.pk).update(
        payment_method="card", payment_state="paid", amount_paid=order.total_incl_tax,
        stripe_payment_intent="pi_x",
    )  # fmt: skip
    client.force_login(outlet_staff(shop))

    assert action(client, shop, order, "refund", amount="1000").status_code == 404
    order.refresh_from_db()
    assert order.amount_refunded == 0


def test_a_refund_above_the_payment_is_refused(client, pickup_order):
    shop, _tea, order = pickup_order
    Order.objects.filter(pk=order.pk).update(
        payment_method="card", payment_state="paid", amount_paid=order.total_incl_tax,
        stripe_payment_intent="pi_x",
    )  # fmt: skip
    client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))

    action(client, shop, order, "refund", amount=str(int(order.total_incl_tax) + 1))

    order.refresh_from_db()
    assert order.amount_refunded == 0 and order.payment_state == "paid"


def test_network_managers_refund_through_stripe_never_above_what_was_paid(
    client, stripe_api, django_capture_on_commit_callbacks
):
    import requests

    from shop.order import services

    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    order = place(basket_with((tea, 2)), pickup(shop, "card"))
    services.order_payment_start(order=order)
    card = requests.post(
        f"{stripe_api}/v1/tokens",
        data={"card[number]": "4242424242424242", "card[exp_month]": "12",
              "card[exp_year]": "2031", "card[cvc]": "123", "key": "pk_test_x"},
        timeout=10,
    ).json()["card"]["id"]  # fmt: skip
    from shop.payment import stripe_gateway

    intent = stripe_gateway.payment_intent_confirm(
        order.stripe_payment_intent, payment_method=card
    )
    services.order_payment_update(order_number=order.number, intent=intent.to_dict())
    client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))

    with django_capture_on_commit_callbacks(execute=True):
        action(client, shop, order, "refund", amount="100000")
    action(client, shop, order, "refund", amount="250000")  # more than is left
    order.refresh_from_db()
    assert (order.amount_refunded, order.payment_state) == (100000, "partly_refunded")

    action(client, shop, order, "refund", amount="200000")
    order.refresh_from_db()
    assert (order.amount_refunded, order.payment_state) == (300000, "refunded")
    refunds = stripe_gateway.client().v1.refunds.list(
        params={"payment_intent": order.stripe_payment_intent}
    )
    assert sorted(r.amount for r in refunds.data) == [100000, 200000]


# --- Oscar's own order dashboard goes through the same services ----------------------


def oscar_status(client, order, status):
    return client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "change_order_status", "new_status": status},
    )


def test_cancelling_in_oscars_dashboard_releases_the_stock(client, pickup_order):
    """Oscar shows partner users their partner's orders: the outlet's staff."""
    shop, tea, order = pickup_order
    client.force_login(outlet_staff(shop))

    oscar_status(client, order, "cancelled")

    order.refresh_from_db()
    assert order.status == "cancelled" and free(shop, tea) == 5


def test_oscars_dashboard_cannot_mark_an_unpaid_card_order_received(client):
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    order = place(basket_with((tea, 1)), pickup(shop, "card"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = oscar_status(client, order, "received")

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("pending_payment", "pending")
    assert response.status_code == 302


def test_a_shipping_event_in_oscars_dashboard_is_refused(client, pickup_order):
    shop, tea, order = pickup_order
    from oscar.test.factories import ShippingEventTypeFactory

    ShippingEventTypeFactory(code="shipped", name="Shipped")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    line = order.lines.get()

    client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"line_action": "create_shipping_event", "selected_line": [line.pk],
         f"selected_line_qty_{line.pk}": 1, "shipping_event_type": "shipped"},
    )  # fmt: skip

    record = tea.stockrecords.get(partner=shop.partner)
    assert (record.num_in_stock, record.num_allocated) == (5, 2)
    assert not order.shipping_events.exists()


def test_network_managers_see_every_outlets_orders_flagged_first(client):
    shop_a, shop_b, tea = outlet("net-a"), outlet("net-b"), create_product()
    stocked(shop_a, tea, 5), stocked(shop_b, tea, 5)
    plain = place(basket_with((tea, 1)), pickup(shop_a))
    flagged = place(basket_with((tea, 1)), pickup(shop_b))
    Order.objects.filter(pk=flagged.pk).update(flagged="amount 1 instead of 150000")
    client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))

    response = client.get(reverse("outlet-dashboard:network-orders"))

    assert [o.number for o in response.context["orders"]] == [
        flagged.number,
        plain.number,
    ]
    only_flagged = client.get(
        reverse("outlet-dashboard:network-orders"), {"show": "flagged"}
    )
    assert [o.number for o in only_flagged.context["orders"]] == [flagged.number]


def test_outlet_staff_do_not_get_the_network_order_list(client, pickup_order):
    shop, _tea, _order = pickup_order
    client.force_login(outlet_staff(shop))

    assert client.get(reverse("outlet-dashboard:network-orders")).status_code == 403
