"""The writers of orders: placement (every line held at one outlet, or none), payment
state (forward only), pickup and delivery hand-over, cancellation, refunds.

Lock order, everywhere: the basket row, then the order row, then stock records in
primary-key order (sales_points.services). Code that already holds stock records never
waits for an order row (it skips locked ones), so no cycle can form."""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

from sales_points import services as stock
from sales_points.exceptions import LinesUnavailable
from sales_points.models import SalesPoint
from shop.order.selectors import orders_with_expired_hold
from shop.order.statuses import status_label
from shop.payment import stripe_gateway
from shop.task_outbox import task_send_on_commit

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Selector = get_class("partner.strategy", "Selector")
Line = get_model("order", "Line")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
ShippingAddress = get_model("order", "ShippingAddress")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Applicator = get_class("offer.applicator", "Applicator")

State = Order.PaymentState
PENDING_PAYMENT, RECEIVED, READY = "pending_payment", "received", "ready_for_pickup"
DISPATCHED, COLLECTED, DELIVERED, CANCELLED = (
    "dispatched", "collected", "delivered", "cancelled",
)  # fmt: skip


class CheckoutError(Exception):
    """The order cannot be placed; `message` is for the buyer."""

    def __init__(
        self, message: str, *, shortages: dict | None = None, order=None,
        total_changed: bool = False,
    ):  # fmt: skip
        super().__init__(message)
        self.message = message
        self.shortages = shortages or {}
        self.order = order
        self.total_changed = total_changed


class OrderActionError(Exception):
    """A staff action that does not fit the order's state; the message is for staff."""


@dataclass
class Checkout:
    """What the buyer chose, as the checkout views collected it."""

    email: str
    phone: str
    delivery: str  # Order.Delivery
    outlet: SalesPoint
    payment_method: str  # Order.PaymentMethod
    shipping_method: object
    shipping_address: dict | None = None
    language: str = "vi"


def basket_quantities(basket) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for line in basket.all_lines():
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    return quantities


def _order_number(basket) -> str:
    """100000 + basket id, as Oscar numbers orders; a basket reopened after a declined
    card gets "-2", "-3"… (each attempt is its own order and Stripe intent)."""
    base = str(100000 + basket.pk)
    attempts = Order.objects.filter(basket_id=basket.pk).count()
    return base if attempts == 0 else f"{base}-{attempts + 1}"


def _check_basket(basket) -> None:
    if basket.is_empty:
        raise CheckoutError(_("Your basket is empty."))
    limit = settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD
    for line in basket.all_lines():
        if not 0 < line.quantity <= limit:
            raise CheckoutError(
                _("You can order at most %(limit)s units of one product.")
                % {"limit": limit}
            )
        availability = line.purchase_info.availability
        if not availability.is_available_to_buy:
            raise CheckoutError(
                _("%(title)s cannot be bought: %(reason)s")
                % {"title": line.product.get_title(), "reason": availability.message}
            )


def order_place(
    *, basket, user, checkout: Checkout, request=None, expected_total=None
) -> Order:
    """Place the basket as an order fulfilled by `checkout.outlet`: prices and totals
    recomputed here, every line held there or none (CheckoutError names the short
    lines), the basket frozen while a card payment is in progress."""
    place = partial(
        _order_place, basket=basket, user=user, checkout=checkout, request=request,
        expected_total=expected_total,
    )  # fmt: skip
    try:
        try:
            return place()
        except LinesUnavailable:
            # Holds that expired still count as stock: release them, try once more.
            if not holds_release_expired(sales_point=checkout.outlet):
                raise
        return place()
    except LinesUnavailable as error:
        raise _shortage_error(error, basket) from error


def _shortage_error(error: LinesUnavailable, basket) -> CheckoutError:
    titles = {line.product_id: line.product.get_title() for line in basket.all_lines()}
    named = ", ".join(
        _("%(title)s (%(available)s left)")
        % {"title": titles.get(pk, pk), "available": max(available, 0)}
        for pk, (available, _wanted) in error.shortages.items()
    )
    return CheckoutError(
        _("Sorry, not enough left at this outlet: %(lines)s. Nothing was charged.")
        % {"lines": named},
        shortages=error.shortages,
    )


