"""How much a basket weighs for delivery.

OCOP products state their net content (`net_quantity` + `net_unit`), not a packed
weight. The shipping weight of one unit, in kg, is the first of:

1. the product's "weight" attribute (Oscar's convention, kg), when staff gave one;
2. the net content as mass (g and kg directly; ml and l at 1 g/ml, near enough for
   honey, fish sauce and rice wine), plus 10 % and 100 g for jar, box and padding;
3. the rate table's default weight (pieces, or no net content given).

A variant without net content of its own uses its parent's. Weights are kept to the gram.
"""

from decimal import ROUND_HALF_UP, Decimal

from oscar.apps.shipping import scales
from oscar.core.loading import get_model

# kg per net unit; pieces ("pc") have no mass and fall back to the default weight.
KG_PER_UNIT = {
    "g": Decimal("0.001"),
    "kg": Decimal(1),
    "ml": Decimal("0.001"),
    "l": Decimal(1),
}
PACKAGING_RATIO = Decimal("0.10")
PACKAGING_ALLOWANCE_KG = Decimal("0.100")
GRAM = Decimal("0.001")


def packed_weight_kg(*, net_quantity: Decimal | None, net_unit: str) -> Decimal | None:
    """The shipping weight of one unit from its net content, or None when unknown."""
    per_unit = KG_PER_UNIT.get(net_unit)
    if net_quantity is None or per_unit is None or net_quantity <= 0:
        return None
    net_kg = Decimal(net_quantity) * per_unit
    gross = net_kg * (1 + PACKAGING_RATIO) + PACKAGING_ALLOWANCE_KG
    return gross.quantize(GRAM, rounding=ROUND_HALF_UP)


CACHE_ATTR = "_shipping_weight_attribute"


class Scale(scales.Scale):
    """Oscar's scale, reading the OCOP net content before the default weight."""

    def weigh_basket(self, basket):
        _attribute_weights_prefetch(
            [line.product for line in basket.all_lines()], self.attribute
        )
        return super().weigh_basket(basket)

    def weigh_product(self, product) -> Decimal:
        explicit = self._attribute_weight(product)
        if explicit is not None:
            return Decimal(explicit)
        for source in (product, getattr(product, "parent", None)):
            if source is None:
                continue
            weight = packed_weight_kg(
                net_quantity=getattr(source, "net_quantity", None),
                net_unit=getattr(source, "net_unit", "") or "",
            )
            if weight is not None:
                return weight
        if self.default_weight is None:
            raise ValueError(f"No weight known for product {product}")
        return Decimal(self.default_weight)

    def _attribute_weight(self, product):
        if hasattr(product, CACHE_ATTR):  # prefetched for the whole basket
            return getattr(product, CACHE_ATTR)
        value = (
            product.get_attribute_values()
            .filter(attribute__code=self.attribute)
            .first()
        )
        return value.value if value is not None and value.value is not None else None


def _attribute_weights_prefetch(products: list, code: str) -> None:
    """The "weight" attribute of every basket product (its own, else its parent's) in
    one query, kept on the products: the basket is weighed once per rate table, and
    without this each line cost a query every time."""
    missing = [p for p in products if not hasattr(p, CACHE_ATTR)]
    if not missing:
        return
    ids = {p.pk for p in missing} | {p.parent_id for p in missing if p.parent_id}
    ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
    values = {
        value.product_id: value.value
        for value in ProductAttributeValue.objects.filter(
            product_id__in=ids, attribute__code=code
        ).select_related("attribute")
    }
    for product in missing:
        own = values.get(product.pk)
        setattr(
            product,
            CACHE_ATTR,
            own if own is not None else values.get(product.parent_id),
        )
