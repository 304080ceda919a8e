"""Checkout under concurrency, with real threads and PostgreSQL row locks: nothing is
sold twice, charged twice, or used twice."""

import pytest
from django.db import connection
from oscar.core.loading import get_model
from oscar.test.factories import VoucherFactory

from shop.order import services
from tests.factories import create_product
from tests.sales_points.test_services import assert_ledger_adds_up, race, race_all
from tests.shop.orders import (
    basket_with,
    free,
    intent_for,
    outlet,
    pickup,
    place,
    stocked,
)

Order = get_model("order", "Order")
StripeEvent = get_model("payment", "StripeEvent")
Voucher = get_model("voucher", "Voucher")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def postgres_only(request):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite has none")
    request.getfixturevalue("reference_data")


def outcomes(results) -> tuple[list, list]:
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, services.CheckoutError)]
    assert len(orders) + len(refused) == len(results), results
    return orders, refused


def test_the_last_unit_bought_by_two_buyers_at_once_goes_to_one():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 1)
    baskets = [basket_with((tea, 1)) for _ in range(2)]

    orders, refused = outcomes(
        race_all([lambda b=b: place(b, pickup(shop)) for b in baskets])
    )

    assert (len(orders), len(refused)) == (1, 1)
    assert refused[0].shortages == {tea.pk: (0, 1)}
    assert free(shop, tea) == 0
    assert_ledger_adds_up()


def test_eight_buyers_racing_for_five_units_get_five_orders():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    baskets = [basket_with((tea, 1)) for _ in range(8)]

    orders, refused = outcomes(
        race_all([lambda b=b: place(b, pickup(shop)) for b in baskets])
    )

    assert (len(orders), len(refused)) == (5, 3)
    assert free(shop, tea) == 0
    assert_ledger_adds_up()


def test_two_tabs_placing_the_same_basket_make_one_order():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    basket = basket_with((tea, 2))

    orders, refused = outcomes(race(2, lambda: place(basket, pickup(shop, "card"))))

    assert (len(orders), len(refused)) == (1, 1)
    assert refused[0].order == orders[0]  # the second tab is sent to its payment
    assert free(shop, tea) == 3
    assert_ledger_adds_up()


def test_a_single_use_voucher_redeemed_by_several_checkouts_at_once_is_used_once():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 10)
    voucher = VoucherFactory(usage=Voucher.SINGLE_USE)
    baskets = []
    for _ in range(3):
        basket = basket_with((tea, 1))
        basket.vouchers.add(voucher)
        baskets.append(basket)

    orders, refused = outcomes(
        race_all([lambda b=b: place(b, pickup(shop)) for b in baskets])
    )

    assert (len(orders), len(refused)) == (1, 2)
    assert voucher.applications.count() == 1
    assert free(shop, tea) == 9
    assert_ledger_adds_up()


def test_the_same_webhook_event_delivered_twice_at_once_is_applied_once():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 1)), pickup(shop, "card"))
    event = {"id": "evt_twice", "type": "payment_intent.succeeded",
             "data": {"object": intent_for(order)}}  # fmt: skip

    results = race(2, lambda: services.stripe_event_process(event))

    assert sorted(results) == ["duplicate", "paid"]
    order.refresh_from_db()
    assert order.payment_state == "paid"
    assert order.sources.get().amount_debited == order.total_incl_tax
    assert StripeEvent.objects.count() == 1


def test_payment_and_expiry_at_the_same_moment_never_lose_the_money():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 2)), pickup(shop, "card"))
    Order.objects.filter(pk=order.pk).update(hold_expires_at=order.date_placed)

    race_all([
        lambda: services.order_payment_update(order_number=order.number,
                                              intent=intent_for(order)),
        services.holds_release_expired,
    ])  # fmt: skip

    order.refresh_from_db()
    assert order.payment_state == "paid"
    # Either the payment came first (still held) or the hold was released and taken
    # again; both leave the order holding its units.
    assert order.status == "received" and free(shop, tea) == 1
    assert_ledger_adds_up()