def _order_place(
    *, basket, user, checkout: Checkout, request=None, expected_total=None
) -> Order:
    with transaction.atomic():
        locked = Basket.objects.select_for_update().get(pk=basket.pk)
        if locked.status != Basket.OPEN:
            pending = Order.objects.filter(basket_id=basket.pk).order_by("-pk").first()
            raise CheckoutError(
                _("This basket is already being paid for in another window."),
                order=pending,
            )
        basket = locked
        basket.strategy = Selector().strategy(request=request, user=user)
        # Offers and vouchers as the basket page applied them, on this locked copy.
        Applicator().apply(basket, user, request)
        _check_basket(basket)
        quantities = basket_quantities(basket)
        number = _order_number(basket)
        reference = f"order {number}"
        stock.stock_allocate_lines(
            sales_point=checkout.outlet, quantities=quantities, reference=reference
        )
        records = stock._locked(
            partner_id=checkout.outlet.partner_id, product_ids=list(quantities)
        )
        shipping_charge = checkout.shipping_method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, shipping_charge)
        if expected_total is not None and total.incl_tax != Decimal(expected_total):
            raise CheckoutError(
                _("The total changed since you reviewed it (a price or an offer "
                  "changed): please check it again."),
                total_changed=True,
            )  # fmt: skip
        card = checkout.payment_method == Order.PaymentMethod.CARD
        address = (
            ShippingAddress(**checkout.shipping_address)
            if checkout.shipping_address
            else None
        )
        if address is not None:
            address.save()
        try:
            order = OrderCreator(stockrecords=records).place_order(
                basket=basket, total=total, shipping_method=checkout.shipping_method,
                shipping_charge=shipping_charge, user=user or AnonymousUser(),
                shipping_address=address,
                order_number=number, status=PENDING_PAYMENT if card else RECEIVED,
                request=request, guest_email="" if user and user.is_authenticated
                else checkout.email, delivery=checkout.delivery,
                fulfilment_outlet=checkout.outlet, contact_phone=checkout.phone,
                language=checkout.language, payment_method=checkout.payment_method,
                hold_expires_at=_hold_until() if card else None,
            )  # fmt: skip
        except ValueError as error:  # a single-use voucher someone else just used
            raise CheckoutError(str(error)) from error
        if card:
            basket.freeze()
        else:
            basket.submit()
        _email_on_commit(order, "received")
    return order


def _vnd(amount) -> str:
    """An amount as the site shows it in the active language (150.000 ₫)."""
    return currency(amount, "VND")


def _hold_until() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=settings.OCOP_PAYMENT_HOLD_MINUTES)


def _email_on_commit(order, kind: str, **amounts) -> None:
    """The email is sent after the commit, through the task outbox: a broker that is
    down delays it (the row waits in the database) but never loses it or fails the
    request (shop.task_outbox)."""
    from shop.order.tasks import order_email_send_task

    task_send_on_commit(order_email_send_task, order_id=order.pk, kind=kind, **amounts)


# --- Card payments -------------------------------------------------------------------


def order_payment_start(*, order) -> dict:
    """The Stripe PaymentIntent of a card order (created once, then read back; the
    idempotency key is derived from the order number), as {"id", "client_secret",
    "status"}."""
    if order.stripe_payment_intent:
        intent = stripe_gateway.payment_intent_retrieve(order.stripe_payment_intent)
        return {"id": intent.id, "client_secret": intent.client_secret,
                "status": intent.status}  # fmt: skip
    intent = stripe_gateway.payment_intent_create(
        order_number=order.number, amount_vnd=order.total_incl_tax, email=order.email
    )
    stored = Order.objects.filter(pk=order.pk, stripe_payment_intent="").update(
        stripe_payment_intent=intent.id
    )
    if not stored:  # another tab stored its intent first: that one is the order's
        order.refresh_from_db(fields=["stripe_payment_intent"])
        return order_payment_start(order=order)
    order.stripe_payment_intent = intent.id
    return {
        "id": intent.id,
        "client_secret": intent.client_secret,
        "status": intent.status,
    }


