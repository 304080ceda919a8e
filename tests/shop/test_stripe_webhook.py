"""The Stripe webhook: signed, fresh and new events change orders; nothing else does."""

import time

import pytest
from oscar.core.loading import get_model

from tests.factories import create_product
from tests.shop.orders import (
    basket_with,
    intent_for,
    outlet,
    pickup,
    place,
    signed_event,
    stocked,
)

Order = get_model("order", "Order")
StripeEvent = get_model("payment", "StripeEvent")
URL = "/payments/stripe/webhook/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def card_order():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 3)
    return place(basket_with((tea, 1)), pickup(shop, "card"))


def post(client, payload, signature):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(URL, payload, content_type="application/json", **headers)


def test_a_signed_payment_event_marks_the_order_paid(client, card_order):
    payload, signature = signed_event(
        "payment_intent.succeeded", intent_for(card_order)
    )

    response = post(client, payload, signature)

    assert response.status_code == 200
    card_order.refresh_from_db()
    assert (card_order.status, card_order.payment_state) == ("received", "paid")
    assert StripeEvent.objects.get().order == card_order


def test_the_same_event_replayed_is_acknowledged_and_changes_nothing(
    client, card_order
):
    payload, signature = signed_event(
        "payment_intent.succeeded", intent_for(card_order)
    )
    post(client, payload, signature)

    response = post(client, payload, signature)

    assert response.status_code == 200 and response.content == b"duplicate"
    assert StripeEvent.objects.count() == 1
    assert card_order.sources.get().amount_debited == card_order.total_incl_tax


@pytest.mark.parametrize(
    "forge",
    [
        lambda payload, signature: (payload, None),  # missing
        lambda payload, signature: (payload, "t=1,v1=deadbeef"),  # wrong
        lambda payload, signature: (
            payload.replace(b"succeeded", b"succeedex"),
            signature,
        ),
        lambda payload, signature: signed_event(  # signed with another secret
            "payment_intent.succeeded", {}, secret="whsec_someone_else"
        ),
        lambda payload, signature: signed_event(  # stale: ten minutes old
            "payment_intent.succeeded", {}, timestamp=int(time.time()) - 600
        ),
    ],
    ids=["missing", "wrong", "tampered", "other-secret", "stale"],
)
def test_forged_or_stale_events_are_refused_and_nothing_is_written(
    client, card_order, forge
):
    payload, signature = forge(
        *signed_event("payment_intent.succeeded", intent_for(card_order))
    )

    response = post(client, payload, signature)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    card_order.refresh_from_db()
    assert card_order.payment_state == "pending"


def test_the_webhook_takes_only_post(client):
    assert client.get(URL).status_code == 405


def test_a_refund_reported_by_stripe_raises_the_refunded_amount(client, card_order):
    paid, sig = signed_event(
        "payment_intent.succeeded", intent_for(card_order), event_id="evt_a"
    )
    post(client, paid, sig)
    charge = {
        "id": "ch_1", "object": "charge", "payment_intent": card_order.stripe_payment_intent,
        "amount_refunded": 50000, "metadata": {"order_number": card_order.number},
    }  # fmt: skip

    payload, signature = signed_event("charge.refunded", charge, event_id="evt_b")
    post(client, payload, signature)

    card_order.refresh_from_db()
    assert (card_order.amount_refunded, card_order.payment_state) == (
        50000, "partly_refunded",
    )  # fmt: skip


def test_the_demo_points_localstripe_at_our_webhook(stripe_api, settings):
    from django.core.management import CommandError, call_command

    call_command("localstripe_setup", site="http://127.0.0.1:8000", wait=5)

    settings.STRIPE_API_BASE = ""
    with pytest.raises(CommandError):
        call_command("localstripe_setup", wait=0)
