"""The Elasticsearch backend's index definition and request bodies, compared with the
expected JSON in tests/search/expected/ (no server needed): a change to them is a diff
a reviewer reads. To accept a deliberate change, rewrite the files with
`UPDATE_EXPECTED_JSON=1 pytest tests/search/test_elastic_json.py` and review the diff."""

import datetime as dt
import json
import os
import unicodedata
from pathlib import Path

import pytest

from search.elastic import (
    ALIAS,
    DOCUMENT_FIELDS,
    SORT_ORDERS,
    alias_swap_actions,
    autocomplete_body,
    index_mappings,
    index_name,
    index_settings,
    result_from_response,
    search_body,
    synonym_rules,
)
from search.query import FACETS, SORTS, FacetValue, SearchQuery
from search.text import fold

EXPECTED = Path(__file__).parent / "expected"
TODAY = dt.date(2025, 7, 1)


def assert_matches_expected(body: dict, name: str) -> None:
    path = EXPECTED / name
    text = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_EXPECTED_JSON"):
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"rewrote {name}: review the diff, then run without the variable")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8"))


def test_index_settings_and_mapping_match_expected():
    body = {"settings": index_settings(), "mappings": index_mappings()}

    assert_matches_expected(body, "index.json")


def test_document_fields_describe_exactly_the_mapped_fields():
    assert set(DOCUMENT_FIELDS) == set(index_mappings()["properties"])


def _vi_folded(word: str) -> set[str]:
    """The tokens vi_folded yields for one lowercase word, by its rules: the
    synonym rules first (a word => itself and its group's mark), then asciifolding
    keeping the original (search.text.fold stands in for it)."""
    rules = dict(rule.split(" => ") for rule in synonym_rules())
    written = rules[word].split(", ") if word in rules else [word]
    return {form for token in written for form in (token, fold(token))}


@pytest.mark.parametrize(
    ("query", "indexed", "found"),
    [
        ("trà", "chè", True),
        ("trà", "che", True),
        ("tra", "chè", True),
        ("chè", "trà", True),
        ("che", "tra", True),
        ("trà", "chế", False),  # "chế biến", processing: folds to "che" too
        ("tra", "chế", False),
        ("chế", "trà", False),
        ("chế", "chè", True),  # its own folded form, as in the database backend
    ],
)
def test_synonyms_are_whole_words_with_their_diacritics_or_none(query, indexed, found):
    assert bool(_vi_folded(query) & _vi_folded(indexed)) is found


def test_versioned_index_names_share_the_alias_prefix():
    assert index_name(3) == "ocop-products-v3"
    assert index_name("20250701") == "ocop-products-v20250701"
    assert ALIAS == "ocop-products"


def test_search_body_plain_text_by_relevance():
    query = SearchQuery(text="  mật  ong ")

    body = search_body(query, today=TODAY)

    assert_matches_expected(body, "search_plain_text.json")


def test_search_body_vietnamese_with_stars_region_and_in_stock():
    query = SearchQuery(
        text="trà tân cương", stars=(4,), regions=("tp-thai-nguyen",), in_stock=True
    )

    body = search_body(query, today=TODAY)

    assert_matches_expected(body, "search_filtered.json")


def test_search_body_english_by_price_at_an_outlet_page_2():
    query = SearchQuery(
        text="tan cuong green tea",
        language="en",
        sort="price",
        outlet="tn-dai-tu-1",
        page=2,
        page_size=24,
    )

    body = search_body(query, today=TODAY)

    assert_matches_expected(body, "search_english.json")


def test_autocomplete_body_matches_expected():
    body = autocomplete_body("tra tan", today=TODAY)

    assert_matches_expected(body, "autocomplete.json")


def test_decomposed_diacritics_are_searched_composed():
    decomposed = unicodedata.normalize("NFD", "trà tân cương")

    body = search_body(SearchQuery(text=decomposed), today=TODAY)

    assert body == search_body(SearchQuery(text="trà tân cương"), today=TODAY)


def test_browsing_without_text_has_no_text_clauses_and_no_suggester():
    body = search_body(SearchQuery(sort="newest"), today=TODAY)

    assert body["query"] == {
        "bool": {"filter": [{"range": {"certified_until": {"gte": "2025-07-01"}}}]}
    }
    assert "suggest" not in body
    assert "post_filter" not in body
    assert body["sort"][0] == {"date_created": {"order": "desc"}}


def test_price_and_categories_narrow_the_query_and_every_facet_count():
    query = SearchQuery(
        price_min=50_000, price_max=200_000, categories=(7,), certified_only=False
    )

    body = search_body(query, today=TODAY)

    assert body["query"] == {
        "bool": {
            "filter": [
                {"terms": {"categories": [7]}},
                {"range": {"price_vnd": {"gte": 50_000, "lte": 200_000}}},
            ]
        }
    }
    assert "post_filter" not in body


def test_outlet_and_near_are_availability_values_counted_like_in_stock():
    query = SearchQuery(outlet="tn-dai-tu-1", near=(21.5942, 105.8482), near_km=10)
    near = {
        "geo_distance": {
            "distance": "10km",
            "location": {"lat": 21.5942, "lon": 105.8482},
        }
    }
    outlet = {"term": {"outlets_in_stock": "tn-dai-tu-1"}}

    body = search_body(query, today=TODAY)

    assert body["post_filter"] == {
        "bool": {"filter": [{"bool": {"filter": [outlet, near]}}]}
    }
    assert body["aggs"]["availability"]["filter"] == {"match_all": {}}
    assert body["aggs"]["availability"]["aggs"]["values"]["filters"]["filters"] == {
        "in_stock": {"term": {"in_stock": True}},
        "outlet:tn-dai-tu-1": outlet,
        "near": near,
    }