def _mismatch(order, intent: dict) -> str:
    metadata = intent.get("metadata") or {}
    problems = []
    if metadata.get("order_number") != order.number:
        problems.append(f"order number {metadata.get('order_number')!r}")
    if order.stripe_payment_intent and intent.get("id") != order.stripe_payment_intent:
        problems.append(f"intent {intent.get('id')!r}")
    if (intent.get("currency") or "").lower() != stripe_gateway.CURRENCY:
        problems.append(f"currency {intent.get('currency')!r}")
    expected = stripe_gateway.vnd_to_stripe_amount(order.total_incl_tax)
    received = intent.get("amount_received") or intent.get("amount")
    if received != expected:
        problems.append(f"amount {received} instead of {expected}")
    return "; ".join(problems)


@transaction.atomic
def order_payment_update(*, order_number: str, intent: dict) -> str:
    """Apply what Stripe says of the order's PaymentIntent (from the webhook, or read
    back when the buyer returns). Payment state only moves forward; a payment that
    does not match the order is recorded and flagged, never fulfilled."""
    order = Order.objects.select_for_update().filter(number=order_number).first()
    if order is None:
        return "unknown order"
    status = intent.get("status")
    if status == "succeeded":
        return _paid(order, intent)
    if status in ("requires_payment_method", "canceled") and (
        status == "canceled" or intent.get("last_payment_error")
    ):
        return _payment_failed(order, intent)
    return f"no change ({status})"


def _paid(order, intent: dict) -> str:
    # Money taken is recorded whatever we thought before (failed, cancelled); a paid
    # or refunded order never goes back.
    if order.payment_state not in (State.PENDING, State.FAILED, State.CANCELLED):
        return "already paid"
    amount = stripe_gateway.stripe_amount_to_vnd(
        intent.get("amount_received") or intent.get("amount") or 0
    )
    problem = _mismatch(order, intent)
    _record_card_payment(order, amount, intent.get("id", ""))
    order.payment_state = State.PAID
    order.amount_paid = amount
    if problem:
        order.flagged = _("Payment does not match the order: %(problem)s") % {
            "problem": problem
        }
        order.hold_expires_at = None  # money was taken: the expiry job leaves it be
        order.save(
            update_fields=["payment_state", "amount_paid", "flagged", "hold_expires_at"]
        )
        logger.error("order %s: payment mismatch: %s", order.number, problem)
        return "flagged: " + problem
    if order.status == CANCELLED:
        # Paid after its hold ran out and was released: hold the stock again if it is
        # still there and the buyer has not ordered the basket again; else a person
        # must refund (an order the buyer or staff cancelled never comes back).
        newer = Order.objects.filter(basket_id=order.basket_id, pk__gt=order.pk)
        if order.cancelled_because != Order.CancelledBecause.EXPIRED or (
            order.basket_id and newer.exists()
        ):
            return _flag_paid_but_cancelled(order)
        try:
            stock.stock_allocate_lines(
                sales_point=order.fulfilment_outlet, quantities=_order_quantities(order),
                reference=f"order {order.number}",
            )  # fmt: skip
        except LinesUnavailable:
            return _flag_paid_but_cancelled(order)
        order.lines.update(allocation_cancelled=False, num_allocated=F("quantity"))
        # Outside the pipeline on purpose: a cancelled order comes back only here.
        order.status_changes.create(old_status=order.status, new_status=RECEIVED)
        order.status = RECEIVED
    order.hold_expires_at = None
    order.save(
        update_fields=["payment_state", "amount_paid", "hold_expires_at", "status"]
    )
    if order.status == PENDING_PAYMENT:
        order.set_status(RECEIVED)
    if order.basket_id:  # paid for: it leaves the buyer's basket (frozen or reopened)
        Basket.objects.filter(
            pk=order.basket_id, status__in=[Basket.FROZEN, Basket.OPEN]
        ).update(status=Basket.SUBMITTED, date_submitted=timezone.now())
    _email_on_commit(order, "payment_received")
    return "paid"


