import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from sales_points.models import StockMovement
from shop.order import services
from shop.order.selectors import outlets_for_pickup, stockrecords_with_free
from tests.factories import create_product
from tests.sales_points.test_services import assert_ledger_adds_up
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
Basket = get_model("basket", "Basket")
State = Order.PaymentState
pytestmark = pytest.mark.django_db


def test_a_pickup_order_holds_every_line_at_the_chosen_outlet():
    shop = outlet()
    tea, honey = (
        create_product(),
        create_product(title="Mật ong", price=Decimal("90000")),
    )
    stocked(shop, tea, 5), stocked(shop, honey, 2)
    basket = basket_with((tea, 2), (honey, 1))

    order = place(basket, pickup(shop))

    assert order.status == "received"
    assert order.fulfilment_outlet == shop
    assert order.total_incl_tax == Decimal("390000")
    assert (free(shop, tea), free(shop, honey)) == (3, 1)
    assert {line.stockrecord.partner_id for line in order.lines.all()} == {
        shop.partner_id
    }
    assert Basket.objects.get(pk=basket.pk).status == Basket.SUBMITTED
    kinds = set(StockMovement.objects.values_list("kind", flat=True))
    assert StockMovement.Kind.ONLINE_ALLOCATION in kinds
    assert_ledger_adds_up()


def test_a_line_that_ran_out_is_named_and_nothing_is_held():
    shop = outlet()
    tea, honey = create_product(), create_product(title="Mật ong")
    stocked(shop, tea, 5), stocked(shop, honey, 1)
    basket = basket_with((tea, 2), (honey, 3))

    with pytest.raises(services.CheckoutError) as error:
        place(basket, pickup(shop))

    assert "Mật ong" in error.value.message and "1" in error.value.message
    assert error.value.shortages == {honey.pk: (1, 3)}
    assert (free(shop, tea), free(shop, honey)) == (5, 1)
    assert not Order.objects.exists()
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_prices_come_from_the_catalogue_not_from_the_basket_row():
    shop, tea = outlet(), create_product(price=Decimal("150000"))
    stocked(shop, tea, 5)
    basket = basket_with((tea, 1))
    # A tampered basket line price is not what the order charges.
    basket.lines.update(price_incl_tax=Decimal("1"), price_excl_tax=Decimal("1"))

    order = place(Basket.objects.get(pk=basket.pk), pickup(shop))

    assert order.total_incl_tax == Decimal("150000")


def test_more_than_the_per_order_limit_is_refused(settings):
    settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 3
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 10)
    basket = basket_with((tea, 2))
    basket.lines.update(quantity=4)

    with pytest.raises(services.CheckoutError):
        place(Basket.objects.get(pk=basket.pk), pickup(shop))
    assert free(shop, tea) == 10


def test_a_product_whose_certificate_lapsed_cannot_be_ordered():
    from catalogue import services as catalogue_services

    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    basket = basket_with((tea, 1))
    catalogue_services.certificate_revoke(
        certificate=tea.certificates.get(), reason="x"
    )

    with pytest.raises(services.CheckoutError):
        place(Basket.objects.get(pk=basket.pk), pickup(shop))
    assert free(shop, tea) == 5


def test_a_card_order_waits_for_payment_with_its_stock_held_and_basket_frozen():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    basket = basket_with((tea, 2))

    order = place(basket, pickup(shop, payment="card"))

    assert (order.status, order.payment_state) == ("pending_payment", State.PENDING)
    assert order.hold_expires_at > timezone.now() + dt.timedelta(minutes=29)
    assert free(shop, tea) == 3
    assert Basket.objects.get(pk=basket.pk).status == Basket.FROZEN


def test_a_frozen_basket_cannot_be_placed_twice():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    basket = basket_with((tea, 2))
    first = place(basket, pickup(shop, payment="card"))

    with pytest.raises(services.CheckoutError) as error:
        place(basket, pickup(shop, payment="card"))

    assert error.value.order == first
    assert free(shop, tea) == 3
    assert Order.objects.count() == 1


