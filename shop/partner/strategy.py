"""The purchase strategy: Oscar's default, plus OCOP's rule that only products with a
certificate in force (3 stars or more, checked at request time) can be bought."""

from django.db.models import prefetch_related_objects
from oscar.apps.partner import strategy
from oscar.apps.partner.availability import Unavailable

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
        best = None
        for record in product.stockrecords.all():
            if best is None or _free(record) > _free(best):
                best = record
        return best


def _free(record) -> int:
    if record.num_in_stock is None:
        return -1
    return record.num_in_stock - (record.num_allocated or 0)


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