def _flag_paid_but_cancelled(order) -> str:
    order.flagged = _(
        "Paid after the order was cancelled (%(why)s): refund the payment."
    ) % {"why": order.get_cancelled_because_display() or order.status}
    order.save(update_fields=["payment_state", "amount_paid", "flagged"])
    logger.error("order %s: paid after it was cancelled", order.number)
    return "flagged: paid after cancellation"


def _record_card_payment(order, amount: Decimal, reference: str) -> None:
    source_type, _created = SourceType.objects.get_or_create(
        code="stripe", defaults={"name": "Stripe"}
    )
    source, _created = Source.objects.get_or_create(
        order=order, source_type=source_type,
        defaults={"currency": "VND", "reference": reference},
    )  # fmt: skip
    source.allocate(amount, reference=reference)
    source.debit(amount, reference=reference)


def _payment_failed(order, intent: dict) -> str:
    if order.payment_state != State.PENDING or order.status != PENDING_PAYMENT:
        return "no change (not awaiting payment)"
    order.payment_state = State.FAILED
    # Cancelled, its stock released, and the basket reopened: the buyer may try
    # again with another card (a new order and intent).
    _cancel(order, because=Order.CancelledBecause.PAYMENT_FAILED)
    return "failed"


def _order_quantities(order) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for line in order.lines.all():
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    return quantities


def _release(order, *, reason: str, user=None) -> None:
    held: dict[int, int] = {}
    for line in order.lines.filter(allocation_cancelled=False, num_allocated__gt=0):
        held[line.product_id] = held.get(line.product_id, 0) + line.num_allocated
    if held and order.fulfilment_outlet_id:
        stock.stock_cancel_lines(
            sales_point=order.fulfilment_outlet, quantities=held,
            reference=f"order {order.number}: {reason}", user=user,
        )  # fmt: skip
    order.lines.update(allocation_cancelled=True)


# --- Stock holds that ran out ---------------------------------------------------------


def holds_release_expired(
    *, sales_point: SalesPoint | None = None, order_id: int | None = None, now=None
) -> int:
    """Cancel unpaid card orders whose hold has expired and release their stock; each
    in its own transaction, skipping orders another process is working on."""
    candidates = orders_with_expired_hold(now)
    if sales_point is not None:
        candidates = candidates.filter(fulfilment_outlet=sales_point)
    if order_id is not None:
        candidates = candidates.filter(pk=order_id)
    released = 0
    for order_id in candidates.values_list("pk", flat=True)[:200]:
        with transaction.atomic():
            order = (
                orders_with_expired_hold(now)
                .select_for_update(skip_locked=True)
                .filter(pk=order_id)
                .first()
            )
            if order is None:
                continue
            _cancel(order, because=Order.CancelledBecause.EXPIRED)
            released += 1
    return released


def _cancel(order, *, because: str, user=None) -> None:
    order.cancelled_because = because
    _release(order, reason=order.get_cancelled_because_display(), user=user)
    if order.payment_state == State.PENDING:
        order.payment_state = State.CANCELLED
    order.hold_expires_at = None
    order.save(update_fields=["payment_state", "hold_expires_at", "cancelled_because"])
    order.set_status(CANCELLED)
    if order.basket_id:
        Basket.objects.filter(pk=order.basket_id, status=Basket.FROZEN).update(
            status=Basket.OPEN
        )
    intent = order.stripe_payment_intent
    if intent and order.payment_method == Order.PaymentMethod.CARD:
        from shop.order.tasks import payment_intent_cancel_task

        task_send_on_commit(payment_intent_cancel_task, intent_id=intent)
    _email_on_commit(order, "cancelled")


# --- Staff actions --------------------------------------------------------------------


def _locked_order(order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))  # the order row only
        .select_related("fulfilment_outlet")
        .get(pk=order.pk)
    )


def _require(order, statuses: tuple, action: str) -> None:
    if order.status not in statuses:
        raise OrderActionError(
            _("Order %(number)s is “%(status)s”: it cannot be %(action)s.")
            % {
                "number": order.number,
                "status": status_label(order.status),
                "action": action,
            }
        )
    if order.flagged:
        raise OrderActionError(
            _("Order %(number)s is flagged for checking: %(why)s")
            % {"number": order.number, "why": order.flagged}
        )