def test_stock_held_past_its_time_is_free_before_the_job_runs():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 2)
    stale = place(basket_with((tea, 2)), pickup(shop, payment="card"))
    Order.objects.filter(pk=stale.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    # Shown as available, and an order can take it.
    assert shop in outlets_for_pickup({tea.pk: 2})
    record = stockrecords_with_free().get(partner=shop.partner, product=tea)
    assert record.free == 2
    order = place(basket_with((tea, 2)), pickup(shop))

    assert order.status == "received"
    stale.refresh_from_db()
    assert (stale.status, stale.payment_state) == ("cancelled", State.CANCELLED)
    assert_ledger_adds_up()


def test_the_expiry_job_cancels_unpaid_orders_and_releases_their_stock():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    basket = basket_with((tea, 2))
    order = place(basket, pickup(shop, payment="card"))
    fresh = place(basket_with((tea, 1)), pickup(shop, payment="card"))
    Order.objects.filter(pk=order.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    assert services.holds_release_expired() == 1

    order.refresh_from_db()
    assert order.status == "cancelled" and free(shop, tea) == 2
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN  # can buy again
    fresh.refresh_from_db()
    assert fresh.status == "pending_payment"
    assert services.holds_release_expired() == 0
    assert_ledger_adds_up()


def test_payment_succeeded_marks_paid_once_and_only_forward():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 1)), pickup(shop, payment="card"))

    assert (
        services.order_payment_update(
            order_number=order.number, intent=intent_for(order)
        )
        == "paid"
    )
    assert (
        services.order_payment_update(
            order_number=order.number, intent=intent_for(order)
        )
        == "already paid"
    )
    failed = intent_for(order, status="requires_payment_method",
                        last_payment_error={"message": "declined"})  # fmt: skip
    services.order_payment_update(order_number=order.number, intent=failed)

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("received", State.PAID)
    assert order.amount_paid == order.total_incl_tax and order.hold_expires_at is None
    assert order.sources.get().amount_debited == order.total_incl_tax
    assert free(shop, tea) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 1000, "amount_received": 1000},
        {"currency": "usd"},
        {"metadata": {"order_number": "999999"}},
    ],
)
def test_a_payment_that_does_not_match_the_order_is_flagged_not_fulfilled(change):
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 1)), pickup(shop, payment="card"))
    Order.objects.filter(pk=order.pk).update(stripe_payment_intent="pi_x")
    order.refresh_from_db()

    outcome = services.order_payment_update(
        order_number=order.number, intent=intent_for(order, **change)
    )

    order.refresh_from_db()
    assert outcome.startswith("flagged")
    assert order.flagged and order.status == "pending_payment"
    with pytest.raises(services.OrderActionError):
        services.order_mark_ready(order=order)


def test_a_declined_payment_cancels_releases_and_reopens_the_basket():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    basket = basket_with((tea, 2))
    order = place(basket, pickup(shop, payment="card"))
    declined = intent_for(order, status="requires_payment_method",
                          last_payment_error={"message": "Your card was declined."})  # fmt: skip

    assert (
        services.order_payment_update(order_number=order.number, intent=declined)
        == "failed"
    )

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("cancelled", State.FAILED)
    assert free(shop, tea) == 3
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN
    # A second attempt is a new order with its own number.
    retry = place(Basket.objects.get(pk=basket.pk), pickup(shop, payment="card"))
    assert retry.number == f"{order.number}-2"
    assert_ledger_adds_up()


def test_paid_after_the_hold_expired_holds_the_stock_again_when_it_is_there():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 2)), pickup(shop, payment="card"))
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now())
    services.holds_release_expired()

    services.order_payment_update(order_number=order.number, intent=intent_for(order))

    order.refresh_from_db()
    assert (order.status, order.payment_state, order.flagged) == (
        "received",
        State.PAID,
        "",
    )
    assert free(shop, tea) == 1
    assert_ledger_adds_up()


def test_paid_after_the_hold_expired_and_the_stock_sold_is_flagged_for_a_refund():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 2)
    order = place(basket_with((tea, 2)), pickup(shop, payment="card"))
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now())
    place(basket_with((tea, 2)), pickup(shop))  # takes the released units

    services.order_payment_update(order_number=order.number, intent=intent_for(order))

    order.refresh_from_db()
    assert order.payment_state == State.PAID and order.status == "cancelled"
    assert order.flagged  # a person refunds it
    assert free(shop, tea) == 0
    assert_ledger_adds_up()


def test_pickup_ready_paid_and_handed_over_consumes_the_held_units():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 2)), pickup(shop))

    with pytest.raises(services.OrderActionError):  # not ready yet
        services.order_hand_over(order=order)
    services.order_mark_ready(order=order)
    with pytest.raises(services.OrderActionError):  # not paid yet
        services.order_hand_over(order=order)
    with pytest.raises(services.OrderActionError):  # not the total
        services.order_payment_record(order=order, amount="1000")
    services.order_payment_record(order=order, amount=str(order.total_incl_tax))
    services.order_hand_over(order=order)

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("collected", State.PAID)
    record = stocked(shop, tea, 1)
    assert (record.num_in_stock, record.num_allocated) == (2, 0)
    assert_ledger_adds_up()


def test_cancelling_a_pickup_order_releases_its_stock():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 2)), pickup(shop))

    services.order_cancel(order=order)
    with pytest.raises(services.OrderActionError):
        services.order_cancel(order=order)

    order.refresh_from_db()
    assert order.status == "cancelled" and free(shop, tea) == 3
    assert_ledger_adds_up()


