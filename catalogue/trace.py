"""The public traceability page behind the QR code on each OCOP stamp, the QR code
itself and the printable stamp sheet (the PDF drawing is in trace_pdf)."""

import io
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from oscar.core.loading import get_model

from catalogue.models import Certificate, Product
from catalogue.selectors import (
    product_certification_problem,
    product_current_certificate,
    unit_history,
)
from catalogue.trace_pdf import Stamp, stamp_sheet_pdf
from sales_points.forms import buyer_location, format_point
from sales_points.selectors import (
    free_stock_q,
    outlet_prefetches,
    outlets_sorted_by_distance,
)
from shop.links import absolute_url

StockRecord = get_model("partner", "StockRecord")

STAMP_COUNT_DEFAULT = 24
STAMP_COUNT_MAX = 500
# A product's QR code only changes if the public address does: let browsers and
# proxies keep it for a day.
qr_cache = cache_control(public=True, max_age=60 * 60 * 24)


# --- Reads -----------------------------------------------------------------------


def trace_product_or_404(code: str, queryset: QuerySet | None = None) -> Product:
    """The product a trace code names; codes are printed upper-case but typed any way."""
    queryset = Product.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset, trace_code=code.upper())


def trace_page_queryset() -> QuerySet:
    """Everything the page shows in a fixed number of queries, however many
    certificates, images or stock records the product has."""
    certificates = Certificate.objects.select_related("authority").order_by(
        "-signed_on", "-pk"
    )
    # Where to buy: records with units free to sell, with their outlet (if the partner
    # is one), its region and what says whether it is open now.
    in_stock = (
        StockRecord.objects.filter(free_stock_q())
        .select_related("partner__sales_point__region")
        .prefetch_related(*outlet_prefetches(prefix="partner__sales_point"))
        .order_by("partner__name")
    )
    return Product.objects.select_related(
        "parent", "producer", "origin__parent"
    ).prefetch_related(
        Prefetch("certificates", queryset=certificates, to_attr="trace_certificates"),
        Prefetch("stockrecords", queryset=in_stock, to_attr="trace_stockrecords"),
        "images",
        "parent__images",  # a variant shows its parent's pictures
    )


@dataclass(frozen=True)
class EarlierCertificate:
    certificate: Certificate
    renewed_by: Certificate | None


def certificate_history(
    certificates: list[Certificate],
) -> tuple[Certificate | None, list[EarlierCertificate]]:
    """The newest certificate (valid or not) and the earlier ones: the re-recognition
    chain (`renews`) first, newest to oldest, then any others."""
    if not certificates:
        return None, []
    by_id = {c.pk: c for c in certificates}
    renewed_by = {c.renews_id: c for c in certificates if c.renews_id in by_id}
    newest, chain = certificates[0], []
    current = newest
    while current.renews_id in by_id and by_id[current.renews_id] not in chain:
        current = by_id[current.renews_id]
        chain.append(current)
    others = [c for c in certificates[1:] if c not in chain]
    earlier = [EarlierCertificate(c, renewed_by.get(c.pk)) for c in chain + others]
    return newest, earlier


def trace_image(product: Product):
    """The first picture of the product (or of its parent), None without one."""
    images = list(product.images.all())
    if not images and product.parent_id:
        images = list(product.parent.images.all())
    return images[0] if images else None


def trace_url(product: Product, request: HttpRequest) -> str:
    """The address every QR code encodes: the canonical public site when
    OCOP_PUBLIC_BASE_URL is set (stamps outlive the host they were printed from),
    else the address of this request."""
    return absolute_url(request, reverse("trace", kwargs={"code": product.trace_code}))


def trace_qr(product: Product, request: HttpRequest) -> segno.QRCode:
    return segno.make(trace_url(product, request), micro=False, error="m")


