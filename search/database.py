"""The database search backend (issue 7): the embedded default, and the fallback when
Elasticsearch is down. It answers from ProductDocument and ProductTerms
(search.models), in one of two ways with the same rules and the same answers
(tests/search/test_columns.py holds them to it):

- By default (settings.SEARCH_DATABASE_COLUMNS) from the process's copy of the
  documents as numpy columns (search.columns, _search_columns), kept current with
  one query an answer: about a millisecond where the statement below takes tens of
  milliseconds for a text matching thousands of products.
- Otherwise by one SQL statement, as follows.

- Matching: every query token must begin a word of one of the product's folded
  lines, or have a synonym (search.text.alternatives) that is a whole word of one,
  as written. The words may come from different lines.
  - PostgreSQL: full-text search on ProductWords, a tsvector of every line's
    folded and written words weighted by line (migrations 0004, 0005), whose GIN index
    finds the matches ('tra':* | '=chè' | '=che'); the relevance tests weighted
    tsqueries on it ('tra':*A: a title word), no string is scanned (_words_text).
  - SQLite: LIKE '% token%' on the space-padded folded lines and LIKE '% chè %' on
    the written ones, scanned (_lines_text).
- One statement then answers the rest (_search_sql): the matches under the filters
  that are not facets, once, with their relevance computed in SQL when the order
  reads it (search.text.score: exact diacritics above folded, title above producer
  above group above description), sort keys, facet fields and a flag per facet
  filter; from them the total, the page and each facet's counts under the other
  facets' filters (on PostgreSQL in one pass, GROUPING SETS; the producers only as
  many as the facet shows).
- Then the page's products are fetched, with what a listing card shows, in order
  (products_in_order, four queries).

The number of queries does not depend on the page size, nor on whether there is
text: at most eight (the copy's version or the statement, three labels, four for
the products; fewer when labels or products are not needed), plus one for the
outlet's name or the outlets near the point when the query asks for them.

With settings.SEARCH_RESULT_CACHE_SECONDS, the answer (the page's ids, the total, the
labelled facets, the suggestion) is cached by query, day and documents generation,
like Elasticsearch's request cache: the same query, a facet unticked again, a page
asked twice cost only the page's products (four queries). A drain of the outbox that
changes a document (a product, stock, certificate, producer, outlet... changed) starts
a new generation, so no answer outlives the documents it was read from; one that
changes none (a sale that leaves units free) keeps the answers."""

import hashlib
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit, Producer, ProductGroup
from catalogue.selectors import certificates_valid_prefetch
from sales_points.models import SalesPoint
from sales_points.selectors import KM_PER_DEGREE, haversine_km
from search import columns, outbox
from search.columns import columns_current, columns_lock
from search.documents import WORD_WEIGHTS, documents_sync
from search.models import SCORED_FIELDS, ProductDocument, codes_contains, codes_split
from search.query import FACETS, FacetValue, SearchQuery, SearchResult
from search.text import (
    EXACT,
    FIELD_WEIGHTS,
    FOLDED,
    Vocabulary,
    alternatives,
    suggest,
    tokens,
)
from shop.partner.strategy import stockrecord_selected_prefetch

Product = get_model("catalogue", "Product")

# The producer facet lists the producers with most results (and any selected).
PRODUCER_FACET_SIZE = 20
# A process rebuilds its "did you mean" vocabulary after a drain (the generation in
# the cache changes) and at the latest after this long (other processes' drains,
# when the cache is per process).
VOCABULARY_MAX_AGE = 600.0
_NOTHING = Q(pk__in=[])
# ProductTerms' lines, best first (search.text.FIELD_WEIGHTS).
_LINES = tuple(SCORED_FIELDS)