@transaction.atomic
def order_mark_ready(*, order, user=None) -> Order:
    """A pickup order is packed and waiting at the outlet; the buyer is told."""
    order = _locked_order(order)
    if order.delivery != Order.Delivery.PICKUP:
        raise OrderActionError(_("Only pickup orders are made ready for pickup."))
    _require(order, (RECEIVED,), _("made ready"))
    order.set_status(READY)
    _email_on_commit(order, "ready_for_pickup")
    return order


@transaction.atomic
def order_payment_record(*, order, amount, user=None) -> Order:
    """Cash on delivery or at pickup, taken by staff: the whole total, once."""
    order = _locked_order(order)
    if order.payment_method == Order.PaymentMethod.CARD:
        raise OrderActionError(_("Card payments are recorded by Stripe, not by staff."))
    if order.payment_state != State.PENDING:
        raise OrderActionError(_("This order's payment is already recorded."))
    if Decimal(amount) != order.total_incl_tax:
        raise OrderActionError(
            _("The amount taken must be the order total, %(total)s.")
            % {"total": _vnd(order.total_incl_tax)}
        )
    source_type, _created = SourceType.objects.get_or_create(
        code="cash", defaults={"name": "Cash"}
    )
    source = Source.objects.create(order=order, source_type=source_type, currency="VND")
    source.allocate(order.total_incl_tax, reference=f"staff {getattr(user, 'pk', '')}")
    source.debit(order.total_incl_tax, reference=f"staff {getattr(user, 'pk', '')}")
    order.payment_state = State.PAID
    order.amount_paid = order.total_incl_tax
    order.save(update_fields=["payment_state", "amount_paid"])
    _email_on_commit(order, "payment_received")
    return order


@transaction.atomic
def order_hand_over(*, order, user=None) -> Order:
    """The buyer collects a pickup order, or a delivery order leaves the outlet: the
    held units leave the stock. A pickup order must be paid first."""
    order = _locked_order(order)
    pickup = order.delivery == Order.Delivery.PICKUP
    _require(order, (READY,) if pickup else (RECEIVED,), _("handed over"))
    if pickup and order.payment_state != State.PAID:
        raise OrderActionError(_("Record the payment before handing the order over."))
    stock.stock_consume_lines(
        sales_point=order.fulfilment_outlet, quantities=_order_quantities(order),
        reference=f"order {order.number}", user=user,
    )  # fmt: skip
    order.lines.update(num_allocated=0)
    order.set_status(COLLECTED if pickup else DISPATCHED)
    if not pickup:
        _email_on_commit(order, "dispatched")
    return order


@transaction.atomic
def order_mark_delivered(*, order, user=None) -> Order:
    order = _locked_order(order)
    _require(order, (DISPATCHED,), _("marked delivered"))
    order.set_status(DELIVERED)
    return order


@transaction.atomic
def order_cancel(
    *, order, user=None, by_buyer: bool = False, may_refund_card: bool = False
) -> Order:
    """Cancel before hand-over: the held stock is released. A card payment already
    taken is refunded in full through Stripe, which only those who may refund
    (`may_refund_card`) can do; cash taken is recorded as paid back."""
    order = _locked_order(order)
    if order.status not in (PENDING_PAYMENT, RECEIVED, READY):
        raise OrderActionError(
            _("Order %(number)s can no longer be cancelled.") % {"number": order.number}
        )
    refundable = order.amount_paid - order.amount_refunded
    if order.payment_state == State.PAID and refundable > 0:
        if order.payment_method == Order.PaymentMethod.CARD:
            if not may_refund_card:
                raise OrderActionError(
                    _("This order is paid by card: cancelling it refunds the card, "
                      "which a network manager does.")
                )  # fmt: skip
            _refund(order, refundable, user=user)
        else:
            _cash_paid_back(order, refundable, user=user)
    because = Order.CancelledBecause.BUYER if by_buyer else Order.CancelledBecause.STAFF
    _cancel(order, because=because, user=user)
    return order