def can_print_stamps(user, product: Product) -> bool:
    """Catalogue managers (and superusers) for any product; the producer's
    representatives for their own products."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("catalogue.change_product"):
        return True
    return (
        product.producer_id is not None
        and user.producers.filter(pk=product.producer_id).exists()
    )


def stamp_count(raw: str | None) -> int:
    """The number of labels asked for; ValueError with a message for people."""
    if raw is None:
        return STAMP_COUNT_DEFAULT
    raw = raw.strip()
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= STAMP_COUNT_MAX:
        return int(raw)
    raise ValueError(
        _("count must be a whole number from 1 to %(max)s.") % {"max": STAMP_COUNT_MAX}
    )


def requested_language(request: HttpRequest) -> str | None:
    """?lang=vi|en: the page lives outside the language prefixes, so this is how a
    visitor switches language on it (the choice is kept in the language cookie)."""
    language = request.GET.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else None


# --- Views -------------------------------------------------------------------------


@require_safe
def trace_page(request: HttpRequest, code: str) -> HttpResponse:
    product = trace_product_or_404(code, trace_page_queryset())
    language = requested_language(request)
    if language is None:
        return _render_trace_page(request, product)
    with translation.override(language):
        response = _render_trace_page(request, product)
    response["Content-Language"] = language
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _render_trace_page(request: HttpRequest, product: Product) -> HttpResponse:
    certificate, earlier = certificate_history(product.trace_certificates)
    certificate_valid = certificate is not None and certificate.is_valid_on()
    public = product.is_public and (product.parent is None or product.parent.is_public)
    context = {
        "product": product,
        "title": product.get_title(),
        "image": trace_image(product),
        "producer": product.producer,
        "origin": unit_history(product.origin) if product.origin_id else None,
        "certificate": certificate,
        "certificate_valid": certificate_valid,
        "earlier_certificates": earlier,
        "shop_url": product.get_absolute_url() if public else "",
        # Only certified products are for sale, so only they have places to buy.
        "where_to_buy": where_to_buy(product, request) if certificate_valid else None,
        "trace_code": product.trace_code,
    }
    return render(request, "catalogue/trace/page.html", context)


WHERE_TO_BUY_SHOWN = 5


@dataclass(frozen=True)
class WhereToBuy:
    outlets: list  # the first WHERE_TO_BUY_SHOWN outlets: nearest, else by name
    count: int  # every active outlet with the product free to sell
    others: list  # partners holding stock that are not outlets, by name
    list_url: str  # the store locator filtered by the product
    located: bool  # outlets are nearest first (the buyer's location is known)

    def __bool__(self) -> bool:
        return bool(self.outlets or self.others)


def where_to_buy(product: Product, request: HttpRequest) -> WhereToBuy:
    """From the prefetched stock records (trace_page_queryset): no query of its own."""
    outlets, others = {}, {}
    for record in product.trace_stockrecords:
        outlet = getattr(record.partner, "sales_point", None)
        if outlet is None:
            others.setdefault(record.partner_id, record.partner)
        elif outlet.is_active:
            outlets.setdefault(outlet.pk, outlet)
    location = buyer_location(request)
    if location is not None:
        ordered = outlets_sorted_by_distance(outlets.values(), *location)
    else:
        ordered = sorted(outlets.values(), key=lambda o: (o.name, o.code))
    query = {"product": product.pk}
    if location is not None:
        query["near"] = format_point(location)
    return WhereToBuy(
        outlets=ordered[:WHERE_TO_BUY_SHOWN],
        count=len(ordered),
        others=list(others.values()),
        list_url=f"{reverse('sales_points:list')}?{urlencode(query)}",
        located=location is not None,
    )


@require_safe
@qr_cache
def trace_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    product = trace_product_or_404(code, Product.objects.only("pk", "trace_code"))
    buffer = io.BytesIO()
    trace_qr(product, request).save(buffer, kind="svg", scale=8, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_safe
@qr_cache
def trace_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    product = trace_product_or_404(code, Product.objects.only("pk", "trace_code"))
    buffer = io.BytesIO()
    trace_qr(product, request).save(buffer, kind="png", scale=10, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@require_safe
@never_cache
def trace_stamps(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    product = trace_product_or_404(code)
    if not can_print_stamps(request.user, product):
        raise PermissionDenied(_("You may not print stamps for this product."))
    try:
        count = stamp_count(request.GET.get("count"))
    except ValueError as error:
        return _plain_text(str(error), status=400)
    certificate = product_current_certificate(product)
    if certificate is None:
        reason = product_certification_problem(product) or ""
        message = _("Stamps can only be printed for a certified product.")
        return _plain_text(f"{message} {reason}".strip(), status=409)
    stamp = Stamp(
        title=product.get_title(),
        stars=certificate.stars,
        decision_number=certificate.decision_number,
        expires_on=certificate.expires_on,
        trace_code=product.trace_code,
        qr_payload=trace_url(product, request),
    )
    response = HttpResponse(
        stamp_sheet_pdf(stamp, count), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="ocop-stamps-{product.trace_code}.pdf"'
    )
    return response


def _plain_text(message: str, status: int) -> HttpResponse:
    return HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8"
    )