class DatabaseBackend:
    name = "database"

    def is_available(self) -> bool:
        return True

    def index(self, product_ids: list[int]) -> None:
        documents_sync(product_ids)

    def search(self, query: SearchQuery) -> SearchResult:
        seconds = settings.SEARCH_RESULT_CACHE_SECONDS
        # The key (its generation) is taken before the read: an answer read while a
        # drain commits is stored under the generation the drain then leaves.
        key = _answer_key(query) if seconds > 0 else None
        answer = cache.get(key) if key else None
        if answer is None:
            answer = self._answer(query)
            if key:
                cache.set(key, answer, seconds)
        return SearchResult(
            products=products_in_order(answer.page_ids),
            total=answer.total,
            facets=answer.facets,
            suggestion=answer.suggestion,
            backend=self.name,
        )

    def _answer(self, query: SearchQuery) -> "Answer":
        text = query.text.strip()
        if settings.SEARCH_DATABASE_COLUMNS:
            filters = facet_filters(query)  # its query before the lock
            with columns_lock():
                docs = columns_current()
                page_ids, total, counts = _search_columns(docs, query, filters)
                words = columns.columns_vocabulary(docs) if text else None
        else:
            page_ids, total, counts = _search_statement(query)
            words = vocabulary() if text else None
        with translation.override(query.language):
            facets = facets_labelled(counts, query)
        return Answer(
            page_ids=page_ids,
            total=total,
            facets=facets,
            suggestion=suggest(text, words) if text else None,
        )


@dataclass(frozen=True)
class Answer:
    """What the database computes for a query, before the page's products are read."""

    page_ids: list[int]
    total: int
    facets: dict[str, list[FacetValue]]
    suggestion: str | None


def _answer_key(query: SearchQuery) -> str:
    """The cache key of a query's answer: the query (every field), today (what is
    certified changes at midnight) and the documents generation."""
    digest = hashlib.blake2b(repr(query).encode(), digest_size=16).hexdigest()
    return f"search:answer:{outbox.generation()}:{timezone.localdate()}:{digest}"


# --- Text: which documents match, and how relevant they are ----------------------
#
# Each way returns the matching documents, the annotations the statement needs and
# the SQL of the relevance over them: 10 * search.text.score, that is 9 * the best
# line's points + the sum of every line's points (_search_sql).

_WORDS = '"search_productwords"."words"'
_TESTED = f"{_WORDS} @@ CAST(%s AS tsquery)"


def _words_text(documents, exact: list[str], expanded: list):
    """PostgreSQL: the documents whose words (ProductWords, migration 0005: a narrow
    table of its own) hold every token (its GIN index finds them), and their
    relevance from weighted tsqueries on that tsvector (no string is scanned), each
    tested at most once a row:

    - A line scores FOLDED when every token (or a synonym) begins one of its folded
      words, EXACT when moreover every token begins one of its words as written.
    - The lines are tried best first; the first that scores is the best line, and
      the later ones only add their points (_best_then_rest).
    - Most documents of a broad query hold it in their description only: one test
      of the title, producer and group together ("ocop:*ABC") sends them to the
      description's points alone."""
    if not exact:
        return documents, {}, None
    documents = documents.filter(words__isnull=False).filter(
        _words_match(" & ".join(_word_any(own, syn) for own, syn in expanded))
    )
    tests = {}
    for line in _LINES:
        weight = WORD_WEIGHTS[line]
        folded = " & ".join(_word_any(own, syn, weight) for own, syn in expanded)
        exactly = " & ".join(_lexeme(f"={token}", f"*{weight}") for token in exact)
        tests[line] = (folded, exactly)
    upper = " & ".join(_word_any(own, syn, "ABC") for own, syn in expanded)
    # A match with one token in no upper line holds it in the description.
    lower = _best_then_rest(tests, ["description"], known=len(expanded) == 1)
    every = _best_then_rest(tests, list(_LINES))
    sql = f"CASE WHEN {_TESTED} THEN {every[0]} ELSE {lower[0]} END"
    relevance = RawSQL(sql, (upper, *every[1], *lower[1]), output_field=IntegerField())
    return documents, {"relevance": relevance}, "relevance"


def _points_sql(tests: dict, line: str, scale: int, folded: bool = False):
    """(SQL, params) of a line's points times scale; folded=True when the folded
    test is known to pass."""
    fold_query, exact_query = tests[line]
    weight = FIELD_WEIGHTS[line] * scale
    sql = f"CASE WHEN {_TESTED} THEN {EXACT * weight} ELSE {FOLDED * weight} END"
    if folded:
        return sql, [exact_query]
    return (
        f"CASE WHEN {_TESTED} THEN {sql} ELSE 0 END",
        [fold_query, exact_query],
    )


