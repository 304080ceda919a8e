"""Building blocks for order tests: outlets with stock, baskets, checkouts."""

import json
import time

import stripe
from django.conf import settings
from oscar.core.loading import get_class, get_model

from sales_points import services as stock
from sales_points.models import SalesPoint
from shop.checkout.session import PickupAtOutlet
from shop.order import services
from tests.factories import unit

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Selector = get_class("partner.strategy", "Selector")
StockRecord = get_model("partner", "StockRecord")


def outlet(code="tc-01", **details) -> SalesPoint:
    fields = {
        "name_vi": f"Điểm bán {code}", "name_en": f"Outlet {code}",
        "level": SalesPoint.Level.COMMUNE, "kind": SalesPoint.Kind.COMMUNE_CENTRE,
        "region": unit("tan-cuong-2025"), "address": "Xóm Soi, Tân Cương",
        "latitude": "21.58", "longitude": "105.77",
    }  # fmt: skip
    return stock.sales_point_create(code=code, **{**fields, **details})


def stocked(sales_point, product, quantity: int):
    stock.stock_receive(sales_point=sales_point, product=product, quantity=quantity)
    return StockRecord.objects.get(partner=sales_point.partner, product=product)


def basket_with(*lines, owner=None):
    """lines: (product, quantity) pairs."""
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy(user=owner)
    for product, quantity in lines:
        basket.add_product(product, quantity)
    return basket


def pickup(sales_point, payment="at_pickup", language="vi") -> services.Checkout:
    return services.Checkout(
        email="buyer@example.com", phone="+84912345678", delivery="pickup",
        outlet=sales_point, payment_method=payment, shipping_method=PickupAtOutlet(),
        language=language,
    )  # fmt: skip


def place(basket, checkout, user=None, expected_total=None):
    return services.order_place(
        basket=basket, user=user, checkout=checkout, expected_total=expected_total
    )


def free(sales_point, product) -> int:
    record = StockRecord.objects.get(partner=sales_point.partner, product=product)
    return record.num_in_stock - (record.num_allocated or 0)


def intent_for(order, **overrides) -> dict:
    """A PaymentIntent as Stripe describes it in events, for this order."""
    amount = int(order.total_incl_tax)
    intent = {
        "id": order.stripe_payment_intent or "pi_test",
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount,
        "currency": "vnd",
        "status": "succeeded",
        "metadata": {"order_number": order.number},
    }
    intent.update(overrides)
    return intent


def signed_event(event_type: str, obj: dict, *, event_id="evt_1", secret=None,
                 timestamp=None) -> tuple[bytes, str]:  # fmt: skip
    """An event body and its Stripe-Signature header, signed as Stripe signs them."""
    payload = json.dumps(
        {"id": event_id, "object": "event", "type": event_type, "data": {"object": obj}}
    ).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = stripe.WebhookSignature._compute_signature(
        f"{timestamp}.{payload.decode()}", secret or settings.STRIPE_WEBHOOK_SECRET
    )
    return payload, f"t={timestamp},v1={signature}"
