"""The delivery methods a basket can use, by destination province, and their charges.

Oscar loads `Repository` from here (get_class("shipping.repository", "Repository")).
Rate tables listing the destination province win; when none lists it, the tables that
list no province apply (the fallback); when there are none of those either, there is no
home delivery to that province and checkout says so."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from oscar.apps.shipping import repository

from shop.shipping.methods import DeliveryUnavailable
from shop.shipping.selectors import rate_tables_for_destination

DONG = Decimal(1)


def _whole_dong(amount) -> Decimal:
    return Decimal(amount).quantize(DONG, rounding=ROUND_HALF_UP)


def band_charge(*, bands: Iterable, weight_kg: Decimal) -> Decimal:
    """The charge of the lightest band that takes the weight (a band covers weights up
    to and including its upper limit). Heavier than the top band: as many top-band
    parcels as needed plus one for the rest, as Oscar does. No bands: no charge."""
    ordered = sorted(bands, key=lambda band: band.upper_limit)
    if not ordered:
        return _whole_dong(0)
    top = ordered[-1]

    def within(weight: Decimal) -> Decimal:
        return next(band for band in ordered if band.upper_limit >= weight).charge

    if weight_kg <= top.upper_limit or top.upper_limit <= 0:
        return _whole_dong(within(min(weight_kg, top.upper_limit)))
    parcels, rest = divmod(weight_kg, top.upper_limit)
    charge = parcels * top.charge + (within(rest) if rest else 0)
    return _whole_dong(charge)


def delivery_charge(*, method, basket_weight_kg: Decimal, basket_total) -> Decimal:
    """What delivering a basket of this weight and total costs with this rate table, in
    whole đồng: nothing at or above the table's free-above amount, else the band's."""
    if (
        method.free_above is not None
        and basket_total is not None
        and Decimal(basket_total) >= method.free_above
    ):
        return _whole_dong(0)
    return band_charge(bands=method.bands.all(), weight_kg=Decimal(basket_weight_kg))


def _province_id(province) -> int | None:
    if province is None:
        return None
    return getattr(province, "pk", province)


class Repository(repository.Repository):
    """Home delivery by the destination province's rate tables (cheapest first)."""

    methods = ()

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        """`shipping_addr` is an order.ShippingAddress, saved or not; its `province`
        picks the tables. A `province` keyword (unit or id) overrides it."""
        province = kwargs.get("province")
        if province is None:
            province = getattr(shipping_addr, "province_id", None)
        tables = rate_tables_for_destination(
            province_id=_province_id(province),
            country_code=getattr(shipping_addr, "country_id", None),
        )
        charged = [(table.calculate(basket).incl_tax, table) for table in tables]
        return [table for _, table in sorted(charged, key=lambda c: (c[0], c[1].name))]

    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        """The cheapest method; the basket page's estimate must show something even
        when nothing delivers to the address, so: DeliveryUnavailable, at no charge."""
        methods = self.get_shipping_methods(
            basket, shipping_addr=shipping_addr, **kwargs
        )
        return methods[0] if methods else DeliveryUnavailable()
