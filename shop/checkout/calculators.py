from decimal import ROUND_DOWN, Decimal

from oscar.apps.checkout import calculators
from oscar.core import prices


class OrderTotalCalculator(calculators.OrderTotalCalculator):
    """Oscar's order total, in whole đồng (VND has no minor unit and Stripe charges
    whole đồng). Oscar's percentage offers can leave a fraction of a đồng on a line
    (20 % off 99,999 ₫); the total drops it, in the buyer's favour."""

    def calculate(self, basket, shipping_charge, surcharges=None, **kwargs):
        total = super().calculate(basket, shipping_charge, surcharges, **kwargs)
        return prices.Price(
            currency=total.currency,
            excl_tax=_whole(total.excl_tax),
            incl_tax=_whole(total.incl_tax) if total.is_tax_known else None,
        )


def _whole(amount) -> Decimal:
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_DOWN)