def _best_then_rest(tests: dict, lines: list[str], known: bool = False):
    """(SQL, params): 10 times the points of the first of the lines that scores,
    plus the points of the lines after it; 0 when none scores. known: the first
    line's folded test is known to pass."""
    if not lines:
        return "0", []
    first, rest = lines[0], lines[1:]
    best, params = _points_sql(tests, first, 10, folded=True)
    sql = best
    for line in rest:
        points, more = _points_sql(tests, line, 1)
        sql += f" + {points}"
        params += more
    if known:
        return sql, params
    fold_query = tests[first][0]
    other, more = _best_then_rest(tests, rest)
    return (
        f"CASE WHEN {_TESTED} THEN {sql} ELSE {other} END",
        [fold_query, *params, *more],
    )


def _lexeme(word: str, suffix: str = "") -> str:
    """A tsquery operand: the quoted word, then ":" and the prefix mark and weight."""
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:{suffix}" if suffix else quoted


def _word_any(own: str, synonyms: Iterable[str], weight: str = "") -> str:
    """A word beginning with the folded token, or a synonym as a whole word as
    written (search.text.alternatives), in the line of that weight or any."""
    return (
        "("
        + " | ".join(
            [
                _lexeme(own, f"*{weight}"),
                *(_lexeme(f"={word}", weight) for word in sorted(synonyms)),
            ]
        )
        + ")"
    )


def _words_match(tsquery: str) -> RawSQL:
    return RawSQL(_TESTED, (tsquery,), output_field=BooleanField())


def _line_points(line: str, folded, exactly) -> Case:
    """The line's weight times EXACT when every token begins a word with its exact
    diacritics, FOLDED when every token (or a synonym) matches folded, else 0. An
    exact match is a folded one too, so the folded test alone rules most lines out."""
    weight = FIELD_WEIGHTS[line]
    return Case(
        When(
            folded,
            then=Case(
                When(exactly, then=Value(EXACT * weight)),
                default=Value(FOLDED * weight),
            ),
        ),
        default=Value(0),
    )


def _lines_text(documents, exact: list[str], expanded: list):
    """SQLite: LIKE on the space-padded lines of ProductTerms (a scan)."""
    for own, synonyms in expanded:
        documents = documents.filter(
            _any(_holds(line, own, synonyms) for line in _LINES)
        )
    points = _relevance(exact, expanded)
    if not points:
        return documents, {}, None
    best = " ".join(f"WHEN {p} > 0 THEN {p}" for p in points)
    return documents, points, f"(9 * CASE {best} ELSE 0 END + {' + '.join(points)})"


def _holds(line: str, own: str, synonyms: Iterable[str]) -> Q:
    """The line holds the token: a folded word begins with its folded form, or a
    synonym is a whole word as written (search.text.alternatives)."""
    return _any(
        [
            Q(**{f"terms__{line}_folded__contains": f" {own}"}),
            *(
                Q(**{f"terms__{line}__contains": f" {word} "})
                for word in sorted(synonyms)
            ),
        ]
    )


def _relevance(exact: list[str], expanded: list) -> dict:
    """search.text.score's points of each line, as LIKEs (_line_points). Empty
    without text."""
    points = {}
    for line in _LINES if exact else ():
        exactly = reduce(
            and_, (Q(**{f"terms__{line}__contains": f" {token}"}) for token in exact)
        )
        folded = reduce(
            and_, (_holds(line, own, synonyms) for own, synonyms in expanded)
        )
        points[f"points_{line}"] = _line_points(line, folded, exactly)
    return points


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


# --- One statement: the matches once, then the total, the page and every count ----

