"""Reads for the content pages: catalogue records for blocks and panels (in bulk, with
what their cards show), the pages that list other pages, and the home page's figures."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import Producer, Product
from catalogue.selectors import (
    certificates_valid_prefetch,
    product_is_certified,
    products_certified,
)
from catalogue.stats import certificates_current
from sales_points.models import SalesPoint
from sales_points.selectors import free_stock_q, outlets_by_name, outlets_public

StockRecord = get_model("partner", "StockRecord")


# --- Catalogue records --------------------------------------------------------------


def products_for_cards_queryset() -> QuerySet:
    """Products with what a product card reads prefetched (as the shop's listings do):
    price and stock, images, producer, origin, the certificates in force."""
    return (
        Product.objects.base_queryset()
        .select_related("producer", "origin")
        .prefetch_related(certificates_valid_prefetch())
    )


def products_for_cards(pks: Iterable[int]) -> dict[int, Product]:
    """The public products among `pks`, by primary key, ready for cards (one query and
    a fixed set of prefetches, whatever their number). Certified or not: the caller
    decides what a lapsed product shows."""
    pks = set(pks)
    if not pks:
        return {}
    products = products_for_cards_queryset().filter(pk__in=pks, is_public=True)
    return {product.pk: product for product in products}


def products_split_certified(products: Iterable[Product]) -> tuple[list, list]:
    """(certified now, lapsed), order kept; reads the prefetched certificates."""
    certified, lapsed = [], []
    for product in products:
        if product is None:
            continue
        (certified if product_is_certified(product) else lapsed).append(product)
    return certified, lapsed


def products_certified_in_order(pks: list[int]) -> list[Product]:
    """The certified public products among `pks`, in that order (featured lists:
    marketing shows only what can be bought today)."""
    loaded = products_for_cards(pks)
    certified, _lapsed = products_split_certified(loaded.get(pk) for pk in pks)
    return certified


def producers_by_pk(pks: Iterable[int]) -> dict[int, Producer]:
    pks = set(pks)
    if not pks:
        return {}
    return Producer.objects.select_related("region__parent").in_bulk(pks)


def outlets_by_pk(pks: Iterable[int]) -> dict[int, SalesPoint]:
    """Active outlets among `pks` with their hours prefetched (closed-down ones are
    left out: a story never sends a buyer to a shut door)."""
    pks = set(pks)
    if not pks:
        return {}
    return {outlet.pk: outlet for outlet in outlets_public().filter(pk__in=pks)}


def producer_products_certified(producer: Producer) -> list[Product]:
    """The producer's public products with a certificate in force, for cards."""
    return list(
        products_certified(
            products_for_cards_queryset().filter(
                producer=producer, is_public=True, parent=None
            )
        ).order_by("title", "pk")
    )


def producer_certificates_current(producer: Producer) -> list:
    """The producer's certificates in force today, one per product, most stars first."""
    return list(
        certificates_current(timezone.localdate())
        .filter(producer=producer, product__is_public=True)
        .select_related("product", "authority")
        .order_by("-stars", "product__title")
    )


def outlets_stocking_producer(producer: Producer) -> QuerySet:
    """Active outlets with units free to sell of one of the producer's certified
    products (one uncorrelated IN, not a query per outlet)."""
    products = products_certified(
        Product.objects.filter(producer=producer, is_public=True)
    )
    records = StockRecord.objects.filter(free_stock_q(), product__in=products)
    return outlets_by_name(
        outlets_public().filter(partner_id__in=records.values("partner_id"))
    )


# --- Pages that list pages ----------------------------------------------------------


def campaigns_running(queryset: QuerySet, day: dt.date | None = None) -> QuerySet:
    """Campaigns on `day` (today): started and not yet ended. Expired ones drop out."""
    day = day or timezone.localdate()
    return queryset.filter(start_date__lte=day, end_date__gte=day).order_by(
        "end_date", "-first_published_at"
    )


def events_upcoming(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Events not yet over, soonest first (one running now counts as upcoming)."""
    now = now or timezone.now()
    return queryset.filter(end__gte=now).order_by("start", "pk")


def events_past(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return queryset.filter(end__lt=now).order_by("-start", "-pk")


# --- The home page's figures ----------------------------------------------------------


def province_figures(day: dt.date | None = None) -> dict:
    """Certified products by stars and active outlets, for the home page strip: two
    aggregate queries (the full statistics page has the rest)."""
    day = day or timezone.localdate()
    by_stars = dict(
        certificates_current(day)
        .filter(product__is_public=True)
        .order_by()
        .values_list("stars")
        .annotate(n=Count("pk"))
        .values_list("stars", "n")
    )
    outlets = SalesPoint.objects.filter(is_active=True).aggregate(
        total=Count("pk"), pickup=Count("pk", filter=Q(is_pickup_point=True))
    )
    stars = [{"stars": s, "count": by_stars.get(s, 0)} for s in (5, 4, 3)]
    return {
        "products_by_stars": stars,
        "certified_products": sum(row["count"] for row in stars),
        "outlets": outlets["total"],
        "pickup_points": outlets["pickup"],
    }


# --- Languages ----------------------------------------------------------------------


def page_url_in_language(page, language_code: str, request=None) -> str:
    """Where the language switcher sends a visitor reading `page`: its live translation
    in `language_code`, else that language's notice that the page is not translated
    yet (on that language's home page), else that language's prefix."""
    from wagtail.models import Page

    from cms.models import HomePage

    translation = (
        Page.objects.live()
        .public()
        .filter(
            translation_key=page.translation_key, locale__language_code=language_code
        )
        .first()
    )
    if translation is not None:
        url = translation.get_url(request)
        if url:
            return url
    home = HomePage.objects.live().filter(locale__language_code=language_code).first()
    home_url = home.get_url(request) if home is not None else None
    if not home_url:
        return f"/{language_code}/"
    if translation is None:
        notice = home_url + home.reverse_subpage("not_translated")
        return f"{notice}?from={page.pk}"
    return home_url