def _cash_paid_back(order, amount: Decimal, *, user=None) -> None:
    order.amount_refunded += amount
    order.payment_state = State.REFUNDED
    order.save(update_fields=["amount_refunded", "payment_state"])
    source = order.sources.filter(source_type__code="cash").first()
    if source is not None:
        source.refund(amount, reference=f"cash back, staff {getattr(user, 'pk', '')}")


@transaction.atomic
def order_refund(*, order, amount, user=None) -> Order:
    """Refund part or all of a card payment through Stripe: never more than was paid,
    all refunds together."""
    order = _locked_order(order)
    _refund(order, Decimal(amount), user=user)
    return order


def _refund(order, amount: Decimal, *, user=None) -> None:
    if (
        order.payment_method != Order.PaymentMethod.CARD
        or not order.stripe_payment_intent
    ):
        raise OrderActionError(_("Only card payments are refunded through Stripe."))
    refundable = order.amount_paid - order.amount_refunded
    if amount <= 0 or amount > refundable:
        raise OrderActionError(
            _("A refund must be between 1 ₫ and the %(left)s not yet refunded.")
            % {"left": _vnd(refundable)}
        )
    # The key names the refund by what was refunded before it: a retried click is
    # the same refund, a second refund is a new one.
    stripe_gateway.refund_create(
        intent_id=order.stripe_payment_intent, amount_vnd=amount,
        idempotency_key=f"ocop-order-{order.number}-refund-{order.amount_refunded:.0f}-{amount:.0f}",
    )  # fmt: skip
    order.amount_refunded += amount
    order.payment_state = (
        State.REFUNDED if order.amount_refunded >= order.amount_paid
        else State.PARTLY_REFUNDED
    )  # fmt: skip
    order.save(update_fields=["amount_refunded", "payment_state"])
    source = order.sources.filter(source_type__code="stripe").first()
    if source is not None:
        source.refund(amount, reference=f"staff {getattr(user, 'pk', '')}")
    _email_on_commit(
        order, "refunded", amount=str(amount), refunded_total=str(order.amount_refunded)
    )


@transaction.atomic
def order_refund_observed(*, order_number: str, amount_refunded: int) -> str:
    """Stripe reports a charge's refunded total (charge.refunded): only ever raises
    ours (refunds made from our dashboard are already counted)."""
    order = Order.objects.select_for_update().filter(number=order_number).first()
    if order is None:
        return "unknown order"
    total = min(Decimal(amount_refunded), order.amount_paid)
    if total <= order.amount_refunded:
        return "no change"
    refunded_now = total - order.amount_refunded
    order.amount_refunded = total
    order.payment_state = (
        State.REFUNDED if total >= order.amount_paid else State.PARTLY_REFUNDED
    )
    order.save(update_fields=["amount_refunded", "payment_state"])
    _email_on_commit(
        order, "refunded", amount=str(refunded_now), refunded_total=str(total)
    )
    return "refund recorded"


# --- Webhook events -------------------------------------------------------------------


def stripe_event_process(event: dict) -> str:
    """Process a verified Stripe event once: the event id is stored in the same
    transaction as its effect, so a replay, or the same event delivered twice at once,
    changes nothing (the second insert waits on the first and then fails)."""
    StripeEvent = get_model("payment", "StripeEvent")
    data = event["data"]["object"]
    number = (data.get("metadata") or {}).get("order_number", "")
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: only the duplicate id is caught
                record = StripeEvent.objects.create(
                    event_id=event["id"], type=event["type"]
                )
        except IntegrityError:
            return "duplicate"
        if event["type"].startswith("payment_intent."):
            outcome = order_payment_update(order_number=number, intent=data)
        elif event["type"] == "charge.refunded":
            outcome = order_refund_observed(
                order_number=number or _number_of_intent(data),
                amount_refunded=data.get("amount_refunded", 0),
            )
        else:
            outcome = "ignored"
        record.outcome = outcome[:255]
        record.order = Order.objects.filter(number=number).first()
        record.save(update_fields=["outcome", "order"])
    return outcome


def _number_of_intent(charge: dict) -> str:
    order = Order.objects.filter(
        stripe_payment_intent=charge.get("payment_intent") or "-"
    ).first()
    return order.number if order else ""
