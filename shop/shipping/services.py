"""Writing delivery rate tables (staff use the dashboard; the demo uses this)."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

WeightBased = get_model("shipping", "WeightBased")


@transaction.atomic
def rate_table_save(
    *,
    code: str,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    provinces: Iterable = (),
    bands: Iterable[tuple[Decimal, Decimal]],
    free_above: Decimal | None = None,
    default_weight: Decimal = Decimal("0.500"),
):
    """Create or replace the rate table `code`: its names, provinces, free-above amount
    and exactly the given (upper limit in kg, charge in VND) bands."""
    table, _ = WeightBased.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "name_en": name_en,
            "description": description,
            "description_en": description_en,
            "free_above": free_above,
            "default_weight": default_weight,
        },
    )
    table.provinces.set(list(provinces))
    kept = [
        table.bands.update_or_create(upper_limit=upper, defaults={"charge": charge})[
            0
        ].pk
        for upper, charge in bands
    ]
    table.bands.exclude(pk__in=kept).delete()
    return table