# Facet -> the document field counted (availability is counted apart).
_FACET_FIELDS = {
    "group": "group_codes",
    "stars": "stars",
    "region": "region_codes",
    "producer_kind": "producer_kind",
    "producer": "producer_id",
}
_NEWEST = "date_created DESC, product_id DESC"
# The chosen sort, then relevance (10 * search.text.score), then newest.
_ORDER = {
    "price": "price_vnd IS NULL, price_vnd, {relevance} DESC, " + _NEWEST,
    "-price": "price_vnd IS NULL, price_vnd DESC, {relevance} DESC, " + _NEWEST,
    "stars": "stars IS NULL, stars DESC, {relevance} DESC, " + _NEWEST,
    "newest": _NEWEST,
    "relevance": "{relevance} DESC, " + _NEWEST,
}


def _search_statement(query: SearchQuery):
    """(page ids, total, facet counts) from one SQL statement (_search_sql)."""
    base = Q(certified_until__gte=timezone.localdate()) if query.certified_only else Q()
    if query.price_min is not None:
        base &= Q(price_vnd__gte=query.price_min)
    if query.price_max is not None:
        base &= Q(price_vnd__lte=query.price_max)
    if query.categories:
        base &= Condition("category_ids", query.categories, delimited=True).q()
    documents = ProductDocument.objects.filter(base).order_by()
    exact = tokens(query.text.strip())
    expanded = alternatives(exact)
    if connections[documents.db].vendor == "postgresql":
        documents, *relevance = _words_text(documents, exact, expanded)
    else:
        documents, *relevance = _lines_text(documents, exact, expanded)
    return _search_sql(documents, facet_filters(query), query, *relevance)


