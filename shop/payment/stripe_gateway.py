"""Everything that talks to Stripe (or to localstripe, its stand-in, when
STRIPE_API_BASE is set). Amounts cross this boundary in whole VND only."""

from decimal import Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

# Stripe treats VND as a zero-decimal currency: 1,250,000 ₫ is amount=1250000.
CURRENCY = "vnd"


class PaymentGatewayError(Exception):
    """Stripe refused or could not be reached; `message` is safe to show a buyer."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


def vnd_to_stripe_amount(amount) -> int:
    """Oscar keeps prices with two decimals; Stripe wants whole đồng. A fraction of a
    đồng is a bug upstream, never rounded away silently."""
    value = Decimal(amount)
    if value != value.to_integral_value():
        raise ValueError(f"{amount} VND is not a whole number of đồng")
    if value <= 0:
        raise ValueError(f"{amount} VND is not a payable amount")
    return int(value)


def stripe_amount_to_vnd(amount: int) -> Decimal:
    return Decimal(int(amount))


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=2,
    )


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.CardError as error:
        raise PaymentGatewayError(
            error.user_message or str(error), code=error.code or "card_error"
        ) from error
    except stripe.APIConnectionError as error:
        raise PaymentGatewayError(
            _(
                "The payment service cannot be reached; nothing was charged. "
                "Please try again in a moment."
            ),
            code="unreachable",
        ) from error
    except stripe.StripeError as error:
        raise PaymentGatewayError(
            error.user_message or _("The payment service is unavailable."),
            code=error.code or "stripe_error",
        ) from error


def payment_intent_create(*, order_number: str, amount_vnd, email: str = ""):
    """One intent per order: the idempotency key is derived from the order number, so
    a retried request (or two tabs) cannot create a second one."""
    params = {
        "amount": vnd_to_stripe_amount(amount_vnd),
        "currency": CURRENCY,
        "metadata": {"order_number": order_number},
    }
    if not settings.STRIPE_API_BASE:  # localstripe knows neither field
        params["automatic_payment_methods"] = {"enabled": True}
        params["receipt_email"] = email or None
    return _call(
        client().v1.payment_intents.create,
        params=params,
        options={"idempotency_key": f"ocop-order-{order_number}-intent"},
    )


def payment_intent_retrieve(intent_id: str):
    return _call(client().v1.payment_intents.retrieve, intent_id)


def payment_intent_confirm(intent_id: str, *, payment_method: str):
    """Confirm with a card the browser tokenised (the stand-in Stripe.js path)."""
    stripe_client = client()
    _call(
        stripe_client.v1.payment_intents.update,
        intent_id,
        params={"payment_method": payment_method},
    )
    return _call(stripe_client.v1.payment_intents.confirm, intent_id)


def payment_intent_cancel(intent_id: str):
    return _call(client().v1.payment_intents.cancel, intent_id)


def refund_create(*, intent_id: str, amount_vnd, idempotency_key: str):
    return _call(
        client().v1.refunds.create,
        params={
            "payment_intent": intent_id,
            "amount": vnd_to_stripe_amount(amount_vnd),
        },
        options={"idempotency_key": idempotency_key},
    )


def webhook_event_construct(payload: bytes, signature: str | None):
    """The event, if Stripe signed it with our secret within the last five minutes;
    raises ValueError or stripe.SignatureVerificationError otherwise."""
    return stripe.Webhook.construct_event(
        payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=300
    )
