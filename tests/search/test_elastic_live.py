"""The Elasticsearch backend against a real cluster: indexing, searching, the alias
swap of a full reindex, the outbox and reconcile.

Skipped unless ELASTICSEARCH_URL is set (no Elasticsearch server can be installed on
our machines). The tests own the `ocop-products` alias and its `ocop-products-v*`
indices on that cluster: point ELASTICSEARCH_URL at a throwaway one."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

import search.receivers  # noqa: F401  (connected by SearchConfig.ready)
from search import backends, outbox
from search.elastic import ALIAS, index_name
from search.elastic_backend import ReindexInProgress, version_now
from search.outbox import outbox_drain_all
from search.query import SearchQuery
from tests.factories import create_product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.ELASTICSEARCH_URL,
        reason="no Elasticsearch server: set ELASTICSEARCH_URL",
    ),
]


@pytest.fixture
def elasticsearch():
    """The configured backend, registered with the outbox as SearchConfig.ready()
    does; every ocop-products-v* index deleted afterwards."""
    saved = list(outbox.ACTIVE_INDEXERS)
    backends._elasticsearch.clear()
    backends.indexers_configure()
    backend = backends.elasticsearch_backend()
    yield backend
    outbox.ACTIVE_INDEXERS[:] = saved
    backend.client.options(ignore_status=404).indices.delete(index=index_name("*"))
    backends._elasticsearch.clear()


@pytest.fixture
def catalogue(db):
    tea = create_product(title="Trà Tân Cương", title_en="Tan Cuong green tea")
    # From Tân Cương and in the tea group too: found by "tra tan cuong", ranked lower.
    honey = create_product(title="Mật ong rừng")
    return tea, honey


def reindex(version: str | None = None) -> str:
    out = StringIO()
    call_command("search_reindex", index_version=version or version_now(), stdout=out)
    return out.getvalue()


def refresh(backend) -> None:
    backend.client.indices.refresh(index=ALIAS)


def titles(result) -> list[str]:
    return [product.title for product in result.products]


@pytest.mark.parametrize("text", ["tra tan cuong", "trà tân cương", "TRA TAN CUONG"])
def test_search_finds_tan_cuong_tea_first(elasticsearch, catalogue, text):
    reindex()

    result = backends.search(SearchQuery(text=text))

    assert result.backend == "elasticsearch"
    assert titles(result) == ["Trà Tân Cương", "Mật ong rừng"]
    assert result.total == 2
    stars = {value.value: value.count for value in result.facets["stars"]}
    assert stars == {"4": 2}


def test_a_full_reindex_swaps_the_alias_and_deletes_the_old_index(
    elasticsearch, catalogue
):
    first, second = index_name("1001"), index_name("1002")
    reindex("1001")

    output = reindex("1002")

    assert f"Index {second}: 2 documents" in output
    assert f"Old indices deleted: {first}" in output
    live, building = elasticsearch.indices()
    assert (live, building) == ([second], [])
    assert not elasticsearch.client.indices.exists(index=first)


def test_a_drained_change_is_searchable(elasticsearch, catalogue):
    tea, _honey = catalogue
    reindex()
    tea.title = "Trà Tân Cương đặc biệt"
    tea.save()

    outbox_drain_all()
    refresh(elasticsearch)

    result = backends.search(SearchQuery(text="dac biet"))
    assert (titles(result), result.backend) == (
        ["Trà Tân Cương đặc biệt"],
        "elasticsearch",
    )


def test_indexing_waits_while_a_reindex_fills_a_new_index(elasticsearch, catalogue):
    tea, _honey = catalogue
    reindex()
    elasticsearch.index_create("building")

    with pytest.raises(ReindexInProgress):
        elasticsearch.index([tea.pk])


def test_reconcile_finds_a_document_missing_from_the_index_and_repairs_it(
    elasticsearch, catalogue
):
    tea, _honey = catalogue
    reindex()
    elasticsearch.client.delete(index=ALIAS, id=tea.pk, refresh=True)

    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("search_reconcile", stdout=out)

    assert raised.value.returncode == 1
    assert f"database documents missing from the index: 1: {tea.pk}" in out.getvalue()

    out = StringIO()
    call_command("search_reconcile", "--repair", stdout=out)

    assert "Repaired: no differences left." in out.getvalue()
    assert elasticsearch.client.exists(index=ALIAS, id=tea.pk)
