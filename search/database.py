"""The database search backend (issue 7): the embedded default, and the fallback when
Elasticsearch is down. It answers from ProductDocument and ProductText
(search.models).

- Matching: every query token (or one of its synonyms, search.text.expand) must
  begin a word of the product's folded text: LIKE '% token%' on the space-padded
  `folded` column, one condition per token (a GIN trigram index serves it on
  PostgreSQL; SQLite scans). The words may come from different fields.
- With text, one query reads every match (under the filters that are not facets):
  its id, sort keys, facet fields and scored lines. Relevance is search.text.score
  over the title, producer, group and description (with origin) lines, so exact
  diacritics rank above folded matches and title above producer above group above
  description, as on Elasticsearch; the facet filters and counts are applied to
  those rows in Python, with the same Condition objects that make the SQL.
- Without text, the database sorts and pages, and counts each facet in one
  aggregate query under every other facet's filters.
- Then the page's products are fetched, with what a listing card shows, in order.

The number of queries does not depend on the page size."""

import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit, Producer, ProductGroup
from catalogue.selectors import certificates_valid_prefetch
from sales_points.models import SalesPoint
from sales_points.selectors import KM_PER_DEGREE, haversine_km
from search import outbox
from search.documents import documents_sync
from search.models import (
    SCORED_FIELDS,
    ProductDocument,
    codes_contains,
    codes_split,
)
from search.query import FACETS, FacetValue, SearchQuery, SearchResult
from search.text import Vocabulary, expand, score, suggest, tokens

Product = get_model("catalogue", "Product")

# The producer facet lists the producers with most results (and any selected).
PRODUCER_FACET_SIZE = 20
# A process rebuilds its "did you mean" vocabulary after a drain (the generation in
# the cache changes) and at the latest after this long (other processes' drains,
# when the cache is per process).
VOCABULARY_MAX_AGE = 600.0
_NEWEST = ("-date_created", "-pk")
_SQL_ORDER = {
    "price": (F("price_vnd").asc(nulls_last=True), *_NEWEST),
    "-price": (F("price_vnd").desc(nulls_last=True), *_NEWEST),
    "stars": (F("stars").desc(nulls_last=True), *_NEWEST),
    "newest": _NEWEST,
    "relevance": _NEWEST,  # without text every product is as relevant: newest first
}
# What the text path reads of each match.
_ROW_FIELDS = (
    "pk", "price_vnd", "stars", "date_created", "group_codes", "region_codes",
    "producer_id", "producer_kind", "in_stock", "outlet_codes", "text__normalized",
    "text__folded",
)  # fmt: skip
_NOTHING = Q(pk__in=[])


class DatabaseBackend:
    name = "database"

    def is_available(self) -> bool:
        return True

    def index(self, product_ids: list[int]) -> None:
        documents_sync(product_ids)

    def search(self, query: SearchQuery) -> SearchResult:
        text = query.text.strip()
        alternatives = expand(tokens(text))
        base = (
            Q(certified_until__gte=timezone.localdate())
            if query.certified_only
            else Q()
        )
        for words in alternatives:
            base &= _any(Q(text__folded__contains=f" {word}") for word in sorted(words))
        if query.price_min is not None:
            base &= Q(price_vnd__gte=query.price_min)
        if query.price_max is not None:
            base &= Q(price_vnd__lte=query.price_max)
        if query.categories:
            base &= Condition("category_ids", query.categories, delimited=True).q()
        filters = facet_filters(query)
        documents = ProductDocument.objects.filter(base).order_by()
        if alternatives:
            page_ids, total, counts = _search_rows(documents, filters, query, text)
        else:
            page_ids, total, counts = _search_sql(documents, filters, query)
        with translation.override(query.language):
            facets = _facets(counts, query)
        return SearchResult(
            products=_products_in_order(page_ids),
            total=total,
            facets=facets,
            suggestion=suggest(text, vocabulary()) if text else None,
            backend=self.name,
        )


