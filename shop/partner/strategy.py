"""The purchase strategy: Oscar's default, plus OCOP's rule that only products with a
certificate in force (3 stars or more, checked at request time) can be bought."""

from django.db.models import (
    Case,
    F,
    Prefetch,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber
from oscar.apps.partner import strategy
from oscar.apps.partner.availability import Unavailable
from oscar.core.loading import get_model

from catalogue.selectors import (
    certificates_valid_prefetch,
    product_certification_problem,
)


class NotCertified(Unavailable):
    code = "not-certified"

    def __init__(self, reason: str):
        self.message = reason


class CertifiedOnly:
    """Availability mixin: no valid certificate, no sale, whatever the stock."""

    def availability_policy(self, product, stockrecord):
        problem = product_certification_problem(product)
        if problem:
            return NotCertified(problem)
        return super().availability_policy(product, stockrecord)


class MostFreeStockRecord:
    """Stock-record selection: the record with the most units free to sell, across all
    outlets (a basket can be bought if some outlet can serve it; checkout then picks
    the outlet). Reads the records already prefetched, as Oscar's listings do."""

    def select_stockrecord(self, product):
        return max(
            product.stockrecords.all(),
            key=lambda record: (_free(record), -record.pk),
            default=None,
        )


def _free(record) -> int:
    """Units free to sell; -1 when the stock is not tracked (as _FREE in SQL)."""
    if record.num_in_stock is None:
        return -1
    return record.num_in_stock - (record.num_allocated or 0)


_FREE = Case(
    When(num_in_stock__isnull=True, then=Value(-1)),
    default=F("num_in_stock") - Coalesce("num_allocated", 0),
)


def stockrecord_selected_prefetch() -> Prefetch:
    """Prefetch into product.stockrecords only the record MostFreeStockRecord selects
    (most units free, then the lowest id): for listings, whose cards show that one
    record's price and availability, where the national catalogue stocks a product at
    about eleven outlets. Not for pages that read every record."""
    StockRecord = get_model("partner", "StockRecord")
    ranked = StockRecord.objects.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("product_id"),
            order_by=[_FREE.desc(), F("pk").asc()],
        )
    )
    return Prefetch("stockrecords", queryset=ranked.filter(rank=1))


class BasketPrefetch:
    """What pricing and availability read for each basket line (the certificates in
    force, the product class), fetched once for all the basket's lines: the basket
    and checkout pages then cost the same number of queries for 1 line or 50."""

    def fetch_for_line(self, line, stockrecord=None):
        basket = getattr(line, "basket", None)
        if basket is not None and not getattr(basket, "_ocop_prefetched", False):
            basket._ocop_prefetched = True
            products = [each.product for each in basket.all_lines()]
            prefetch_related_objects(
                products, certificates_valid_prefetch(), "product_class", "stockrecords",
                "parent__product_class",
            )  # fmt: skip
        return super().fetch_for_line(line, stockrecord)


class OcopStrategy(
    BasketPrefetch,
    CertifiedOnly,
    MostFreeStockRecord,
    strategy.StockRequired,
    strategy.NoTax,
    strategy.Structured,
):
    """Prices in VND with no tax added (VAT is included in Vietnamese shelf prices)."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return OcopStrategy(request)
