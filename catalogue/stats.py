"""Province statistics for the public page, the dashboard and the open-data API.

One selector, `province_stats`, returns plain JSON-able values. Every figure comes from a
fixed number of aggregate queries (about a dozen) whatever the number of products; the
administrative units (reference data, hundreds of rows) are read once and walked in
memory to place each distinct origin."""

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalogue.models import (
    AdministrativeUnit,
    Certificate,
    Producer,
    ProductGroup,
    ProductGroupScheme,
)
from sales_points.models import SalesPoint

# The province before 1 July 2025 was these two (Bắc Kạn merged into Thái Nguyên): their
# districts are the rows of the pre-2025 breakdown.
PRE_2025_PROVINCES = ("thai-nguyen-1997", "bac-kan-1997")
EXPIRING_LIST_SIZE = 20
UNKNOWN = "unknown"  # no origin recorded
OTHER = "other"  # an origin that cannot be placed (outside the province, province-wide)

Level = AdministrativeUnit.Level


def certificates_current(day: dt.date) -> QuerySet:
    """The newest certificate in force on `day` of each product (one row per certified
    product), newest by signing date then pk, as product_current_certificate orders."""
    valid = Certificate.objects.valid_on(day)
    newer = valid.filter(product=OuterRef("product")).filter(
        Q(signed_on__gt=OuterRef("signed_on"))
        | Q(signed_on=OuterRef("signed_on"), pk__gt=OuterRef("pk"))
    )
    return valid.filter(~Exists(newer))