def test_a_replayed_webhook_event_changes_nothing_the_second_time():
    StripeEvent = get_model("payment", "StripeEvent")
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 1)), pickup(shop, payment="card"))
    event = {"id": "evt_42", "type": "payment_intent.succeeded",
             "data": {"object": intent_for(order)}}  # fmt: skip

    assert services.stripe_event_process(event) == "paid"
    assert services.stripe_event_process(event) == "duplicate"

    assert StripeEvent.objects.get().outcome == "paid"
    assert order.sources.get().amount_debited == order.total_incl_tax


# --- Review findings: each pinned --------------------------------------------------------


def test_offers_apply_to_the_placed_order_as_the_basket_showed_them():
    from oscar.test.factories import create_offer

    create_offer()  # 20 % off everything
    shop, tea = outlet(), create_product(price=Decimal("99999"))
    stocked(shop, tea, 5)
    basket = basket_with((tea, 1))

    order = place(basket, pickup(shop), expected_total="79999")

    # 20 % off 99,999 ₫ leaves 79,999.2 ₫: the total is whole đồng, in the buyer's
    # favour (Stripe charges whole đồng).
    assert order.total_incl_tax == Decimal("79999")
    assert order.discounts.count() == 1


def test_a_total_that_changed_since_the_review_is_not_placed():
    shop, tea = outlet(), create_product(price=Decimal("150000"))
    stocked(shop, tea, 5)

    with pytest.raises(services.CheckoutError) as error:
        place(basket_with((tea, 1)), pickup(shop), expected_total="120000")

    assert error.value.total_changed and not Order.objects.exists()
    assert free(shop, tea) == 5


def test_two_lines_of_one_product_are_both_released_on_cancel():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 10)
    basket = basket_with((tea, 2))
    # A second line of the same product (Oscar keys lines by product and record).
    line = basket.lines.get()
    basket.lines.create(
        line_reference=f"{line.line_reference}-other", product=tea,
        stockrecord=line.stockrecord, quantity=3, price_currency="VND",
        price_excl_tax=line.price_excl_tax, price_incl_tax=line.price_incl_tax,
    )  # fmt: skip
    order = place(Basket.objects.get(pk=basket.pk), pickup(shop))
    assert free(shop, tea) == 5

    services.order_cancel(order=order)

    assert free(shop, tea) == 10
    assert_ledger_adds_up()


def test_a_flagged_payment_is_never_cancelled_by_the_expiry_job():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 1)), pickup(shop, payment="card"))
    services.order_payment_update(
        order_number=order.number, intent=intent_for(order, amount=1, amount_received=1)
    )
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now())

    assert services.holds_release_expired() == 0

    order.refresh_from_db()
    assert order.status == "pending_payment" and order.payment_state == State.PAID
    assert order.flagged and free(shop, tea) == 2


def test_paid_after_the_buyer_cancelled_is_flagged_for_refund_not_revived():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    basket = basket_with((tea, 1))
    order = place(basket, pickup(shop, payment="card"))
    services.order_cancel(order=order, by_buyer=True)

    outcome = services.order_payment_update(
        order_number=order.number, intent=intent_for(order)
    )

    order.refresh_from_db()
    assert outcome.startswith("flagged")
    assert (order.status, order.payment_state) == ("cancelled", State.PAID)
    assert order.flagged and free(shop, tea) == 3
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_paid_after_expiry_when_the_basket_was_ordered_again_is_flagged():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    basket = basket_with((tea, 1))
    first = place(basket, pickup(shop, payment="card"))
    Order.objects.filter(pk=first.pk).update(hold_expires_at=timezone.now())
    services.holds_release_expired()
    again = place(Basket.objects.get(pk=basket.pk), pickup(shop, payment="card"))

    services.order_payment_update(order_number=first.number, intent=intent_for(first))

    first.refresh_from_db()
    assert first.status == "cancelled" and first.flagged
    again.refresh_from_db()
    assert again.status == "pending_payment"
    assert free(shop, tea) == 4


def test_outlet_staff_cannot_refund_a_card_by_cancelling_it():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 1)), pickup(shop, payment="card"))
    services.order_payment_update(order_number=order.number, intent=intent_for(order))

    with pytest.raises(services.OrderActionError):
        services.order_cancel(order=order)

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("received", State.PAID)


def test_cancelling_an_order_paid_in_cash_records_the_cash_paid_back():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    order = place(basket_with((tea, 1)), pickup(shop))
    services.order_mark_ready(order=order)
    services.order_payment_record(order=order, amount=str(order.total_incl_tax))

    services.order_cancel(order=order)

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("cancelled", State.REFUNDED)
    assert order.amount_refunded == order.total_incl_tax
    assert free(shop, tea) == 3


def test_a_delivery_hub_that_is_no_pickup_point_still_packs_deliveries():
    from shop.order.selectors import fulfilment_outlet_choose

    hub = outlet("hub", fulfils_online_orders=True, is_pickup_point=False)
    tea = create_product()
    stocked(hub, tea, 5)

    assert fulfilment_outlet_choose({tea.pk: 2}) == hub
    assert hub not in outlets_for_pickup({tea.pk: 2})
