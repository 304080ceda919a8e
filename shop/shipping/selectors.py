"""Which delivery rate tables apply to a destination."""

from django.db.models import Exists, OuterRef, Q
from oscar.core.loading import get_model

WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")


def rate_tables_for_destination(
    *, province_id: int | None, country_code: str | None = None
) -> list:
    """The rate tables listing the province; when none does (or the province is not
    known), the fallback tables that list no province. Tables without weight bands are
    unfinished and never apply; tables limited to countries apply only there."""
    tables = (
        WeightBased.objects.filter(
            Exists(WeightBand.objects.filter(method=OuterRef("pk")))
        )
        .prefetch_related("bands")
        .order_by("name")
    )
    if country_code:
        tables = tables.filter(
            Q(countries__isnull=True) | Q(countries=country_code)
        ).distinct()
    if province_id is not None:
        specific = list(tables.filter(provinces=province_id))
        if specific:
            return specific
    return list(tables.filter(provinces__isnull=True))
