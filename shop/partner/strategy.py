"""The purchase strategy: Oscar's default, plus OCOP's rule that only products with a
certificate in force (3 stars or more, checked at request time) can be bought."""

from oscar.apps.partner import strategy
from oscar.apps.partner.availability import Unavailable

from catalogue.selectors import product_certification_problem


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


class OcopStrategy(
    CertifiedOnly,
    strategy.UseFirstStockRecord,
    strategy.StockRequired,
    strategy.NoTax,
    strategy.Structured,
):
    """Prices in VND with no tax added (VAT is included in Vietnamese shelf prices)."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return OcopStrategy(request)
