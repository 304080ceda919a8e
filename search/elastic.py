"""The Elasticsearch backend's index definition and request bodies (issue 7).

Everything here is a pure function of its arguments: nothing talks to a cluster or to
the database, so tests compare what is built with the expected JSON in
`tests/search/expected/`, and a change to the index or to a query is a deliberate one.

Index: one document per product (its primary key is the `_id`), in versioned indices
`ocop-products-v<N>` behind the alias `ocop-products`; a full reindex fills a new
version and swaps the alias in one atomic `_aliases` call.

Vietnamese text is analysed three ways:
- `vi_folded`: lowercased, diacritics folded (asciifolding also maps đ to d) while the
  original token is kept at the same position, so "tra tan cuong", "TRA TAN CUONG"
  and "trà tân cương" all find "Trà Tân Cương". Synonyms (search.text.SYNONYMS:
  chè and trà) match whole words with their diacritics or with none, as in the
  database backend: each such word, in the index and in the query, also yields its
  group's mark ("chètrà"), which nothing else yields; so "trà" finds "chè" and "che"
  but not "chế" (processing), whose folded form is "che" too.
- `vi_exact` (the `.exact` subfields): lowercased only. A match there adds half the
  field's weight, so the exact diacritics rank first ("đường" ranks sugar above Hải
  Dương).
- `vi_prefix` / `vi_ascii` (search-as-you-type): edge n-grams of the folded words at
  index time, the folded words at search time.

The rules are those of the database backend (search.text, search.database), so both
backends find the same products in nearly the same order: every query word must occur
somewhere in the product's text (either language); a product then scores by its best
field holding all the words (title 8, producer 4, group 2, description and origin 1,
exact diacritics half as much again), plus a tenth of its other such fields; ties go
to the newest product. One difference: here a query word matches whole words only
(the database backend also matches word beginnings); autocomplete_body matches
beginnings.
"""

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from elasticsearch_dsl import (
    A,
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Long,
    MetaField,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    token_filter,
)

from search.models import codes_split
from search.query import FACETS, SORTS, FacetValue, SearchQuery, SearchResult
from search.text import SYNONYMS, fold

ALIAS = "ocop-products"


def index_name(version: int | str) -> str:
    """The concrete index of one version: "ocop-products-v3"."""
    return f"{ALIAS}-v{version}"


def alias_swap_actions(new_index: str, old_indices: Iterable[str]) -> dict:
    """The body of one `_aliases` call moving the alias from the old indices to the new
    one: Elasticsearch applies the actions atomically, so searches never see no index
    or two."""
    removes = [
        {"remove": {"index": old, "alias": ALIAS}}
        for old in sorted(set(old_indices))
        if old != new_index
    ]
    return {"actions": [*removes, {"add": {"index": new_index, "alias": ALIAS}}]}


# --- Analysis -------------------------------------------------------------------------

vi_folding = token_filter("vi_folding", "asciifolding", preserve_original=True)


def synonym_rules() -> list[str]:
    """Solr rules adding its group's mark to each synonym as written, with its
    diacritics or without ("chè => chè, chètrà", "che => che, chètrà"). Applied
    before folding, at index and at search time alike, so a query word meets a
    synonym only through the mark, which only those written words yield: "trà"
    finds "chè" but not "chế", though both fold to "che". A word typed without
    diacritics expands through its folded form ("tra" finds "chè"), as
    search.text.alternatives does. A change to the groups needs a reindex."""
    rules = []
    for group in SYNONYMS:
        mark = "".join(sorted(group))
        for word in sorted({form for w in group for form in (w, fold(w))}):
            rules.append(f"{word} => {word}, {mark}")
    return rules


# "synonym", not "synonym_graph": it runs at index time too, and every rule maps one
# word to words at its own position.
vi_synonyms = token_filter("vi_synonyms", "synonym", synonyms=synonym_rules())
vi_edge_ngram = token_filter(
    # preserve_original keeps one-letter words and words over 15 letters findable.
    "vi_edge_ngram",
    "edge_ngram",
    min_gram=2,
    max_gram=15,
    preserve_original=True,
)