# --- Filters ----------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One filter on a document field: the field is one of the values, or, for a
    delimited "|a|b|" field, holds one of them. As SQL (q) and on a row (test)."""

    field: str
    values: tuple
    delimited: bool = False

    def q(self) -> Q:
        if self.delimited:
            return _any(
                Q(**{f"{self.field}__contains": codes_contains(value)})
                for value in self.values
            )
        return Q(**{f"{self.field}__in": self.values}) if self.values else _NOTHING

    def test(self, row: dict) -> bool:
        value = row[self.field]
        if self.delimited:
            return any(codes_contains(v) in value for v in self.values)
        return value in self.values


def _any(conditions: Iterable[Q]) -> Q:
    conditions = list(conditions)
    return reduce(or_, conditions) if conditions else _NOTHING


def facet_filters(query: SearchQuery) -> dict[str, dict[str, Condition]]:
    """The conditions of each facet the query narrows (facets ANDed, values ORed;
    the availability facet's conditions ANDed: in stock, at the outlet, near)."""
    filters = {}
    if query.groups:
        filters["group"] = {"group": Condition("group_codes", query.groups, True)}
    if query.stars:
        stars = tuple(int(value) for value in query.stars)
        filters["stars"] = {"stars": Condition("stars", stars)}
    if query.regions:
        filters["region"] = {"region": Condition("region_codes", query.regions, True)}
    if query.producer_kinds:
        kinds = tuple(query.producer_kinds)
        filters["producer_kind"] = {"producer_kind": Condition("producer_kind", kinds)}
    if query.producers:
        producers = tuple(int(value) for value in query.producers)
        filters["producer"] = {"producer": Condition("producer_id", producers)}
    availability = {}
    if query.in_stock:
        availability["in_stock"] = Condition("in_stock", (True,))
    if query.outlet:
        availability["outlet"] = Condition("outlet_codes", (query.outlet,), True)
    if query.near is not None:
        near = tuple(outlets_within(*query.near, query.near_km))
        availability["near"] = Condition("outlet_codes", near, True)
    if availability:
        filters["availability"] = availability
    return filters


def _q(conditions: dict[str, Condition]) -> Q:
    return reduce(and_, (condition.q() for condition in conditions.values()))


def outlets_within(lat: float, lng: float, km: float) -> list[str]:
    """Codes of the active outlets within `km` of the point: a latitude/longitude
    box narrows them in the database, haversine decides."""
    dlat = km / KM_PER_DEGREE
    outlets = SalesPoint.objects.filter(
        is_active=True, latitude__gte=lat - dlat, latitude__lte=lat + dlat
    )
    cos_lat = math.cos(math.radians(min(89.9, abs(lat) + dlat)))
    dlng = km / (KM_PER_DEGREE * cos_lat)
    if -180 <= lng - dlng and lng + dlng <= 180:  # else: every longitude
        outlets = outlets.filter(longitude__gte=lng - dlng, longitude__lte=lng + dlng)
    rows = outlets.values_list("code", "latitude", "longitude")
    return sorted(
        code for code, a, b in rows if haversine_km(lat, lng, float(a), float(b)) <= km
    )


# --- Without text: the database sorts, pages and counts ---------------------------


def _search_sql(documents, filters, query: SearchQuery):
    results = documents.filter(*(_q(c) for c in filters.values()))
    total = results.count()
    page_ids = list(
        results.order_by(*_SQL_ORDER.get(query.sort, _NEWEST)).values_list(
            "pk", flat=True
        )[_page_slice(query)]
    )

    def under_others(facet: str):
        return documents.filter(*(_q(c) for f, c in filters.items() if f != facet))

    counts = {}
    for facet, field in _FACET_FIELDS.items():
        rows = (
            under_others(facet)
            .exclude(**{f"{field}__isnull": True})
            .exclude(**{field: ""} if field in _TEXT_FACETS else {})
            .values_list(field)
            .annotate(n=Count("pk"))
        )
        counts[facet] = _tally(facet, rows)
    wanted = _availability_wanted(filters)
    counts["availability"] = Counter(
        under_others("availability").aggregate(
            **{name: Count("pk", filter=c.q()) for name, c in wanted.items()}
        )
    )
    return page_ids, total, counts


# Facet -> the document field counted (availability is counted apart).
_FACET_FIELDS = {
    "group": "group_codes",
    "stars": "stars",
    "region": "region_codes",
    "producer_kind": "producer_kind",
    "producer": "producer_id",
}
_TEXT_FACETS = {"group_codes", "region_codes", "producer_kind"}


def _tally(facet: str, rows: Iterable[tuple]) -> Counter:
    """Counts per facet value from (field value, count) pairs; a delimited field
    counts once for each of its codes."""
    counts = Counter()
    for value, n in rows:
        if value is None or value == "":
            continue
        if facet in ("group", "region"):
            for code in codes_split(value):
                counts[code] += n
        else:
            counts[str(value)] += n
    return counts


def _availability_wanted(filters) -> dict[str, Condition]:
    """What the availability facet counts: in stock, and the outlet or the
    neighbourhood when the query asks for them."""
    wanted = {"in_stock": Condition("in_stock", (True,))}
    wanted.update(filters.get("availability", {}))
    return wanted


def _page_slice(query: SearchQuery) -> slice:
    size = max(1, query.page_size)
    start = (max(1, query.page) - 1) * size
    return slice(start, start + size)


# --- With text: the matches are read once, scored, filtered and counted here ------


def _search_rows(documents, filters, query: SearchQuery, text: str):
    relevance = _scorer(text)
    wanted = _availability_wanted(filters)
    tests = {facet: tuple(conditions.values()) for facet, conditions in filters.items()}
    counts = {facet: Counter() for facet in FACETS}
    keyed = []
    for row in documents.values(*_ROW_FIELDS):
        failed = [
            facet
            for facet, conditions in tests.items()
            if not all(condition.test(row) for condition in conditions)
        ]
        if len(failed) > 1:
            continue
        # A row counts in a facet when it passes every other facet's filters.
        for facet in failed or FACETS:
            _count(counts[facet], facet, row, wanted)
        if not failed:
            points = relevance(row["text__normalized"], row["text__folded"])
            keyed.append((_sort_key(query.sort, row, points), row["pk"]))
    keyed.sort()
    return [pk for _key, pk in keyed[_page_slice(query)]], len(keyed), counts


def _count(counts: Counter, facet: str, row: dict, wanted: dict) -> None:
    """Add one row to a facet's counts (as _tally does for grouped rows)."""
    if facet == "availability":
        for name, condition in wanted.items():
            if condition.test(row):
                counts[name] += 1
        return
    value = row[_FACET_FIELDS[facet]]
    if value is None or value == "":
        return
    if facet in ("group", "region"):
        for code in codes_split(value):
            counts[code] += 1
    else:
        counts[str(value)] += 1


def _sort_key(sort: str, row: dict, points: float) -> tuple:
    """The chosen sort first, then relevance, then newest."""
    price, stars, pk = row["price_vnd"], row["stars"], row["pk"]
    newest = -row["date_created"].timestamp()
    if sort == "price":
        return (price is None, price or 0, -points, newest, -pk)
    if sort == "-price":
        return (price is None, -(price or 0), -points, newest, -pk)
    if sort == "stars":
        return (stars is None, -(stars or 0), -points, newest, -pk)
    if sort == "newest":
        return (newest, -pk)
    return (-points, newest, -pk)


def _scorer(text: str) -> Callable[[str, str], float]:
    """search.text.score of a document, from its normalized and folded lines.

    A field's match strength depends only on its words whose folded form begins
    with a folded query token or synonym (any exact-diacritic occurrence is one of
    them too), so only the set of those words is passed to score(): what is left
    is short and repeats across documents, and each distinct one is scored once.
    (Scoring whole descriptions instead costs ~0.2 ms a document: score()
    normalises them again.) The words are found with one regular expression on the
    folded line; a folded line has as many characters as its normalized line (NFC
    letters fold one to one) unless it holds a stray combining mark, and then the
    words are paired one by one instead."""
    alternatives = sorted({word for words in expand(tokens(text)) for word in words})
    prefixes = tuple(alternatives)
    starts = re.compile(
        r"(?<!\S)(?:" + "|".join(map(re.escape, alternatives)) + r")\S*"
    )
    names = tuple(SCORED_FIELDS)
    scores: dict[tuple[str, ...], float] = {}

    def kept_words(line: str, folded_line: str) -> str:
        folded_line = folded_line[1:-1]  # the padding
        if len(folded_line) == len(line):
            found = {line[m.start() : m.end()] for m in starts.finditer(folded_line)}
        else:
            found = {
                word
                for word, folded in zip(line.split(), folded_line.split(), strict=False)
                if folded.startswith(prefixes)
            }
        # a set, in order: what occurs matters, not where or how often
        return " ".join(sorted(found))

    def relevance(normalized: str, folded: str) -> float:
        key = tuple(
            kept_words(line, folded_line)
            for line, folded_line in zip(
                normalized.split("\n"), folded.split("\n"), strict=False
            )
        )
        if key not in scores:
            scores[key] = score(text, dict(zip(names, key, strict=False)))
        return scores[key]

    return relevance


def _products_in_order(ids: list[int]) -> list:
    """The page's products with what a listing card reads (as
    search.selectors.products_browsable prefetches), in the order given."""
    if not ids:
        return []
    products = (
        Product.objects.filter(pk__in=ids)
        .base_queryset()
        .select_related("producer", "origin")
        .prefetch_related(certificates_valid_prefetch())
    )
    by_pk = {product.pk: product for product in products}
    return [by_pk[pk] for pk in ids if pk in by_pk]


# --- Facet values and labels ------------------------------------------------------


def _facets(counts: dict[str, Counter], query: SearchQuery) -> dict[str, list]:
    english = (query.language or "").startswith("en")
    return {
        "group": _group_facet(counts["group"], query, english),
        "stars": _stars_facet(counts["stars"], query),
        "region": _region_facet(counts["region"], query),
        "producer_kind": _kind_facet(counts["producer_kind"], query),
        "producer": _producer_facet(counts["producer"], query, english),
        "availability": _availability_facet(counts["availability"], query, english),
    }


def _facet_values(counts: Counter, labels: dict, selected, order=None) -> list:
    """FacetValues for the counted values and the selected ones (a selected value
    without results still shows, so it can be unticked); most results first."""
    selected = {str(value) for value in selected}
    values = set(counts) | selected
    if order is None:

        def order(value):
            return (-counts.get(value, 0), str(labels.get(value, value)))

    return [
        FacetValue(
            value=value,
            label=str(labels.get(value, value)),
            count=counts.get(value, 0),
            selected=value in selected,
        )
        for value in sorted(values, key=order)
    ]


def _name(vi: str, en: str, english: bool) -> str:
    return (en if english and en else vi) or ""


def _group_facet(counts: Counter, query: SearchQuery, english: bool) -> list:
    """Main groups and subgroups, each counting the results in it. A code names
    the same group in every scheme; the newest scheme's name is shown."""
    codes = set(counts) | set(query.groups)
    labels = {}
    groups = ProductGroup.objects.filter(code__in=codes).order_by(
        F("scheme__valid_from").desc(nulls_last=True)
    )
    for code, vi, en in groups.values_list("code", "name_vi", "name_en"):
        labels.setdefault(code, _name(vi, en, english))
    return _facet_values(counts, labels, query.groups)


def _stars_facet(counts: Counter, query: SearchQuery) -> list:
    values = set(counts) | {str(s) for s in query.stars}
    labels = {value: f"{value} ★" for value in values}
    return _facet_values(counts, labels, query.stars, order=lambda v: -int(v))


def _region_facet(counts: Counter, query: SearchQuery) -> list:
    """Every unit of origin (commune, district, province), each counting the results
    from it or below it; provinces first, then districts, then communes."""
    codes = set(counts) | set(query.regions)
    units = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(code__in=codes).only(
            "code", "level", "kind_vi", "kind_en", "name_vi", "name_en"
        )
    }
    levels = list(AdministrativeUnit.Level.values)
    labels = {code: unit.full_name for code, unit in units.items()}

    def order(code):
        unit = units.get(code)
        level = levels.index(unit.level) if unit else len(levels)
        return (level, -counts.get(code, 0), labels.get(code, code))

    return _facet_values(counts, labels, query.regions, order=order)