def test_every_sort_has_an_order_and_unknown_sorts_are_refused():
    assert set(SORT_ORDERS) == set(SORTS)
    for sort in SORTS:
        body = search_body(SearchQuery(sort=sort), today=TODAY)
        assert body["sort"][-2:] == [
            {"date_created": {"order": "desc"}},
            {"id": {"order": "desc"}},
        ]

    with pytest.raises(ValueError):
        search_body(SearchQuery(sort="cheapest"), today=TODAY)


def test_alias_swap_moves_the_alias_in_one_call():
    actions = alias_swap_actions(
        "ocop-products-v3", ["ocop-products-v2", "ocop-products-v1"]
    )

    assert actions == {
        "actions": [
            {"remove": {"index": "ocop-products-v1", "alias": "ocop-products"}},
            {"remove": {"index": "ocop-products-v2", "alias": "ocop-products"}},
            {"add": {"index": "ocop-products-v3", "alias": "ocop-products"}},
        ]
    }


def test_alias_swap_on_the_first_build_only_adds():
    assert alias_swap_actions("ocop-products-v1", []) == {
        "actions": [{"add": {"index": "ocop-products-v1", "alias": "ocop-products"}}]
    }


def _terms(*buckets):
    return {
        "doc_count": sum(count for _key, count in buckets),
        "values": {
            "buckets": [{"key": key, "doc_count": count} for key, count in buckets]
        },
    }


def es_response(*, suggestion="tra tan cuong"):
    """What Elasticsearch answers to search_body() for "tra tan cuonq" with stars=4,
    in stock, at outlet tn-dai-tu-1: product 12 is no longer in the database."""
    return {
        "took": 3,
        "timed_out": False,
        "hits": {
            "total": {"value": 3, "relation": "eq"},
            "max_score": None,
            "hits": [
                {"_index": "ocop-products-v2", "_id": "31", "_score": 9.1, "sort": []},
                {"_index": "ocop-products-v2", "_id": "12", "_score": 7.5, "sort": []},
                {"_index": "ocop-products-v2", "_id": "5", "_score": 3.2, "sort": []},
            ],
        },
        "aggregations": {
            "group": _terms(("tea", 3), ("beverages", 3)),
            "stars": _terms((5, 2), (4, 3), (3, 1)),
            "region": _terms(("thai-nguyen", 3), ("tp-thai-nguyen", 2)),
            "producer_kind": _terms(("cooperative", 2), ("household", 1)),
            "producer": _terms((8, 2), (3, 1)),
            "availability": {
                "doc_count": 4,
                "values": {
                    "buckets": {
                        "outlet:tn-dai-tu-1": {"doc_count": 1},
                        "in_stock": {"doc_count": 3},
                    }
                },
            },
        },
        "suggest": {
            "did_you_mean": [
                {
                    "text": "tra tan cuonq",
                    "offset": 0,
                    "length": 13,
                    "options": [{"text": suggestion, "score": 0.02}],
                }
            ]
        },
    }


def test_result_from_response_reads_hits_facets_and_suggestion():
    query = SearchQuery(
        text="tra tan cuonq",
        stars=(4,),
        producers=(99,),
        in_stock=True,
        outlet="tn-dai-tu-1",
    )
    products = {31: "product 31", 5: "product 5"}

    result = result_from_response(es_response(), query, products)

    assert result.products == ["product 31", "product 5"]  # ranking order; 12 is gone
    assert result.total == 3
    assert result.backend == "elasticsearch"
    assert list(result.facets) == list(FACETS)
    assert result.facets["stars"] == [
        FacetValue("5", "5", 2),
        FacetValue("4", "4", 3, selected=True),
        FacetValue("3", "3", 1),
    ]
    assert result.facets["group"][0] == FacetValue("tea", "tea", 3)
    # A selected producer with no results left stays, so it can be unticked.
    assert result.facets["producer"] == [
        FacetValue("8", "8", 2),
        FacetValue("3", "3", 1),
        FacetValue("99", "99", 0, selected=True),
    ]
    assert result.facets["availability"] == [
        FacetValue("in_stock", "in_stock", 3, selected=True),
        FacetValue("outlet:tn-dai-tu-1", "outlet:tn-dai-tu-1", 1, selected=True),
    ]
    assert result.suggestion == "tra tan cuong"


def test_result_from_response_drops_a_suggestion_that_repeats_the_query():
    query = SearchQuery(text="TRA TAN  CUONG")

    result = result_from_response(es_response(suggestion="tra tan cuong"), query, {})

    assert result.suggestion is None
    assert result.products == []


def test_result_from_response_without_aggregations_or_suggest():
    response = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}

    result = result_from_response(response, SearchQuery(groups=("tea",)), {})

    assert result.total == 0
    assert result.facets["group"] == [FacetValue("tea", "tea", 0, selected=True)]
    assert result.facets["stars"] == []
    assert result.suggestion is None


def test_a_page_past_the_result_window_is_empty_instead_of_an_error():
    body = search_body(SearchQuery(page=500, page_size=24), today=TODAY)

    assert (body["from"], body["size"]) == (10_000, 0)
