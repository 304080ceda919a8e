"""Which backend answers, and what happens when Elasticsearch is down: searches are
answered from the database (logged), saving still works, and the outbox keeps the
changes until the index takes them. "Down" is a real client against a closed local
port (connection refused), not a mock."""

import logging
from decimal import Decimal

import pytest
from django.utils import translation
from oscar.core.loading import get_model

import search.receivers  # noqa: F401  (connected by SearchConfig.ready)
from sales_points import services as stock
from sales_points.models import SalesPoint
from search import backends, outbox
from search.elastic import document_source, index_mappings
from search.elastic_backend import (
    ElasticsearchBackend,
    outlet_locations,
    result_from_search,
)
from search.models import OutboxEntry, ProductDocument
from search.outbox import outbox_drain_all as reindex
from search.query import FacetValue, SearchQuery
from tests.factories import create_product, group, unit

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")

CLOSED_PORT = "http://127.0.0.1:1"  # port 1: nothing listens there


def titles(result) -> list[str]:
    return [product.title for product in result.products]


def warnings(caplog) -> list[str]:
    """Our warnings (the client logs its own too)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.startswith("search")
    ]


class RecordingIndexer:
    """A backend stand-in for "Elasticsearch is back": an in-process indexer that
    records the products it is given (no cluster exists on our machines)."""

    name = "recording"

    def __init__(self):
        self.indexed: list[list[int]] = []

    def index(self, product_ids: list[int]) -> None:
        self.indexed.append(list(product_ids))


@pytest.fixture
def indexers():
    """The outbox's indexers, restored after the test."""
    saved = list(outbox.ACTIVE_INDEXERS)
    yield outbox.ACTIVE_INDEXERS
    outbox.ACTIVE_INDEXERS[:] = saved


@pytest.fixture
def elasticsearch_down(settings, indexers):
    """ELASTICSEARCH_URL pointing at a closed port, the backend registered as an
    indexer as SearchConfig.ready() does, and a fresh backend (no remembered ping)."""
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    backends._elasticsearch.clear()
    backends.indexers_configure()
    yield backends.elasticsearch_backend()
    backends._elasticsearch.clear()


@pytest.fixture
def tea(db):
    product = create_product(title="Trà Tân Cương", title_en="Tan Cuong green tea")
    create_product(title="Mật ong rừng", price=Decimal("90000"))
    # the database documents only, whatever indexer a fixture registered
    saved = list(outbox.ACTIVE_INDEXERS)
    outbox.ACTIVE_INDEXERS.clear()
    try:
        reindex()
    finally:
        outbox.ACTIVE_INDEXERS[:] = saved
    return product


def test_without_elasticsearch_url_the_database_answers_and_indexes(
    settings, indexers, tea
):
    settings.ELASTICSEARCH_URL = ""
    backends.indexers_configure()

    result = backends.search(SearchQuery(text="mat ong"))

    assert (titles(result), result.backend) == (["Mật ong rừng"], "database")
    assert backends.elasticsearch_backend() is None
    assert not any(isinstance(i, ElasticsearchBackend) for i in indexers)


def test_with_elasticsearch_url_the_backend_is_registered_once(elasticsearch_down):
    backends.indexers_configure()  # again, as a second ready() would

    registered = [
        i for i in outbox.ACTIVE_INDEXERS if isinstance(i, ElasticsearchBackend)
    ]
    assert registered == [elasticsearch_down]
    assert elasticsearch_down.url == CLOSED_PORT


def test_search_falls_back_to_the_database_when_elasticsearch_is_down(
    elasticsearch_down, tea, caplog
):
    with caplog.at_level(logging.WARNING):
        result = backends.search(SearchQuery(text="trà tân cương"))

    # (the honey is from Tân Cương too, in the tea group: its title ranks it second)
    assert titles(result) == ["Trà Tân Cương", "Mật ong rừng"]
    assert result.backend == "database"
    assert any("unreachable" in message for message in warnings(caplog))


def test_a_dead_cluster_is_remembered_not_retried_on_every_search(
    elasticsearch_down, tea, caplog
):
    with caplog.at_level(logging.WARNING):
        first = backends.search(SearchQuery(text="mat ong"))
        second = backends.search(SearchQuery(text="tra"))

    # then one warning for the outage, not one per request
    assert len(warnings(caplog)) == 1
    assert (first.backend, second.backend) == ("database", "database")
    assert elasticsearch_down.is_available() is False