vi_exact = analyzer("vi_exact", tokenizer="standard", filter=["lowercase"])
vi_folded = analyzer(
    "vi_folded", tokenizer="standard", filter=["lowercase", vi_synonyms, vi_folding]
)
# One folded form per word (the original is not kept): the search side of the prefix
# fields, where stacked forms would only add noise.
vi_ascii = analyzer(
    "vi_ascii", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
vi_prefix = analyzer(
    "vi_prefix",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", vi_edge_ngram],
)


def _folded_text(**kwargs) -> Text:
    """A Vietnamese (or any) text field matched folded, copied into all_text."""
    return Text(
        analyzer=vi_folded,
        copy_to="all_text",
        **kwargs,
    )


def _english_text(**kwargs) -> Text:
    """An English text field (stemmed, stop words out), copied into all_text."""
    return Text(analyzer="english", copy_to="all_text", **kwargs)


_FOLDED_SUBFIELD = {"folded": Text(analyzer=vi_folded)}
_EXACT_SUBFIELD = {"exact": Text(analyzer=vi_exact)}


class ProductDocument(Document):
    """A product as the search index holds it. DOCUMENT_FIELDS says what the indexer
    puts in each field."""

    id = Integer()
    title_vi = _folded_text(
        fields={
            **_EXACT_SUBFIELD,
            "suggest": Text(analyzer=vi_prefix, search_analyzer=vi_ascii),
        }
    )
    title_en = _english_text(fields=_FOLDED_SUBFIELD)
    producer_vi = _folded_text(fields=_EXACT_SUBFIELD)
    producer_en = _english_text(fields=_FOLDED_SUBFIELD)
    group_vi = _folded_text()
    group_en = _english_text()
    description_vi = _folded_text()
    description_en = _english_text()
    origin_vi = _folded_text()
    origin_en = _english_text()
    # Every text above, both languages: what all the query's words must be found in.
    all_text = Text(
        analyzer=vi_folded,
        fields={"english": Text(analyzer="english")},
    )
    group = Keyword(multi=True)
    stars = Integer()
    regions = Keyword(multi=True)
    producer_id = Integer()
    producer_kind = Keyword()
    price_vnd = Long()
    in_stock = Boolean()
    outlets_in_stock = Keyword(multi=True)
    location = GeoPoint(multi=True)
    categories = Integer(multi=True)
    certified_until = Date()
    date_created = Date()
    suggest = SearchAsYouType(analyzer=vi_ascii)

    class Meta:
        # A field the mapping does not know is the indexer's mistake: refuse it.
        dynamic = MetaField("strict")

    class Index:
        name = ALIAS


# What the indexer puts in each field, mostly read from the database backend's
# document (search.models.ProductDocument, "the DB document" below) so both backends
# see the same facts. Texts are NFC; an empty text or None may be left out.
DOCUMENT_FIELDS: dict[str, str] = {
    "id": "The product's primary key (also the _id); the last sort key.",
    "title_vi": "DB document title_vi (Product.title).",
    "title_en": "DB document title_en.",
    "producer_vi": "DB document producer_vi (Producer.name_vi).",
    "producer_en": "DB document producer_en.",
    "group_vi": "DB document group_vi: the group's and its main group's names.",
    "group_en": "DB document group_en.",
    "description_vi": "DB document description_vi (plain text, truncated).",
    "description_en": "DB document description_en.",
    "origin_vi": "DB document origin_vi: names of the origin unit and its parents.",
    "origin_en": "DB document origin_en.",
    "all_text": "Nothing: filled by copy_to from the texts above.",
    "group": "Codes of the group and of its main group (DB document group_codes).",
    "stars": "Stars of the certificate in force (3, 4, 5); absent without one.",
    "regions": (
        "Codes of the origin unit, its parent and its grandparent (DB document "
        "region_codes)."
    ),
    "producer_id": "Producer id.",
    "producer_kind": "Producer.kind (a Producer.Kind value).",
    "price_vnd": "Lowest stock-record price in whole VND; absent without a price.",
    "in_stock": "True when an active outlet has free stock.",
    "outlets_in_stock": (
        "SalesPoint codes of the active outlets with free stock (DB document "
        "outlet_codes)."
    ),
    "location": (
        "Coordinates of those same outlets, {'lat': ..., 'lon': ...} each: 'near' "
        "finds products free to sell within a distance."
    ),
    "categories": "Oscar category ids of the product, ancestors included.",
    "certified_until": (
        "DB document certified_until: the last day the product may be sold (ISO "
        "date); absent when no certificate is in force. Compared with today at "
        "request time, so an expiry needs no reindex."
    ),
    "date_created": "Product.date_created (ISO datetime), for 'newest' and ties.",
    "suggest": "title_vi, title_en and producer_vi, for search-as-you-type.",
}


_TEXT_SOURCE_FIELDS = (
    "title_vi", "title_en", "producer_vi", "producer_en", "group_vi", "group_en",
    "description_vi", "description_en", "origin_vi", "origin_en",
)  # fmt: skip


def document_source(
    document: Any, locations: Mapping[str, tuple[float, float]]
) -> dict:
    """The `_source` of one product, per DOCUMENT_FIELDS, from its DB document
    (search.models.ProductDocument with its `.text`) and the (lat, lon) of outlets by
    code. Empty texts and missing values are left out; keys are in DOCUMENT_FIELDS
    order, so two sources of the same facts compare equal."""
    text = document.text
    texts = {
        name: unicodedata.normalize("NFC", getattr(text, name) or "")
        for name in _TEXT_SOURCE_FIELDS
    }
    outlets = codes_split(document.outlet_codes)
    source = {
        "id": document.product_id,
        **texts,
        "group": codes_split(document.group_codes),
        "stars": document.stars,
        "regions": codes_split(document.region_codes),
        "producer_id": document.producer_id,
        "producer_kind": document.producer_kind,
        "price_vnd": document.price_vnd,
        "in_stock": document.in_stock,
        "outlets_in_stock": outlets,
        "location": [
            {"lat": float(lat), "lon": float(lon)}
            for lat, lon in (locations[code] for code in outlets if code in locations)
        ],
        "categories": [int(pk) for pk in codes_split(document.category_ids)],
        "certified_until": (
            document.certified_until.isoformat() if document.certified_until else None
        ),
        "date_created": document.date_created.isoformat(),
        # One value each: prefixes and shingles never run from one into the next.
        "suggest": [
            t for t in (texts["title_vi"], texts["title_en"], texts["producer_vi"]) if t
        ],
    }
    return {
        field: source[field]
        for field in DOCUMENT_FIELDS
        if field in source and source[field] not in (None, "", [])
    }


def product_index(name: str = ALIAS) -> Index:
    """The index definition (settings, analysis, mapping) under a concrete name:
    `product_index(index_name(4)).create(using=client)`."""
    index = Index(name)
    # 20,000 products fit one shard; one replica once a second node exists.
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.document(ProductDocument)
    return index


def index_settings() -> dict:
    """The index settings, analysis included."""
    return product_index().to_dict()["settings"]


def index_mappings() -> dict:
    """The mapping of ProductDocument."""
    return ProductDocument._doc_type.mapping.to_dict()


# --- Search requests ------------------------------------------------------------------

# Where the query's words are found (as search.text.FIELD_WEIGHTS); origin counts as
# description.
FIELD_WEIGHTS = {"title": 8, "producer": 4, "group": 2, "description": 1}
SCORED_FIELDS = {
    "title": ("title_vi", "title_en", "title_en.folded"),
    "producer": ("producer_vi", "producer_en", "producer_en.folded"),
    "group": ("group_vi", "group_en"),
    "description": ("description_vi", "description_en", "origin_vi", "origin_en"),
}
# A field holding every word with the query's own diacritics adds half its weight:
# exact title (8 + 4) > folded title (8) > exact producer (4 + 2) > folded producer.
EXACT_FIELDS = {"title": "title_vi.exact", "producer": "producer_vi.exact"}
# Share of the other matching fields' score added to the best field's.
TIE_BREAKER = 0.1

# Keyword field behind each facet; availability has its own filters.
FACET_FIELDS = {
    "group": "group",
    "stars": "stars",
    "region": "regions",
    "producer_kind": "producer_kind",
    "producer": "producer_id",
}
# The most values a facet lists (the database backend lists them all but producers).
FACET_SIZES = {
    "group": 100,
    "stars": 5,
    "region": 1000,
    "producer_kind": 10,
    "producer": 20,
}
IN_STOCK = "in_stock"  # availability values: "in_stock", "outlet:<code>", "near"
NEAR = "near"
SUGGESTION = "did_you_mean"
MAX_RESULT_WINDOW = 10_000  # the index default

_DESC = {"order": "desc"}
_SCORE = {"_score": _DESC}
# Newest first, then the highest id: as the database backend breaks ties, and no
# two results ever swap between pages.
_TIES = [{"date_created": _DESC}, {"id": _DESC}]
SORT_ORDERS = {
    "relevance": [_SCORE, *_TIES],
    "price": [{"price_vnd": {"order": "asc", "missing": "_last"}}, _SCORE, *_TIES],
    "-price": [{"price_vnd": {"order": "desc", "missing": "_last"}}, _SCORE, *_TIES],
    "newest": _TIES,
    "stars": [{"stars": {"order": "desc", "missing": "_last"}}, _SCORE, *_TIES],
}


def _is_english(language: str | None) -> bool:
    return (language or "").lower().startswith("en")


def _normalized(text: str) -> str:
    # NFC: the analyzers fold precomposed letters; decomposed ones would not match.
    return " ".join(unicodedata.normalize("NFC", text).split())


def _text_clauses(text: str, language: str) -> dict[str, list[Q]]:
    """Which products the text finds (filter) and how they score (should). Both
    languages' fields are searched and scored whatever the query's language."""
    # Every word somewhere in the product's texts, folded.
    found = Q("match", all_text={"query": text, "operator": "and"})
    if _is_english(language):
        # Or, for English queries, stemmed and without stop words ("teas from tan
        # cuong"). Not for Vietnamese ones: "an", "to", "no" are Vietnamese words
        # the English analyzer would drop ("an giang" would find every "giang").
        found = Q(
            "bool",
            should=[
                found,
                Q("match", all_text__english={"query": text, "operator": "and"}),
            ],
        )
    weighted = [
        f"{field}^{FIELD_WEIGHTS[kind]}"
        for kind, fields in SCORED_FIELDS.items()
        for field in fields
    ]
    exact = [
        f"{field}^{FIELD_WEIGHTS[kind] // 2}" for kind, field in EXACT_FIELDS.items()
    ]
    # best_fields with operator "and": a field scores only when it holds every word;
    # the best one counts whole, the others a tenth. A product found with no such
    # field scores 0 and comes last.
    scored = [
        Q(
            "multi_match",
            query=text,
            type="best_fields",
            operator="and",
            tie_breaker=TIE_BREAKER,
            fields=fields,
        )
        for fields in (weighted, exact)
    ]
    return {"filter": [found], "should": scored}


def _scope_filters(query: SearchQuery, today: dt.date) -> list[Q]:
    """Filters that are not facets: they narrow the results and every facet count."""
    filters = []
    if query.certified_only:
        filters.append(Q("range", certified_until={"gte": today.isoformat()}))
    if query.categories:
        filters.append(Q("terms", categories=list(query.categories)))
    if query.price_min is not None or query.price_max is not None:
        bounds = {}
        if query.price_min is not None:
            bounds["gte"] = query.price_min
        if query.price_max is not None:
            bounds["lte"] = query.price_max
        filters.append(Q("range", price_vnd=bounds))
    return filters


def _availability_filters(query: SearchQuery) -> dict[str, Q]:
    """The availability facet's values the query asks for, by value."""
    filters = {}
    if query.in_stock:
        filters[IN_STOCK] = Q("term", in_stock=True)
    if query.outlet:
        filters[f"outlet:{query.outlet}"] = Q("term", outlets_in_stock=query.outlet)
    if query.near is not None:
        lat, lng = query.near
        filters[NEAR] = Q(
            "geo_distance",
            distance=f"{query.near_km:g}km",
            location={"lat": lat, "lon": lng},
        )
    return filters


def _facet_filters(query: SearchQuery) -> dict[str, Q]:
    """One filter per facet the buyer narrowed, by facet (values ORed within one
    facet; availability's values ANDed: in stock at this outlet, near here)."""
    selected = {
        "group": list(query.groups),
        "stars": list(query.stars),
        "region": list(query.regions),
        "producer_kind": list(query.producer_kinds),
        "producer": list(query.producers),
    }
    filters = {
        facet: Q("terms", **{FACET_FIELDS[facet]: values})
        for facet, values in selected.items()
        if values
    }
    availability = list(_availability_filters(query).values())
    if len(availability) == 1:
        filters["availability"] = availability[0]
    elif availability:
        filters["availability"] = Q("bool", filter=availability)
    return {facet: filters[facet] for facet in FACETS if facet in filters}


def _facet_aggregation(facet: str, query: SearchQuery, others: list[Q]) -> A:
    """The counts of one facet under the other facets' filters, so that ticking a
    value does not hide its siblings and the counts add up."""
    scope = Q("bool", filter=others) if others else Q("match_all")
    aggregation = A("filter", filter=scope)
    if facet == "availability":
        # "In stock" always; the outlet and "near" values when the query has them.
        values = {IN_STOCK: Q("term", in_stock=True), **_availability_filters(query)}
        aggregation.bucket("values", "filters", filters=values)
    else:
        order = {"order": {"_key": "desc"}} if facet == "stars" else {}
        aggregation.bucket(
            "values",
            "terms",
            field=FACET_FIELDS[facet],
            size=FACET_SIZES[facet],
            **order,
        )
    return aggregation


def _phrase_suggester(text: str, language: str) -> dict:
    """ "Did you mean": the phrase suggester on the folded title, proposing only a
    correction that finds some product (collate; certification aside). The query is
    read with `vi_exact`, so words keep the diacritics the buyer typed; the folded
    field holds both forms of every word as candidates ("cuogn" -> "cuong", "cươgn"
    -> "cương")."""
    field = "title_en.folded" if _is_english(language) else "title_vi"
    return {
        "field": field,
        "analyzer": "vi_exact",
        "size": 1,
        "gram_size": 1,  # no shingle field: a unigram language model
        "max_errors": 2,
        "direct_generator": [
            {"field": field, "suggest_mode": "always", "min_word_length": 3}
        ],
        # Only a phrase that search would find something for (as _text_clauses).
        "collate": {
            "query": {
                "source": {
                    "match": {
                        "all_text": {"query": "{{suggestion}}", "operator": "and"}
                    }
                }
            },
            "prune": False,
        },
    }


def search_body(query: SearchQuery, *, today: dt.date) -> dict:
    """The full `_search` request body for a query: one page of product ids in the
    query's order, the total, facet counts, and a "did you mean" when there is text."""
    if query.sort not in SORT_ORDERS:
        raise ValueError(f"Unknown sort {query.sort!r}; expected one of {SORTS}")
    text = _normalized(query.text)

    clauses = {"filter": _scope_filters(query, today), "should": []}
    if text:
        text_clauses = _text_clauses(text, query.language)
        clauses["filter"] += text_clauses["filter"]
        clauses["should"] += text_clauses["should"]
    search = Search().query(Q("bool", **{k: v for k, v in clauses.items() if v}))

    facet_filters = _facet_filters(query)
    if facet_filters:
        # Applied after the aggregations: each facet is counted without its own.
        search = search.post_filter(Q("bool", filter=list(facet_filters.values())))
    for facet in FACETS:
        others = [f for name, f in facet_filters.items() if name != facet]
        search.aggs.bucket(facet, _facet_aggregation(facet, query, others))

    search = search.sort(*SORT_ORDERS[query.sort])
    size = max(query.page_size, 1)
    start = (max(query.page, 1) - 1) * size
    # Elasticsearch refuses a page reaching past max_result_window; such a page is
    # empty instead (the total and the facets still come back).
    start = min(start, MAX_RESULT_WINDOW)
    size = min(size, MAX_RESULT_WINDOW - start)
    search = search.extra(from_=start, size=size, track_total_hits=True)
    search = search.source(False)  # products are loaded from the database by id
    if text:
        search = search.suggest(
            SUGGESTION, text, phrase=_phrase_suggester(text, query.language)
        )
    return search.to_dict()


def autocomplete_body(text: str, *, today: dt.date, size: int = 8) -> dict:
    """The header box's request: certified products with words (title in either
    language, or producer) starting with what was typed, title matches first."""
    text = _normalized(text)
    search = Search().query(
        Q(
            "bool",
            must=[
                Q(
                    "multi_match",
                    query=text,
                    type="bool_prefix",
                    operator="and",
                    fields=["suggest", "suggest._2gram", "suggest._3gram"],
                )
            ],
            # Title words starting so outrank a match on the producer's name alone.
            should=[
                Q(
                    "match",
                    title_vi__suggest={"query": text, "boost": FIELD_WEIGHTS["title"]},
                )
            ],
            filter=[Q("range", certified_until={"gte": today.isoformat()})],
        )
    )
    search = search.sort(
        _SCORE, {"stars": {"order": "desc", "missing": "_last"}}, *_TIES
    )
    return search.extra(size=size).source(False).to_dict()


# --- Responses ------------------------------------------------------------------------


def _selected_values(query: SearchQuery) -> dict[str, list[str]]:
    """The values each facet has ticked, in the query's order."""
    return {
        "group": list(query.groups),
        "stars": [str(stars) for stars in query.stars],
        "region": list(query.regions),
        "producer_kind": list(query.producer_kinds),
        "producer": [str(pk) for pk in query.producers],
        "availability": list(_availability_filters(query)),
    }


def _facet_values(aggregation: Mapping | None, selected: list[str]) -> list[FacetValue]:
    """Values in the order Elasticsearch counted them (terms: most results first);
    a ticked value without results stays, counting 0, so the buyer can untick it."""
    buckets = ((aggregation or {}).get("values") or {}).get("buckets") or []
    if isinstance(buckets, Mapping):  # a filters aggregation: buckets by value
        order = [IN_STOCK, *selected]
        counts = [(key, buckets[key]["doc_count"]) for key in order if key in buckets]
    else:
        counts = [
            (str(bucket.get("key_as_string", bucket["key"])), bucket["doc_count"])
            for bucket in buckets
        ]
    values = [
        FacetValue(value=value, label=value, count=count, selected=value in selected)
        for value, count in dict(counts).items()
    ]
    seen = {value.value for value in values}
    values += [
        FacetValue(value=value, label=value, count=0, selected=True)
        for value in selected
        if value not in seen
    ]
    return values


def _suggestion(suggest: Mapping | None, text: str) -> str | None:
    """The suggester's best phrase, unless it only repeats the query."""
    for entry in (suggest or {}).get(SUGGESTION) or []:
        for option in entry.get("options") or []:
            candidate = _normalized(option["text"])
            if candidate.casefold() != _normalized(text).casefold():
                return candidate
    return None


def result_from_response(
    response: Mapping, query: SearchQuery, products_by_id: Mapping[int, Any]
) -> SearchResult:
    """A SearchResult from the `_search` response to `search_body(query)`.

    `products_by_id` holds the hits' products loaded from the database; a hit whose
    product is gone (deleted since it was indexed) is left out. Facet labels are the
    raw values: the caller relabels them in the buyer's language."""
    hits = response["hits"]
    products = [
        products_by_id[pk]
        for pk in (int(hit["_id"]) for hit in hits["hits"])
        if pk in products_by_id
    ]
    total = hits["total"]
    if isinstance(total, Mapping):
        total = total["value"]
    aggregations = response.get("aggregations") or {}
    selected = _selected_values(query)
    return SearchResult(
        products=products,
        total=total,
        facets={
            facet: _facet_values(aggregations.get(facet), selected[facet])
            for facet in FACETS
        },
        suggestion=_suggestion(response.get("suggest"), query.text),
        backend="elasticsearch",
    )
