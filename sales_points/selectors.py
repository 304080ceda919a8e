"""Reads of the outlet network for the public store locator: which outlets are open,
which have a product free to sell, which are nearest to a point, what each one stocks.

Distances are great-circle (haversine) distances computed in Python; the database only
narrows the candidates with a latitude/longitude box, so no GIS extension is needed on
SQLite or PostgreSQL."""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import NamedTuple

from django.db.models import (
    Avg,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit, Product
from catalogue.selectors import certificates_valid_prefetch, products_certified
from sales_points.models import HoursException, OpeningHours, SalesPoint

StockRecord = get_model("partner", "StockRecord")

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # along a meridian, ~111.2 km
# How far ahead "opens Monday at 7:30" looks; a longer closure reads as "closed".
HORIZON_DAYS = 14
EXCEPTIONS_ATTR = "upcoming_exceptions"
# outlets_nearest: the first search box's half-width and how much each retry widens it.
FIRST_RADIUS_KM = 25.0
WIDEN_FACTOR = 4.0


# --- Opening hours ----------------------------------------------------------------


class OpenState(NamedTuple):
    """Whether an outlet is open at a moment: when open, until when (closes_at); when
    closed, when it next opens within HORIZON_DAYS (next_opening, else None)."""

    is_open: bool
    next_opening: dt.datetime | None
    closes_at: dt.datetime | None


def outlet_prefetches(prefix: str = "", day: dt.date | None = None) -> list:
    """What outlet_open_state reads: the weekly hours and the exceptions from `day`
    (today) on. `prefix` prefetches them through a relation (e.g. from stock records)."""
    day = day or timezone.localdate()
    lookups = [
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        Prefetch(
            "exceptions",
            queryset=HoursException.objects.filter(date__gte=day),
            to_attr=EXCEPTIONS_ATTR,
        ),
    ]
    if prefix:
        for lookup in lookups:
            lookup.add_prefix(prefix)
    return lookups


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    # Outlets keep Vietnamese hours whatever the visitor's time zone.
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def _exceptions_by_day(sales_point: SalesPoint, day: dt.date) -> dict:
    if hasattr(sales_point, EXCEPTIONS_ATTR):
        exceptions = getattr(sales_point, EXCEPTIONS_ATTR)
    else:
        last = day + dt.timedelta(days=HORIZON_DAYS)
        exceptions = sales_point.exceptions.filter(date__range=(day, last))
    return {exception.date: exception for exception in exceptions}


def _overrides(exception: HoursException | None) -> bool:
    """A closure, or special hours; an exception with neither is only a note."""
    if exception is None:
        return False
    has_hours = exception.opens is not None and exception.closes is not None
    return exception.closed or has_hours


def outlet_periods_on(
    day: dt.date, weekly: dict[int, list[tuple]], exception: HoursException | None
) -> list[tuple[dt.time, dt.time]]:
    """The opening periods of one day: the dated exception's when it overrides, else
    the weekly hours of that weekday."""
    if not _overrides(exception):
        return weekly.get(day.weekday(), [])
    if exception.closed or exception.closes <= exception.opens:
        return []
    return [(exception.opens, exception.closes)]


def outlet_weekly_hours(sales_point: SalesPoint) -> dict[int, list[tuple]]:
    """Weekday (0 = Monday) -> its (opens, closes) periods, in order."""
    weekly = defaultdict(list)
    for period in sorted(sales_point.hours.all(), key=lambda h: (h.weekday, h.opens)):
        weekly[period.weekday].append((period.opens, period.closes))
    return dict(weekly)


def outlet_open_state(
    sales_point: SalesPoint, at: dt.datetime | None = None
) -> OpenState:
    """Open or closed at `at` (now), from the weekly hours and dated exceptions. With
    outlet_prefetches() applied it runs no query."""
    now = timezone.localtime(at or timezone.now(), timezone.get_default_timezone())
    weekly = outlet_weekly_hours(sales_point)
    exceptions = _exceptions_by_day(sales_point, now.date())
    for offset in range(HORIZON_DAYS + 1):
        day = now.date() + dt.timedelta(days=offset)
        periods = outlet_periods_on(day, weekly, exceptions.get(day))
        for index, (opens, closes) in enumerate(periods):
            start, end = _aware(day, opens), _aware(day, closes)
            if end <= now:
                continue
            if start > now:
                return OpenState(False, start, None)
            for later_opens, later_closes in periods[index + 1 :]:
                if _aware(day, later_opens) > end:
                    break
                end = max(end, _aware(day, later_closes))  # back-to-back periods
            return OpenState(True, None, end)
    return OpenState(False, None, None)


def outlets_open_at(queryset: QuerySet, at: dt.datetime | None = None) -> QuerySet:
    """The outlets of `queryset` open at `at` (now), in SQL: the same rule as
    outlet_open_state (a dated exception overrides the weekly hours of its day)."""
    now = timezone.localtime(at or timezone.now(), timezone.get_default_timezone())
    day, time = now.date(), now.time()
    exceptions = HoursException.objects.filter(sales_point=OuterRef("pk"), date=day)
    overriding = exceptions.filter(
        Q(closed=True) | Q(opens__isnull=False, closes__isnull=False)
    )
    special_open = exceptions.filter(closed=False, opens__lte=time, closes__gt=time)
    weekly_open = OpeningHours.objects.filter(
        sales_point=OuterRef("pk"),
        weekday=day.weekday(),
        opens__lte=time,
        closes__gt=time,
    )
    return queryset.filter(
        Exists(special_open) | (~Exists(overriding) & Exists(weekly_open))
    )


# --- Outlets and stock ------------------------------------------------------------


def outlets_public() -> QuerySet:
    """Active outlets with their region and what outlet_open_state reads prefetched."""
    return (
        SalesPoint.objects.filter(is_active=True)
        .select_related("region__parent")
        .prefetch_related(*outlet_prefetches())
    )


def free_stock_q(prefix: str = "") -> Q:
    """Stock records with units free to sell (in stock and not held for orders)."""
    return Q(**{f"{prefix}num_in_stock__gt": Coalesce(F(f"{prefix}num_allocated"), 0)})


def _having_product(queryset: QuerySet, product_id: int) -> QuerySet:
    """The outlets of `queryset` with units of the product free to sell, if it is
    certified. An uncorrelated IN: the product's records are read once, not per outlet."""
    certified = products_certified(
        Product.objects.filter(pk=product_id, is_public=True)
    )
    records = StockRecord.objects.filter(free_stock_q(), product_id=product_id)
    return queryset.filter(
        Exists(certified), partner_id__in=records.values("partner_id")
    )


def outlets_with_product(product_id: int, queryset: QuerySet | None = None) -> QuerySet:
    """Outlets with units of the product free to sell, each with `product_free`; none
    if the product has no certificate in force (only certified products are sold)."""
    queryset = outlets_public() if queryset is None else queryset
    free = F("num_in_stock") - Coalesce(F("num_allocated"), 0)
    quantity = (
        StockRecord.objects.filter(
            free_stock_q(), product_id=product_id, partner_id=OuterRef("partner_id")
        )
        .order_by()
        .values("product_id")
        .annotate(free=Sum(free))
        .values("free")
    )
    return _having_product(queryset, product_id).annotate(
        product_free=Subquery(quantity)
    )


def outlets_by_name(queryset: QuerySet) -> QuerySet:
    """By name in the active language (an English list falls back to the Vietnamese
    name of an outlet that has no English one)."""
    if (get_language() or "").startswith("en"):
        name = Coalesce(NullIf(F("name_en"), Value("")), F("name_vi"))
        return queryset.order_by(name, "code")
    return queryset.order_by("name_vi", "code")


def outlets_filter(
    queryset: QuerySet, *, region: str | None = None, level: str | None = None,
    kind: str | None = None, open_now: bool = False, product_id: int | None = None,
    at: dt.datetime | None = None,
) -> QuerySet:  # fmt: skip
    """The locator's filters. `region` is a unit code and also finds the outlets of
    the units under it (a province finds its communes)."""
    if region:
        queryset = queryset.filter(
            Q(region__code=region)
            | Q(region__parent__code=region)
            | Q(region__parent__parent__code=region)
        )
    if level:
        queryset = queryset.filter(level=level)
    if kind:
        queryset = queryset.filter(kind=kind)
    if open_now:
        queryset = outlets_open_at(queryset, at)
    if product_id is not None:
        queryset = outlets_with_product(product_id, queryset)
    return queryset


def outlet_stock_public(sales_point: SalesPoint) -> QuerySet:
    """The outlet's stock records of public, certified products with units free to
    sell, by title, each with `free`, its product and the product's valid certificates."""
    certificates = certificates_valid_prefetch()
    certificates.add_prefix("product")
    return (
        StockRecord.objects.filter(
            free_stock_q(),
            partner_id=sales_point.partner_id,
            product__is_public=True,
        )
        .filter(
            Exists(
                products_certified(Product.objects.filter(pk=OuterRef("product_id")))
            )
        )
        .annotate(free=F("num_in_stock") - Coalesce(F("num_allocated"), 0))
        .select_related("product__parent")
        .prefetch_related(certificates)
        .order_by("product__title", "pk")
    )


def product_by_id_or_upc(value: str) -> Product | None:
    """The product a locator link names: by barcode (UPC), else by id."""
    value = (value or "").strip()
    if not value:
        return None
    condition = Q(upc=value)
    if value.isascii() and value.isdigit():
        condition |= Q(pk=int(value))
    matches = list(Product.objects.filter(condition)[:2])
    return next((p for p in matches if p.upc == value), matches[0] if matches else None)


# --- Regions ----------------------------------------------------------------------


def regions_with_outlets() -> list[AdministrativeUnit]:
    """Units with active outlets in them or under them, by level then name.

    Subqueries, not joins: joining units to their children's and grandchildren's
    outlets and taking DISTINCT multiplied 5,000 outlets into ~600 ms a page."""
    regions = SalesPoint.objects.filter(is_active=True).values("region_id")
    with_outlets = AdministrativeUnit.objects.filter(pk__in=regions)
    return list(
        AdministrativeUnit.objects.filter(
            Q(pk__in=regions)
            | Q(pk__in=with_outlets.values("parent_id"))
            | Q(pk__in=with_outlets.values("parent__parent_id"))
        )
        .select_related("parent")
        .order_by("level", "name_vi", "code")
    )


def region_centre(code: str) -> tuple[float, float] | None:
    """Where to measure from for a chosen commune or district: the mean position of
    its active outlets (units have no coordinates of their own)."""
    centre = outlets_filter(
        SalesPoint.objects.filter(is_active=True), region=code
    ).aggregate(lat=Avg("latitude"), lng=Avg("longitude"))
    if centre["lat"] is None:
        return None
    return float(centre["lat"]), float(centre["lng"])


# --- Distances --------------------------------------------------------------------


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _box(lat: float, lng: float, radius_km: float) -> Q | None:
    """A latitude/longitude box holding every point within radius_km; None when it
    would cover the whole earth."""
    dlat = radius_km / KM_PER_DEGREE
    if dlat >= 180:
        return None

    def bound(value, rounding):
        return Decimal(value).quantize(Decimal("0.000001"), rounding=rounding)

    box = Q(
        latitude__gte=bound(max(-90.0, lat - dlat), ROUND_FLOOR),
        latitude__lte=bound(min(90.0, lat + dlat), ROUND_CEILING),
    )
    cos_lat = math.cos(math.radians(min(89.9, abs(lat) + dlat)))
    dlng = radius_km / (KM_PER_DEGREE * cos_lat)
    if dlng < 180 and -180 <= lng - dlng and lng + dlng <= 180:  # no antimeridian
        box &= Q(
            longitude__gte=bound(lng - dlng, ROUND_FLOOR),
            longitude__lte=bound(lng + dlng, ROUND_CEILING),
        )
    return box


def _coordinates(queryset: QuerySet):
    return (
        queryset.prefetch_related(None)
        .order_by()
        .values_list("pk", "latitude", "longitude")
    )


def outlets_nearest(
    lat: float, lng: float, *, product_id: int | None = None, limit: int = 10,
    queryset: QuerySet | None = None,
) -> list[SalesPoint]:  # fmt: skip
    """The `limit` outlets nearest to the point (with the product free to sell when
    product_id is given), nearest first, each with `distance_km`.

    Only the outlets in a box around the point are read, then measured exactly; the box
    widens until `limit` outlets lie within its radius (anything outside is farther)."""
    queryset = outlets_public() if queryset is None else queryset
    candidates = queryset
    if product_id is not None:
        candidates = _having_product(queryset, product_id)
    radius = FIRST_RADIUS_KM
    while True:
        box = _box(lat, lng, radius)
        rows = _coordinates(candidates if box is None else candidates.filter(box))
        measured = sorted(
            (haversine_km(lat, lng, float(a), float(b)), pk) for pk, a, b in rows
        )
        if box is None or sum(d <= radius for d, _pk in measured) >= limit:
            break
        radius *= WIDEN_FACTOR
    # The few found are fetched by primary key: no need to filter them again.
    return _fetch_in_order(queryset, measured[:limit])


def _fetch_in_order(queryset: QuerySet, measured: list[tuple[float, int]]) -> list:
    if not measured:
        return []
    outlets = queryset.in_bulk([pk for _distance, pk in measured])
    found = []
    for distance, pk in measured:
        outlet = outlets[pk]
        outlet.distance_km = distance
        found.append(outlet)
    return found


class OutletsByDistance(Sequence):
    """The outlets of a queryset nearest first, each with `distance_km`. Only the
    coordinates of all of them are read; a slice (what a paginator asks for) fetches
    just its outlets, with the queryset's prefetches."""

    def __init__(self, queryset: QuerySet, lat: float, lng: float):
        self.queryset = queryset
        self.order = sorted(
            (haversine_km(lat, lng, float(a), float(b)), pk)
            for pk, a, b in _coordinates(queryset)
        )

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _fetch_in_order(self.queryset, self.order[index])
        return _fetch_in_order(self.queryset, [self.order[index]])[0]


def outlets_sorted_by_distance(
    outlets: Iterable[SalesPoint], lat: float, lng: float
) -> list[SalesPoint]:
    """Outlets already loaded, nearest first, each with `distance_km`."""
    outlets = list(outlets)
    for outlet in outlets:
        outlet.distance_km = haversine_km(
            lat, lng, float(outlet.latitude), float(outlet.longitude)
        )
    return sorted(outlets, key=lambda o: (o.distance_km, o.code))


def outlets_sold_out_of(product_id: int) -> QuerySet[SalesPoint]:
    """Active outlets that stock the product but have none free to sell: where a buyer
    may ask to be told when it is back."""
    return (
        SalesPoint.objects.filter(
            is_active=True,
            partner__stockrecords__product_id=product_id,
            partner__stockrecords__num_in_stock__lte=Coalesce(
                "partner__stockrecords__num_allocated", 0
            ),
        )
        .only("code", "name_vi", "name_en")
        .order_by("name_vi")
    )
