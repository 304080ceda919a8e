"""Reads for checkout and order pages: which outlets can serve a basket, which orders
hold stock past their time."""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from sales_points.models import SalesPoint
from sales_points.selectors import outlets_public, outlets_sorted_by_distance

Order = get_model("order", "Order")
Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

PENDING_PAYMENT = "pending_payment"


def orders_with_expired_hold(now=None) -> QuerySet:
    """Unpaid card orders whose stock hold has run out (an order whose money came in,
    even flagged, is never one)."""
    return Order.objects.filter(
        status=PENDING_PAYMENT, payment_state=Order.PaymentState.PENDING,
        hold_expires_at__lt=now or timezone.now(),
    )  # fmt: skip


def _expired_held(now) -> Subquery:
    """Units of a stock record held by orders whose hold has expired: free to sell
    even before the job that cancels those orders has run."""
    held = (
        Line.objects.filter(
            stockrecord_id=OuterRef("pk"),
            order__in=orders_with_expired_hold(now),
            allocation_cancelled=False,
        )
        .order_by()
        .values("stockrecord_id")
        .annotate(units=Sum("num_allocated"))
        .values("units")
    )
    return Coalesce(Subquery(held), 0)


def stockrecords_with_free(queryset: QuerySet | None = None, now=None) -> QuerySet:
    """Stock records with `free`: in stock, less held, plus expired holds."""
    queryset = StockRecord.objects.all() if queryset is None else queryset
    return queryset.annotate(
        free=F("num_in_stock") - Coalesce(F("num_allocated"), 0) + _expired_held(now)
    )


def outlets_holding(
    quantities: dict[int, int], *, now=None, pickup_only: bool = True
) -> QuerySet:
    """Active (pickup) outlets with every product free in the quantity asked for. One
    query whatever the number of lines (one uncorrelated IN per product)."""
    now = now or timezone.now()
    outlets = outlets_public()
    if pickup_only:
        outlets = outlets.filter(is_pickup_point=True)
    for product_id, quantity in quantities.items():
        records = stockrecords_with_free(
            StockRecord.objects.filter(product_id=product_id), now
        ).filter(free__gte=quantity)
        outlets = outlets.filter(partner_id__in=records.values("partner_id"))
    return outlets


def outlets_for_pickup(
    quantities: dict[int, int], *, lat: float | None = None, lng: float | None = None
) -> list[SalesPoint]:
    """The outlets a buyer may collect this basket from: nearest first when the
    buyer's position is known, else by region and name."""
    outlets = outlets_holding(quantities)
    if lat is not None and lng is not None:
        return outlets_sorted_by_distance(outlets, lat, lng)
    return list(outlets.order_by("region__name_vi", "name_vi"))


def fulfilment_outlet_choose(
    quantities: dict[int, int], *, province=None
) -> SalesPoint | None:
    """Where a home-delivery order is packed, by this documented rule:
    1. an outlet that fulfils online orders in the destination province and holds
       every line;
    2. else any outlet that fulfils online orders and holds every line (the
       province hubs, by code);
    3. else any active outlet holding every line, the one with the most units of the
       basket free first (fewest split shortages later), then by code."""
    candidates = outlets_holding(quantities, pickup_only=False)
    online = candidates.filter(fulfils_online_orders=True)
    if province is not None:
        local = online.filter(
            Q(region=province)
            | Q(region__parent=province)
            | Q(region__parent__parent=province)
        ).order_by("code")
        if outlet := local.first():
            return outlet
    if outlet := online.order_by("code").first():
        return outlet
    return _most_free(candidates, quantities)


def _most_free(candidates: QuerySet, quantities: dict[int, int]) -> SalesPoint | None:
    free = (
        StockRecord.objects.filter(
            partner_id=OuterRef("partner_id"), product_id__in=list(quantities)
        )
        .order_by()
        .values("partner_id")
        .annotate(units=Sum(F("num_in_stock") - Coalesce(F("num_allocated"), 0)))
        .values("units")
    )
    return (
        candidates.annotate(free_units=Subquery(free))
        .order_by("-free_units", "code")
        .first()
    )
