"""Reads of the OCOP catalogue: certification right now, and region history."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalogue.models import AdministrativeUnit, Certificate, Product

VALID_CERTIFICATES_ATTR = "valid_certificates"


def certificates_valid_prefetch(day: dt.date | None = None) -> Prefetch:
    """Prefetch each product's certificates in force into `product.valid_certificates`,
    newest first, so listings check certification without a query per product."""
    return Prefetch(
        "certificates",
        queryset=Certificate.objects.valid_on(day).select_related("authority", "group"),
        to_attr=VALID_CERTIFICATES_ATTR,
    )


def products_certified(queryset: QuerySet | None = None, day: dt.date | None = None):
    """Products with a certificate of 3+ stars in force on `day` (today by default)."""
    queryset = Product.objects.all() if queryset is None else queryset
    return queryset.filter(
        Exists(Certificate.objects.valid_on(day).filter(product=OuterRef("pk")))
    )


def product_current_certificate(product: Product) -> Certificate | None:
    """The newest certificate in force today, or None. Uses the prefetch when present."""
    if hasattr(product, VALID_CERTIFICATES_ATTR):
        valid = getattr(product, VALID_CERTIFICATES_ATTR)
        return valid[0] if valid else None
    return Certificate.objects.valid_on().filter(product=product).first()


def product_is_certified(product: Product) -> bool:
    """The one rule other apps use: may this product be sold or stocked right now?"""
    return product_current_certificate(product) is not None


def product_certification_problem(product: Product) -> str | None:
    """Why the product cannot be sold right now, in words for the buyer; None if it can."""
    if product_is_certified(product):
        return None
    latest = product.certificates.order_by("-signed_on", "-pk").first()
    if latest is None:
        return _("Not for sale: this product has no OCOP certificate.")
    status = latest.effective_status
    if status == Certificate.Status.REVOKED:
        return _("Not for sale: its OCOP certificate was revoked.")
    if status == Certificate.Status.UNDER_REASSESSMENT:
        return _("Not for sale: its OCOP certificate is under re-assessment.")
    if status == Certificate.Status.EXPIRED:
        return _("Not for sale: its OCOP certificate expired on %(date)s.") % {
            "date": formats.date_format(latest.expires_on, "SHORT_DATE_FORMAT")
        }
    return _("Not for sale: its OCOP certificate is not yet in force.")


@dataclass(frozen=True)
class UnitHistory:
    unit: AdministrativeUnit
    current: list[AdministrativeUnit]  # the units valid today that now cover it
    text: str  # "Thịnh Đức commune, Thai Nguyen city; since 1 July 2025 part of …"


def unit_history(unit: AdministrativeUnit, day: dt.date | None = None) -> UnitHistory:
    """Where a unit stands today: its current successors and a one-line history."""
    day = day or timezone.localdate()
    lineage = [unit.full_name]
    if unit.parent_id:
        lineage.append(unit.parent.full_name)
    text = ", ".join(lineage)
    if unit.is_valid_on(day):
        return UnitHistory(unit, [unit], text)
    current = unit_current_successors(unit, day)
    since = formats.date_format(unit.valid_to + dt.timedelta(days=1), "DATE_FORMAT")
    if current:
        names = ", ".join(u.full_name for u in current)
        text += "; " + _("since %(date)s part of %(units)s") % {
            "date": since,
            "units": names,
        }
    else:
        text += "; " + _("reorganised on %(date)s (successor not recorded)") % {
            "date": since
        }
    return UnitHistory(unit, current, text)


def unit_current_successors(
    unit: AdministrativeUnit, day: dt.date | None = None
) -> list[AdministrativeUnit]:
    """Follow successions until units valid on `day` (a unit may be merged twice)."""
    day = day or timezone.localdate()
    frontier, seen, found = [unit], {unit.pk}, []
    while frontier:
        successors = AdministrativeUnit.objects.filter(
            predecessors__in=[u.pk for u in frontier]
        ).select_related("parent")
        frontier = []
        for successor in successors:
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            (found if successor.is_valid_on(day) else frontier).append(successor)
    return sorted(found, key=lambda u: u.name_vi)
