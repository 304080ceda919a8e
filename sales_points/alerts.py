"""Stock alerts: the daily low-stock digest for staff, and back-in-stock requests from
buyers. Low stock means the units free to sell are at or below the threshold (the
record's own, else OCOP_LOW_STOCK_THRESHOLD)."""

import datetime as dt
import logging
from collections import defaultdict
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.selectors import product_certification_problem
from sales_points.exceptions import StockError
from sales_points.models import BackInStockRequest, SalesPoint
from sales_points.permissions import NETWORK_PERMISSION

StockRecord = get_model("partner", "StockRecord")
User = get_user_model()
logger = logging.getLogger(__name__)


def low_stock_threshold_default() -> int:
    return getattr(settings, "OCOP_LOW_STOCK_THRESHOLD", 5)


def stock_levels(records: QuerySet) -> QuerySet:
    """Annotate stock records with `free` (not held for online orders), the
    `threshold` in force and `is_low` (1 when free is at or under the threshold)."""
    return records.annotate(
        free=F("num_in_stock") - Coalesce("num_allocated", 0),
        threshold=Coalesce("low_stock_threshold", Value(low_stock_threshold_default())),
    ).annotate(
        is_low=Case(
            When(free__lte=F("threshold"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def stockrecords_low(records: QuerySet | None = None) -> QuerySet:
    """Active outlets' stock records whose free units are at or below the threshold."""
    records = records if records is not None else StockRecord.objects.all()
    return stock_levels(records.filter(partner__sales_point__is_active=True)).filter(
        is_low=1
    )


def _digest_lines(records) -> list[str]:
    return [
        f"- {r.product.get_title()} ({r.product.upc}): "
        + _("%(free)s free to sell, threshold %(threshold)s")
        % {
            "free": r.num_in_stock - (r.num_allocated or 0),
            "threshold": r.low_stock_threshold
            if r.low_stock_threshold is not None
            else low_stock_threshold_default(),
        }
        for r in records
    ]


def low_stock_digest_send(*, today: dt.date | None = None) -> int:
    """Email each outlet's staff its low stock, and network managers the whole network's.
    Sent once a day: a re-run on the same day sends nothing."""
    today = today or timezone.localdate()
    sent_key = f"low-stock-digest:{today.isoformat()}"
    if cache.get(sent_key):
        return 0
    low = (
        stockrecords_low(StockRecord.objects.filter(partner__sales_point__isnull=False))
        .select_related("product", "partner__sales_point")
        .order_by("partner__sales_point__code", "product__title")
    )
    by_outlet: dict[SalesPoint, list] = defaultdict(list)
    for record in low:
        by_outlet[record.partner.sales_point].append(record)
    if not by_outlet:
        cache.set(sent_key, True, timeout=2 * 86400)
        return 0
    sent = 0
    staff = (
        User.objects.filter(is_active=True, partners__sales_point__in=list(by_outlet))
        .exclude(email="")
        .values_list("email", "partners__sales_point")
    )
    emails_by_outlet = defaultdict(list)
    for email, outlet_id in staff:
        emails_by_outlet[outlet_id].append(email)
    with translation.override(settings.LANGUAGE_CODE):
        for outlet, records in by_outlet.items():
            if emails_by_outlet[outlet.pk]:
                send_mail(
                    subject=_("Low stock at %(outlet)s") % {"outlet": outlet.name},
                    message="\n".join(_digest_lines(records)),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=sorted(set(emails_by_outlet[outlet.pk])),
                )
                sent += 1
        managers = _network_manager_emails()
        if managers:
            body = []
            for outlet, records in by_outlet.items():
                body += [f"{outlet.code} {outlet.name}", *_digest_lines(records), ""]
            send_mail(
                subject=_("Low stock in the network: %(n)s outlets")
                % {"n": len(by_outlet)},
                message="\n".join(body),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=managers,
            )
            sent += 1
    # Marked once sent: a failure above leaves the day open for the task's retry.
    cache.set(sent_key, True, timeout=2 * 86400)
    return sent


def _network_manager_emails() -> list[str]:
    """Everyone permissions.is_network_manager says yes to (superusers included)."""
    managers = User.objects.with_perm(
        NETWORK_PERMISSION, backend="django.contrib.auth.backends.ModelBackend"
    )
    return sorted(set(managers.exclude(email="").values_list("email", flat=True)))


def _free_at(product, sales_point) -> int:
    record = StockRecord.objects.filter(
        product=product, partner_id=sales_point.partner_id
    ).first()
    return record.num_in_stock - (record.num_allocated or 0) if record else 0


def back_in_stock_request(
    *, product, sales_point: SalesPoint, email: str, language: str
) -> BackInStockRequest:
    """A buyer asks to hear when the product is free to sell again at the outlet.
    Asking twice keeps one request."""
    problem = product_certification_problem(product)
    if problem:
        raise StockError(problem)
    if not sales_point.is_active:
        raise StockError(_("This sales point is closed."))
    if _free_at(product, sales_point) > 0:
        raise StockError(_("It is in stock there now."))
    try:
        with transaction.atomic():
            return BackInStockRequest.objects.create(
                product=product, sales_point=sales_point, email=email.strip().lower(),
                language=language,
            )  # fmt: skip
    except IntegrityError:  # the same buyer already waits for it
        return BackInStockRequest.objects.get(
            product=product, sales_point=sales_point, email=email.strip().lower(),
            notified_at__isnull=True,
        )  # fmt: skip


def back_in_stock_notify() -> int:
    """Tell every waiting buyer whose product is free to sell again at their outlet.
    Each request is marked in the same transaction as its email, and locked with
    SKIP LOCKED, so two workers never send the same one twice."""
    sent = 0
    waiting = (
        BackInStockRequest.objects.filter(notified_at__isnull=True)
        .filter(
            sales_point__is_active=True,
            sales_point__partner__stockrecords__product=F("product"),
            sales_point__partner__stockrecords__num_in_stock__gt=Coalesce(
                "sales_point__partner__stockrecords__num_allocated", 0
            ),
        )
        .values_list("pk", flat=True)
    )
    for pk in list(waiting):
        with transaction.atomic():
            request = (
                BackInStockRequest.objects.select_for_update(skip_locked=True)
                .select_related("product", "sales_point")
                .filter(pk=pk, notified_at__isnull=True)
                .first()
            )
            if request is None or product_certification_problem(request.product):
                continue
            with translation.override(request.language):
                try:
                    _send_back_in_stock(request)
                except (OSError, SMTPException):  # one bad address stops no one else
                    logger.warning("back-in-stock mail to %s failed", request.pk)
                    continue
            request.notified_at = timezone.now()
            request.save(update_fields=["notified_at"])
            sent += 1
    return sent


def _send_back_in_stock(request: BackInStockRequest) -> None:
    send_mail(
        subject=_("Back in stock: %(product)s")
        % {"product": request.product.get_title()},
        message=_("%(product)s is available again at %(outlet)s, %(address)s.")
        % {
            "product": request.product.get_title(),
            "outlet": request.sales_point.name,
            "address": request.sales_point.address,
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[request.email],
    )