def _search_sql(
    documents, filters, query: SearchQuery, annotations: dict, relevance: str | None
):
    """(page ids, total, facet counts) from one statement: a common table expression
    holds the matches with their sort keys, facet fields, relevance (only when the
    order reads it), a flag for each facet's filters and each availability count;
    the total, the page and the counts are read from it, in one UNION ALL.

    The best line decides the score alone (search.text.score), so ordering by
    9 * best + the sum of the points (10 * score) keeps score()'s order; and the
    best line is the first with points, as the weights never let a later line
    outscore an earlier one."""
    wanted = _availability_wanted(filters)
    flags = {f"ok_{facet}": _flag(c.values()) for facet, c in filters.items()}
    flags |= {f"av_{name}": _flag([c]) for name, c in wanted.items()}
    columns = (
        "product_id",
        "date_created",
        "price_vnd",
        "stars",
        *_FACET_FIELDS.values(),
    )
    order = _ORDER.get(query.sort, _ORDER["relevance"])
    if relevance and "{relevance}" in order:
        order = order.format(relevance=relevance)
    else:  # without text all are as relevant; "newest" does not read it
        order = order.replace("{relevance} DESC, ", "")
        annotations = {}
    matches, params = (
        documents.annotate(**annotations, **flags)
        .values(*columns, *annotations, *flags)
        .query.sql_with_params()
    )

    def passing(*facets) -> str:
        return " AND ".join(f"ok_{facet}" for facet in facets) or "1 = 1"

    def under_others(facet: str) -> str:
        return passing(*(other for other in filters if other != facet))

    every = passing(*filters)
    page = _page_slice(query)
    vendor = connections[documents.db].vendor
    counts = _counts_grouped if vendor == "postgresql" else _counts_apart
    parts = [
        f"SELECT 'page', CAST(product_id AS TEXT), ROW_NUMBER() OVER (ORDER BY {order})"
        f" FROM (SELECT * FROM matches WHERE {every} ORDER BY {order}"
        f" LIMIT {page.stop - page.start} OFFSET {page.start}) AS page",
        *counts(every, under_others, wanted),
        # Only the producers the facet shows (_producer_facet), not the thousands
        # a broad query matches: the most frequent, and the selected ones.
        f"SELECT * FROM (SELECT 'producer', CAST(producer_id AS TEXT), COUNT(*)"
        f" FROM matches WHERE {under_others('producer')} AND producer_id IS NOT NULL"
        f" GROUP BY producer_id ORDER BY COUNT(*) DESC, producer_id"
        f" LIMIT {PRODUCER_FACET_SIZE}) AS top_producers",
        *(
            f"SELECT 'producer', CAST(producer_id AS TEXT), COUNT(*) FROM matches"
            f" WHERE {under_others('producer')} AND producer_id = {int(pk)}"
            f" GROUP BY producer_id"
            for pk in query.producers
        ),
    ]
    sql = f"WITH matches AS ({matches}) " + " UNION ALL ".join(parts)
    with connections[documents.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total, ranked, grouped = 0, [], defaultdict(list)
    for kind, value, n in rows:
        if kind == "total":
            total = n
        elif kind == "page":
            ranked.append((n, int(value)))
        else:
            grouped[kind].append((value, n))
    counts = {facet: _tally(facet, grouped[facet]) for facet in FACETS}
    return [pk for _n, pk in sorted(ranked)], total, counts


def _search_columns(docs: columns.Columns, query: SearchQuery, filters: dict):
    """(page ids, total, facet counts) as _search_sql gives them, from this
    process's copy of the documents (search.columns; callers hold its lock)."""
    base, relevance = columns.text_match(docs, query.text.strip())
    base &= docs.live
    if query.certified_only:
        base &= columns.certified_on(docs, timezone.localdate())
    if query.price_min is not None or query.price_max is not None:
        base &= columns.price_between(docs, query.price_min, query.price_max)
    if query.categories:
        base &= columns.condition_mask(docs, "category_ids", query.categories)
    passing = {
        facet: reduce(
            and_,
            (columns.condition_mask(docs, c.field, c.values) for c in kept.values()),
        )
        for facet, kept in filters.items()
    }

    def under_others(facet: str | None):
        mask = base.copy()
        for other, passes in passing.items():
            if other != facet:
                mask &= passes
        return mask

    hits = np.flatnonzero(under_others(None))
    page = _page_slice(query)
    in_order = columns.ordered(docs, hits, relevance, query.sort)
    page_ids = docs.product[in_order[page]].tolist()
    counts = {
        "group": docs.delimited["group_codes"].counts(under_others("group")),
        "region": docs.delimited["region_codes"].counts(under_others("region")),
        "producer_kind": docs.kind.counts(under_others("producer_kind")),
        "stars": _stars_counted(docs, under_others("stars")),
        "producer": _producers_shown(docs, under_others("producer"), query),
    }
    shown = under_others("availability")
    counts["availability"] = Counter(
        {
            name: int(
                np.count_nonzero(
                    shown & columns.condition_mask(docs, c.field, c.values)
                )
            )
            for name, c in _availability_wanted(filters).items()
        }
    )
    return page_ids, len(hits), counts


def _stars_counted(docs, mask) -> Counter:
    stars = docs.stars[mask]
    tally = np.bincount(stars[stars >= 0], minlength=6)
    return Counter({str(s): int(n) for s, n in enumerate(tally) if n})


def _producers_shown(docs, mask, query: SearchQuery) -> Counter:
    """The producers the facet shows (_producer_facet): the most frequent, and the
    selected ones."""
    ids, counts = columns.producers_counted(docs, mask)
    top = np.lexsort((ids, -counts))[:PRODUCER_FACET_SIZE]
    selected = np.flatnonzero(np.isin(ids, [int(pk) for pk in query.producers]))
    return Counter({str(ids[i]): int(counts[i]) for i in (*top, *selected)})


# The facets counted by value in one pass (the producers apart: only the top ones).
_GROUPED = {facet: f for facet, f in _FACET_FIELDS.items() if facet != "producer"}


def _counts_apart(every: str, under_others, wanted) -> list[str]:
    """The total and the counts, one aggregate over the matches each (SQLite, which
    has no GROUPING SETS)."""
    return [
        f"SELECT 'total', '', COUNT(*) FROM matches WHERE {every}",
        *(
            f"SELECT '{facet}', CAST({field} AS TEXT), COUNT(*) FROM matches"
            f" WHERE {under_others(facet)} GROUP BY {field}"
            for facet, field in _GROUPED.items()
        ),
        *(
            f"SELECT 'availability', '{name}', COUNT(*) FROM matches"
            f" WHERE {under_others('availability')} AND av_{name}"
            for name in wanted
        ),
    ]


def _counts_grouped(every: str, under_others, wanted) -> list[str]:
    """The total and the counts in one pass over the matches (PostgreSQL's GROUPING
    SETS): each facet grouped by its value and whether the row passes the other
    facets' filters, each availability count by its flag and the same; only the
    groups that pass are kept."""
    keys = [
        (facet, f"CAST({field} AS TEXT)", field) for facet, field in _GROUPED.items()
    ]
    keys += [("availability", f"'{name}'", f"av_{name}") for name in wanted]
    passes = {facet: under_others(facet) for facet in (*_GROUPED, "availability")}
    sets = [f"({column}, pass_{facet})" for facet, _value, column in keys]
    label = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN '{facet}'" for facet, _v, column in keys
    )
    value = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN {v}" for _facet, v, column in keys
    )
    kept = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN pass_{facet}"
        + (f" AND {column}" if facet == "availability" else "")
        for facet, _v, column in keys
    )
    flags = ", ".join(f"{test} AS pass_{facet}" for facet, test in passes.items())
    return [
        f"SELECT CASE {label} ELSE 'total' END, CASE {value} ELSE '' END, COUNT(*)"
        # OFFSET 0 keeps the flags apart: flattened, equal flags would be one
        # grouping expression, and the sets sharing it lose their rows.
        f" FROM (SELECT *, {flags}, {every} AS pass_total FROM matches OFFSET 0)"
        " AS flagged"
        f" GROUP BY GROUPING SETS ({', '.join(sets)}, (pass_total))"
        f" HAVING CASE {kept} ELSE pass_total END"
    ]