def _kind_facet(counts: Counter, query: SearchQuery) -> list:
    labels = dict(Producer.Kind.choices)
    return _facet_values(counts, labels, query.producer_kinds)


def _producer_facet(counts: Counter, query: SearchQuery, english: bool) -> list:
    """The producers with most results, and the selected ones."""
    selected = {str(pk) for pk in query.producers}
    top = sorted(counts, key=lambda pk: (-counts[pk], int(pk)))[:PRODUCER_FACET_SIZE]
    shown = set(top) | selected
    labels = {
        str(pk): _name(vi, en, english)
        for pk, vi, en in Producer.objects.filter(pk__in=shown).values_list(
            "pk", "name_vi", "name_en"
        )
    }
    shown_counts = Counter({pk: counts[pk] for pk in shown if pk in counts})
    return _facet_values(shown_counts, labels, query.producers)


def _availability_facet(counts: Counter, query: SearchQuery, english: bool) -> list:
    """ "in_stock" (free to sell at some active outlet), and, when the query asks for
    them, "outlet:<code>" and "near"; counts under the other facets' filters."""
    values = [FacetValue("in_stock", _("In stock"), counts["in_stock"], query.in_stock)]
    if query.outlet:
        names = (
            SalesPoint.objects.filter(code=query.outlet)
            .values_list("name_vi", "name_en")
            .first()
        )
        label = _name(*names, english) if names else query.outlet
        values.append(
            FacetValue(f"outlet:{query.outlet}", label, counts["outlet"], True)
        )
    if query.near is not None:
        label = _("Within %(km)s km") % {"km": f"{query.near_km:g}"}
        values.append(FacetValue("near", label, counts["near"], True))
    return values


# --- Did you mean -----------------------------------------------------------------

_vocabulary: tuple[int, float, Vocabulary] | None = None


def vocabulary() -> Vocabulary:
    """The words of every document's title and producer, with their frequencies;
    built once per process and documents generation (search.outbox)."""
    global _vocabulary
    current = outbox.generation()
    now = time.monotonic()
    if (
        _vocabulary is None
        or _vocabulary[0] != current
        or now - _vocabulary[1] > VOCABULARY_MAX_AGE
    ):
        texts = Counter()
        rows = ProductDocument.objects.values_list(
            "text__title_vi_folded", "text__title_en_folded",
            "text__producer_vi_folded", "text__producer_en_folded",
        )  # fmt: skip
        for row in rows.iterator(chunk_size=2000):
            texts.update(filter(None, row))
        _vocabulary = (current, now, Vocabulary(texts))
    return _vocabulary[2]