def test_saving_with_elasticsearch_down_works_and_the_outbox_catches_up(
    elasticsearch_down, tea, django_capture_on_commit_callbacks
):
    # when a manager renames the tea while the cluster is down
    with django_capture_on_commit_callbacks(execute=True):
        tea.title = "Trà Tân Cương đặc biệt"
        tea.save()

    # then the save went through, the database backend already finds the new title,
    # and the outbox row stays with the error
    entry = OutboxEntry.objects.get(product_id=tea.pk)
    assert entry.attempts >= 1
    assert "ConnectionError" in entry.last_error
    result = backends.search(SearchQuery(text="dac biet"))
    assert (titles(result), result.backend) == (["Trà Tân Cương đặc biệt"], "database")

    # when the backend is back, the next drain hands the product over
    back = RecordingIndexer()
    outbox.ACTIVE_INDEXERS[:] = [back]
    reindex()

    assert back.indexed == [[tea.pk]]
    assert not OutboxEntry.objects.exists()


def test_autocomplete_falls_back_to_the_database(elasticsearch_down, tea):
    honey = Product.objects.get(title="Mật ong rừng")

    suggestions = backends.autocomplete("tan cuo", language="en", limit=5)

    # the tea by its title, then the honey by its origin (Tân Cương), with no
    # English title: its Vietnamese one
    assert suggestions == [
        {
            "title": "Tan Cuong green tea",
            "url": _url_in("en", tea),
            "stars": 4,
            "price_vnd": 150000,
        },
        {
            "title": "Mật ong rừng",
            "url": _url_in("en", honey),
            "stars": 4,
            "price_vnd": 90000,
        },
    ]
    assert backends.autocomplete("tan cuo", language="en", limit=1) == suggestions[:1]


def test_autocomplete_without_text_suggests_nothing(tea):
    assert backends.autocomplete("  ", language="vi") == []


def _url_in(language: str, product) -> str:
    with translation.override(language):
        return product.get_absolute_url()


def test_the_indexed_source_uses_only_mapped_fields(tea):
    outlet = stock.sales_point_create(
        code="tc-01", name_vi="Điểm bán Tân Cương", name_en="Tan Cuong outlet",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Tân Cương",
        latitude="21.58", longitude="105.77",
    )  # fmt: skip
    stock.stock_receive(sales_point=outlet, product=tea, quantity=3)
    reindex()
    document = ProductDocument.objects.select_related("text").get(pk=tea.pk)

    source = document_source(document, outlet_locations([document]))

    # the mapping is strict: a field it does not know would be refused
    assert set(source) <= set(index_mappings()["properties"])
    assert source["id"] == tea.pk
    assert source["title_vi"] == "Trà Tân Cương"
    assert source["stars"] == 4
    assert source["price_vnd"] == 150000
    assert (source["in_stock"], source["outlets_in_stock"]) == (True, ["tc-01"])
    assert source["location"] == [{"lat": 21.58, "lon": 105.77}]
    assert source["suggest"][0] == "Trà Tân Cương"
    assert "all_text" not in source


def test_an_elasticsearch_response_is_labelled_in_the_buyers_language(tea):
    honey = Product.objects.get(title="Mật ong rừng")
    query = SearchQuery(text="tan cuong", language="en", groups=("tea",))
    response = {
        "hits": {
            "total": {"value": 2, "relation": "eq"},
            "hits": [{"_id": str(honey.pk)}, {"_id": str(tea.pk)}],
        },
        "aggregations": {
            "group": {"values": {"buckets": [{"key": "tea", "doc_count": 2}]}},
            "stars": {"values": {"buckets": [{"key": 4, "doc_count": 2}]}},
            "availability": {"values": {"buckets": {"in_stock": {"doc_count": 1}}}},
        },
    }

    result = result_from_search(response, query)

    # the hits' order, the products from the database, labels in English
    assert titles(result) == ["Mật ong rừng", "Trà Tân Cương"]
    assert (result.total, result.backend) == (2, "elasticsearch")
    assert result.facets["group"] == [
        FacetValue("tea", group("tea").name_en, 2, selected=True)
    ]
    assert result.facets["stars"] == [FacetValue("4", "4 ★", 2)]
    with translation.override("en"):
        assert result.facets["availability"] == [FacetValue("in_stock", "In stock", 1)]
    assert result.facets["producer"] == []