def _flag(conditions: Iterable["Condition"]) -> ExpressionWrapper | Value:
    """True where every condition holds, as a column (False when one can hold for
    nothing, such as "near" without an outlet near)."""
    conditions = list(conditions)
    if any(not condition.values for condition in conditions):
        return Value(False)
    q = reduce(and_, (condition.q() for condition in conditions))
    return ExpressionWrapper(q, output_field=BooleanField())


def _tally(facet: str, rows: Iterable[tuple]) -> Counter:
    """Counts per facet value from (value, count) pairs; a delimited field counts
    once for each of its codes. A selected producer among the most frequent comes
    twice, with the same count."""
    counts = Counter()
    for value, n in rows:
        if value is None or value == "":
            continue
        if facet in ("group", "region"):
            for code in codes_split(value):
                counts[code] += n
        elif facet == "producer":
            counts[value] = n
        else:
            counts[value] += n
    return counts


def _availability_wanted(filters) -> dict[str, "Condition"]:
    """What the availability facet counts: in stock, and the outlet or the
    neighbourhood when the query asks for them."""
    wanted = {"in_stock": Condition("in_stock", (True,))}
    wanted.update(filters.get("availability", {}))
    return wanted


def _page_slice(query: SearchQuery) -> slice:
    size = max(1, query.page_size)
    start = (max(1, query.page) - 1) * size
    return slice(start, start + size)


def products_in_order(ids: list[int]) -> list:
    """The page's products with what a listing card reads, in the order given: four
    queries. The card (shop/templates/oscar/catalogue/partials/product.html over
    Oscar's) reads the product class, producer, origin, images, the stock record the
    strategy selects (the price and availability: only that one is fetched) and
    certificate in force; has_options comes from the annotations of Oscar's
    base_queryset. Not its other prefetches: the children (a parent's price reads
    its public children anew) and the options (the card only asks whether there are
    any). listed_price_vnd is the search document's price (the lowest, in whole
    đồng), which the price filter and sort read."""
    if not ids:
        return []
    Option = get_model("catalogue", "Option")
    products = (
        Product.objects.filter(pk__in=ids)
        .select_related("product_class", "producer", "origin")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            listed_price_vnd=F("search_document__price_vnd"),
        )
        .prefetch_related(
            stockrecord_selected_prefetch(), "images", certificates_valid_prefetch()
        )
    )
    by_pk = {product.pk: product for product in products}
    return [by_pk[pk] for pk in ids if pk in by_pk]


# --- Facet values and labels ------------------------------------------------------


def facets_labelled(counts: dict[str, Counter], query: SearchQuery) -> dict[str, list]:
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
    built once per process and documents generation (search.outbox). For the
    statement way: the copy makes its own (search.columns.columns_vocabulary)."""
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
