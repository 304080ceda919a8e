"""The emails an order sends its customer, in the order's language.

`order_email_send` is what the order tasks call (from transaction.on_commit). It is
idempotent: each email sent is recorded as one of Oscar's CommunicationEvents on the
order, and an email whose event already exists is not sent again, so a retried or
twice-delivered task sends it once.

The idempotency key is the event type's code: ORDER_<KIND> (ORDER_RECEIVED,
ORDER_PAYMENT_RECEIVED, …) for the emails an order sends once. An order can be
refunded several times, and each refund deserves its email, so a refund's key also
carries the cumulative refunded total after it (ORDER_REFUNDED_150000): that total only
grows (amount_refunded never decreases), so it names each refund uniquely and a retried
task of the same refund finds its event. One event type exists per distinct total, not
per order.

The order row is locked (PostgreSQL) while the email is checked, sent and recorded, so
two workers running the same task cannot both send it. If sending fails nothing is
recorded and the task's retry sends it; if the database fails after the mail server
accepted the message, the retry sends it again (at least once, never silently lost)."""

import logging
import re
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from oscar.core.loading import get_model

from sales_points.selectors import outlet_prefetches
from shop.order.statuses import order_status_url, status_label

Order = get_model("order", "Order")
CommunicationEvent = get_model("order", "CommunicationEvent")
CommunicationEventType = get_model("communication", "CommunicationEventType")
Email = get_model("communication", "Email")

logger = logging.getLogger(__name__)

EMAIL_KINDS = (
    "received",
    "payment_received",
    "ready_for_pickup",
    "dispatched",
    "cancelled",
    "refunded",
)
TEMPLATE = "shop/emails/order_{kind}_{part}"
# Names of the event types in Oscar's dashboard (data, like the codes: not translated).
EVENT_NAMES = {
    "received": "Order received (email)",
    "payment_received": "Order payment received (email)",
    "ready_for_pickup": "Order ready for pickup (email)",
    "dispatched": "Order dispatched (email)",
    "cancelled": "Order cancelled (email)",
    "refunded": "Order refunded (email)",
}


class UnknownEmailKind(ValueError):
    pass


def _amount_code(amount: Decimal) -> str:
    """150000 -> '150000', 150000.5 -> '150000_50' (codes allow A-Z, 0-9 and _)."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:f}".replace(".", "_")


def email_event_code(kind: str, refunded_total: Decimal | None = None) -> str:
    """The idempotency key of an email: ORDER_<KIND>, ORDER_REFUNDED_<total> for a
    refund."""
    code = f"ORDER_{kind.upper()}"
    if kind == "refunded":
        code = f"{code}_{_amount_code(refunded_total or 0)}"
    return code


def _event_type(kind: str, code: str) -> CommunicationEventType:
    name = EVENT_NAMES[kind]
    if kind == "refunded":
        name = f"{name}: {code.removeprefix('ORDER_REFUNDED_').replace('_', '.')}"
    event_type, _created = CommunicationEventType.objects.get_or_create(
        code=code,
        defaults={"name": name, "category": CommunicationEventType.ORDER_RELATED},
    )
    return event_type


def _order_for_email(order_id: int) -> Order:
    """The order, locked, with what the templates read: its user, lines, delivery
    address and outlet with the outlet's hours and coming closures (4 queries)."""
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related(
            "user",
            "fulfilment_outlet",
            "shipping_address__country",
            "shipping_address__province",
            "shipping_address__commune",
        )
        .prefetch_related(
            "lines", "surcharges", *outlet_prefetches("fulfilment_outlet")
        )
        .get(pk=order_id)
    )


def _language(order: Order) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return order.language if order.language in codes else settings.LANGUAGE_CODE


def order_email_context(
    order: Order, *, kind: str, amount=None, refunded_total=None
) -> dict:
    """What the email templates read. `amount`: the refund's (refunded) or the
    payment's (payment_received, default amount_paid); `amount_due`: what is left to
    pay while the payment is pending (cash on delivery, at pickup)."""
    if kind == "payment_received" and amount is None:
        amount = order.amount_paid
    pending = order.payment_state == Order.PaymentState.PENDING
    return {
        "order": order,
        "kind": kind,
        "lines": list(order.lines.all()),
        "status": status_label(order.status),
        "outlet": order.fulfilment_outlet,
        "is_pickup": order.delivery == Order.Delivery.PICKUP,
        "amount": amount,
        "refunded_total": (
            order.amount_refunded if refunded_total is None else refunded_total
        ),
        "amount_due": max(order.total_incl_tax - order.amount_paid, 0)
        if pending
        else 0,
        "to_refund": order.amount_paid > order.amount_refunded,
        "status_url": order_status_url(order, _language(order)),
        "shop_name": settings.OSCAR_SHOP_NAME,
    }


def _tidy(text: str) -> str:
    """Plain text from a template: no trailing spaces, at most one blank line."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def order_email_render(
    order: Order, *, kind: str, amount=None, refunded_total=None
) -> dict[str, str]:
    """{'subject', 'body', 'html'} of one email, in the order's language."""
    if kind not in EMAIL_KINDS:
        raise UnknownEmailKind(kind)
    with translation.override(_language(order)):
        context = order_email_context(
            order, kind=kind, amount=amount, refunded_total=refunded_total
        )
        subject, body, html = (
            render_to_string(TEMPLATE.format(kind=kind, part=part), context)
            for part in ("subject.txt", "body.txt", "body.html")
        )
    # A header cannot span lines.
    return {"subject": " ".join(subject.split()), "body": _tidy(body), "html": html}


def order_email_send(
    *,
    order_id: int,
    kind: str,
    amount: Decimal | str | None = None,
    refunded_total: Decimal | str | None = None,
) -> bool:
    """Send the order's `kind` email unless it was sent already; True when sent.

    For "refunded", `amount` is this refund's amount (shown in the email) and
    `refunded_total` the order's amount_refunded right after it (the idempotency key);
    leave it out and the order's current amount_refunded is used, which merges two
    refunds made before the first task runs into one email."""
    if kind not in EMAIL_KINDS:
        raise UnknownEmailKind(kind)
    # Celery hands amounts over as strings (JSON): Decimal("150000"), not a float.
    amount = None if amount is None else Decimal(str(amount))
    refunded_total = None if refunded_total is None else Decimal(str(refunded_total))
    with transaction.atomic():
        order = _order_for_email(order_id)
        recipient = order.email
        if not recipient:
            logger.warning("Order %s has no email address: %s not sent", order.pk, kind)
            return False
        if kind == "refunded" and refunded_total is None:
            refunded_total = order.amount_refunded
        event_type = _event_type(kind, email_event_code(kind, refunded_total))
        if order.communication_events.filter(event_type=event_type).exists():
            return False
        messages = order_email_render(
            order, kind=kind, amount=amount, refunded_total=refunded_total
        )
        message = EmailMultiAlternatives(
            messages["subject"],
            messages["body"],
            from_email=settings.OSCAR_FROM_EMAIL,
            to=[recipient],
        )
        message.attach_alternative(messages["html"], "text/html")
        message.send()
        CommunicationEvent.objects.create(order=order, event_type=event_type)
        if order.user_id and getattr(settings, "OSCAR_SAVE_SENT_EMAILS_TO_DB", True):
            # The member's account lists the emails it was sent (Oscar's Email).
            Email.objects.create(
                user=order.user,
                email=recipient,
                subject=messages["subject"],
                body_text=messages["body"],
                body_html=messages["html"],
            )
    return True