def province_stats(*, today: dt.date | None = None) -> dict:
    """Certified products by stars, group and region; producers; expiries; the yearly
    target. Names are in the active language."""
    day = today or timezone.localdate()
    current = certificates_current(day)

    # One pass over the current certificates gives stars, groups and origins together;
    # the rows are distinct combinations, so their number does not grow with products.
    rows = list(
        current.values(
            "stars",
            "product__origin_id",
            top_group_id=Coalesce("group__parent_id", "group_id"),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_stars, by_group, by_origin = Counter(), Counter(), Counter()
    for row in rows:
        by_stars[row["stars"]] += row["n"]
        by_group[row["top_group_id"]] += row["n"]
        by_origin[row["product__origin_id"]] += row["n"]

    groups, other_groups = _group_breakdown(by_group, day)
    graph = _UnitGraph(day)
    return {
        "date": day.isoformat(),
        "language": get_language() or settings.LANGUAGE_CODE,
        "products_by_stars": {str(s): by_stars.get(s, 0) for s in (3, 4, 5)},
        "total_certified": sum(by_stars.values()),
        "products_by_group": groups,
        "products_by_group_other_schemes": other_groups,
        "products_by_region": {
            "pre_2025_district": graph.district_breakdown(by_origin),
            "current": graph.current_breakdown(by_origin),
        },
        **_producer_stats(day),
        **_expiry_stats(day, current),
        "yearly_target": _yearly_target(day),
        "sales_points_by_level": _sales_points_by_level(),
    }


def _sales_points_by_level() -> dict[str, int]:
    """Active outlets per level, every level present (zeros included)."""
    counts = dict(
        SalesPoint.objects.filter(is_active=True)
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return {level: counts.get(level, 0) for level in SalesPoint.Level.values}


def _group_breakdown(by_group: Counter, day: dt.date) -> tuple[list, list]:
    """Rows for the six main groups of the scheme in force on `day` (zeros included),
    and, separately, the main groups of older schemes that still have products.

    Certificates issued under 1048/QĐ-TTg keep their 2019 group: the two lists do not
    map one to one (textiles, souvenirs) and the sources give no mapping, so they are
    reported apart rather than guessed into the 2023 list."""
    tops = list(
        ProductGroup.objects.filter(parent__isnull=True)
        .select_related("scheme")
        .order_by("scheme__valid_from", "position", "code")
    )
    scheme = _scheme_on(day, {g.scheme_id: g.scheme for g in tops})
    main, others = [], []
    for g in tops:
        row = {"code": g.code, "name": g.name, "count": by_group.get(g.pk, 0)}
        if scheme is not None and g.scheme_id == scheme.pk:
            main.append(row)
        elif row["count"]:
            others.append(
                {"scheme": g.scheme.code, "scheme_name": g.scheme.name, **row}
            )
    return main, others


def _scheme_on(
    day: dt.date, schemes: dict[int, ProductGroupScheme]
) -> ProductGroupScheme | None:
    """The group list in force on `day` (148-2023 today); the newest if none is."""

    def in_force(s):
        return (s.valid_from is None or s.valid_from <= day) and (
            s.valid_to is None or day <= s.valid_to
        )

    ordered = sorted(schemes.values(), key=lambda s: s.valid_from or dt.date.min)
    matching = [s for s in ordered if in_force(s)]
    return (matching or ordered or [None])[-1]


def _producer_stats(day: dt.date) -> dict:
    with_certified = Certificate.objects.valid_on(day).filter(
        product__producer=OuterRef("pk")
    )
    by_kind = dict.fromkeys(Producer.Kind.values, 0)
    for row in (
        Producer.objects.filter(Exists(with_certified))
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_kind[row["kind"]] = row["n"]
    return {
        "producers_by_kind": by_kind,
        "producers_certified": sum(by_kind.values()),
        "producers_total": Producer.objects.count(),
    }


def _expiry_stats(day: dt.date, current: QuerySet) -> dict:
    """Counts are cumulative (within 90 days includes within 30) and per product: only
    its newest certificate in force counts, so a product already re-recognised is not
    'expiring'."""
    counts = current.aggregate(
        within_90_days=Count("pk", filter=Q(expires_on__lte=day + dt.timedelta(90))),
        within_30_days=Count("pk", filter=Q(expires_on__lte=day + dt.timedelta(30))),
    )
    # Products not in force today whose newest certificate ran out (marked expired, or
    # still active past its expiry before the nightly job) with no renewal. Revoked and
    # under-re-assessment certificates are excluded: they did not simply lapse.
    signed_by_day = Certificate.objects.filter(signed_on__lte=day)
    newer = signed_by_day.filter(product=OuterRef("product")).filter(
        Q(signed_on__gt=OuterRef("signed_on"))
        | Q(signed_on=OuterRef("signed_on"), pk__gt=OuterRef("pk"))
    )
    counts["expired_not_renewed"] = (
        signed_by_day.filter(
            Q(status=Certificate.Status.EXPIRED)
            | Q(status=Certificate.Status.ACTIVE, expires_on__lte=day)
        )
        .filter(~Exists(newer))
        .exclude(
            Exists(
                Certificate.objects.valid_on(day).filter(product=OuterRef("product"))
            )
        )
        .count()
    )
    english = (get_language() or "").startswith("en")
    soonest = []
    for c in current.order_by("expires_on", "pk").values(
        "pk",
        "product_id",
        "product__title",
        "product__title_en",
        "product__slug",
        "decision_number",
        "stars",
        "expires_on",
    )[:EXPIRING_LIST_SIZE]:
        soonest.append(
            {
                "certificate_id": c["pk"],
                "product_id": c["product_id"],
                "product_slug": c["product__slug"],
                "product_title": (english and c["product__title_en"])
                or c["product__title"],
                "decision_number": c["decision_number"],
                "stars": c["stars"],
                "expires_on": c["expires_on"].isoformat(),
                "days_left": (c["expires_on"] - day).days,
            }
        )
    return {"certificates_expiring": counts, "certificates_expiring_soonest": soonest}


def _yearly_target(day: dt.date) -> dict:
    """New products this year: those whose very first certificate (no earlier one of any
    status, and not a renewal) of 3★+ was signed this year and is not revoked."""
    earlier = Certificate.objects.filter(
        product=OuterRef("product"), signed_on__lt=OuterRef("signed_on")
    )
    new_products = (
        Certificate.objects.filter(
            renews__isnull=True,
            stars__gte=3,
            signed_on__year=day.year,
            signed_on__lte=day,
        )
        .exclude(status=Certificate.Status.REVOKED)
        .filter(~Exists(earlier))
        .aggregate(n=Count("product", distinct=True))["n"]
    )
    target = settings.OCOP_YEARLY_TARGET
    progress = round(new_products / target, 4) if target else 0.0
    return {
        "year": day.year,
        "target": target,
        "new_products": new_products,
        "progress": progress,
        "percent": round(progress * 100),
    }


class _UnitGraph:
    """Administrative units and their successions, read once (two queries) and walked
    in memory, so placing each origin costs no query."""

    def __init__(self, day: dt.date):
        self.day = day
        self.units = {u.pk: u for u in AdministrativeUnit.objects.all()}
        self.successors, self.predecessors = defaultdict(list), defaultdict(list)
        through = AdministrativeUnit.successors.through
        for old, new in through.objects.values_list(
            "from_administrativeunit_id", "to_administrativeunit_id"
        ):
            self.successors[old].append(self.units[new])
            self.predecessors[new].append(self.units[old])
        self.districts = [
            u
            for u in self.units.values()
            if u.level == Level.DISTRICT
            and u.parent_id
            and self.units[u.parent_id].code in PRE_2025_PROVINCES
        ]
        self.district_ids = {u.pk for u in self.districts}

    # Pre-2025 districts.

    def district_of(self, unit: AdministrativeUnit) -> AdministrativeUnit | None:
        """The pre-2025 district an origin lay in, or None if it cannot be placed.

        A commune made by the 2025 merger goes to the district most of its predecessor
        communes were in, ties broken by the district's code: the new Tân Cương
        (old Tân Cương + Thịnh Đức of Thái Nguyên city, Bình Sơn of Sông Công city)
        counts once, under Thái Nguyên city. Province-level origins have no district."""
        own = self._listed_district(unit)
        if own is not None or unit.level != Level.COMMUNE:
            return own
        found: Counter = Counter()
        frontier, seen = list(self.predecessors[unit.pk]), {unit.pk}
        while frontier:  # merged more than once: keep going back
            nxt = []
            for pred in frontier:
                if pred.pk in seen:
                    continue
                seen.add(pred.pk)
                district = self._listed_district(pred)
                if district is not None:
                    found[district.pk] += 1
                else:
                    nxt.extend(self.predecessors[pred.pk])
            frontier = nxt
        if not found:
            return None
        best = min(found, key=lambda pk: (-found[pk], self.units[pk].code))
        return self.units[best]

    def _listed_district(self, unit) -> AdministrativeUnit | None:
        if unit.pk in self.district_ids:
            return unit
        if unit.level == Level.COMMUNE and unit.parent_id in self.district_ids:
            return self.units[unit.parent_id]
        return None

    def district_breakdown(self, by_origin: Counter) -> list[dict]:
        counts, other = Counter(), 0
        for origin_id, n in by_origin.items():
            if origin_id is None:
                continue
            district = self.district_of(self.units[origin_id])
            if district is None:
                other += n
            else:
                counts[district.pk] += n
        ordered = sorted(
            self.districts,
            key=lambda d: (
                PRE_2025_PROVINCES.index(self.units[d.parent_id].code),
                d.official_code == "",
                d.official_code,
                d.code,
            ),
        )
        return [
            {
                "code": d.code,
                "name": d.full_name,
                "province": self.units[d.parent_id].full_name,
                "count": counts.get(d.pk, 0),
            }
            for d in ordered
        ] + self._leftover_rows(other, by_origin.get(None, 0), province="")

    # Current units.

    def current_place(self, unit) -> tuple[AdministrativeUnit | None, ...]:
        """(province, commune) valid on the day that cover an origin; the commune is None
        when unknown (no recorded successor, a split, or a province-wide origin)."""
        candidate, exact = unit, True
        while candidate is not None:
            matches = self._counterparts(candidate)
            if matches:
                first = matches[0]
                commune = (
                    first
                    if exact and len(matches) == 1 and first.level == Level.COMMUNE
                    else None
                )
                return self._province_of(first), commune
            # No recorded successor: the parent's successor still gives the province.
            candidate = self.units.get(candidate.parent_id)
            exact = False
        return None, None

    def _counterparts(self, unit) -> list[AdministrativeUnit]:
        """The unit if valid on the day, else the units valid then that replaced it
        (or, for a unit created after the day, that it replaced)."""
        if unit.is_valid_on(self.day):
            return [unit]
        links = (
            self.predecessors
            if unit.valid_from and unit.valid_from > self.day
            else self.successors
        )
        frontier, seen, found = [unit], {unit.pk}, []
        while frontier:
            nxt = []
            for u in frontier:
                for other in links[u.pk]:
                    if other.pk in seen:
                        continue
                    seen.add(other.pk)
                    (found if other.is_valid_on(self.day) else nxt).append(other)
            frontier = nxt
        return sorted(found, key=lambda u: (u.name_vi, u.code))

    def _province_of(self, unit) -> AdministrativeUnit | None:
        while unit is not None and unit.level != Level.PROVINCE:
            unit = self.units.get(unit.parent_id)
        return unit

    def current_breakdown(self, by_origin: Counter) -> list[dict]:
        provinces: dict[int, dict] = {}
        other = 0
        for origin_id, n in by_origin.items():
            if origin_id is None:
                continue
            province, commune = self.current_place(self.units[origin_id])
            if province is None:
                other += n
                continue
            row = provinces.setdefault(
                province.pk,
                {
                    "code": province.code,
                    "name": province.full_name,
                    "count": 0,
                    "communes": Counter(),
                    "commune_unknown": 0,
                },
            )
            row["count"] += n
            if commune is None:
                row["commune_unknown"] += n
            else:
                row["communes"][commune.pk] += n
        result = []
        for row in sorted(
            provinces.values(), key=lambda r: (-r["count"], r["name"], r["code"])
        ):
            communes = [self.units[pk] for pk in row["communes"]]
            communes.sort(key=lambda u: (-row["communes"][u.pk], u.name_vi, u.code))
            row["communes"] = [
                {"code": u.code, "name": u.full_name, "count": row["communes"][u.pk]}
                for u in communes
            ]
            result.append(row)
        return result + self._leftover_rows(
            other, by_origin.get(None, 0), communes=[], commune_unknown=0
        )

    @staticmethod
    def _leftover_rows(other: int, unknown: int, **extra) -> list[dict]:
        rows = [
            {
                "code": OTHER,
                "name": _("Elsewhere or province-wide"),
                "count": other,
                **extra,
            },
            {
                "code": UNKNOWN,
                "name": _("Origin not recorded"),
                "count": unknown,
                **extra,
            },
        ]
        return rows
