"""search_reindex and search_reconcile on the database backend (ELASTICSEARCH_URL
unset; tests/search/test_elastic_live.py covers the index)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

import search.receivers  # noqa: F401  (connected by SearchConfig.ready)
from search import documents as search_documents
from search import services
from search.models import OutboxEntry, ProductDocument, ProductText
from search.outbox import outbox_add
from search.outbox import outbox_drain_all as reindex
from tests.factories import create_product

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_only(settings):
    settings.ELASTICSEARCH_URL = ""


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_failing(*args) -> tuple[CommandError, str]:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out)
    return raised.value, out.getvalue()


@pytest.fixture
def tea(db):
    product = create_product(title="Trà Tân Cương")
    reindex()
    return product


@pytest.fixture
def honey(db):
    product = create_product(title="Mật ong rừng")
    reindex()
    return product


# --- search_reconcile -------------------------------------------------------------


def test_reconcile_finds_nothing_when_documents_are_current(tea, honey):
    output = run("search_reconcile")

    assert "No differences." in output
    assert "not compared (ELASTICSEARCH_URL is not set)" in output


def test_reconcile_finds_a_deleted_document_and_repair_restores_it(tea, honey):
    ProductDocument.objects.filter(pk=tea.pk).delete()

    error, output = run_failing("search_reconcile")

    assert error.returncode == 1
    assert f"browsable products without a database document: 1: {tea.pk}" in output

    output = run("search_reconcile", "--repair")

    assert "Repaired: no differences left." in output
    assert ProductDocument.objects.get(pk=tea.pk).title_vi == "Trà Tân Cương"
    assert not OutboxEntry.objects.exists()


def test_reconcile_finds_a_stale_document_and_repair_rebuilds_it(tea, honey):
    # a change that reached the catalogue but not the document (no outbox row)
    ProductText.objects.filter(pk=tea.pk).update(title_vi="Trà cũ")

    error, output = run_failing("search_reconcile")

    assert error.returncode == 1
    assert f"database documents differing from the catalogue: 1: {tea.pk}" in output

    run("search_reconcile", "--repair")

    assert ProductDocument.objects.get(pk=tea.pk).title_vi == "Trà Tân Cương"
    assert "No differences." in run("search_reconcile")


def test_reconcile_reads_as_many_queries_for_more_documents(tea, honey):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert not services.search_differences()
        return len(captured)

    two = queries()
    for n in range(3):
        create_product(title=f"Miến dong {n}")
    reindex()

    assert queries() == two


def test_reconcile_finds_the_document_of_a_hidden_product(tea, honey):
    Product.objects.filter(pk=honey.pk).update(is_public=False)  # no signal

    error, output = run_failing("search_reconcile")

    assert error.returncode == 1
    assert f"products no longer browsable: 1: {honey.pk}" in output

    run("search_reconcile", "--repair")

    assert set(ProductDocument.objects.values_list("pk", flat=True)) == {tea.pk}


# --- search_reindex ---------------------------------------------------------------


def test_reindex_rebuilds_every_document_and_settles_the_queue(tea, honey):
    ProductDocument.objects.all().delete()
    outbox_add([tea.pk, honey.pk])  # queued before: the rebuild settles them

    output = run("search_reindex")

    assert "Database documents written: 2" in output
    assert "Outbox rows added during the rebuild: 0" in output
    assert set(ProductDocument.objects.values_list("pk", flat=True)) == {
        tea.pk,
        honey.pk,
    }
    assert not OutboxEntry.objects.exists()


def test_reindex_keeps_and_drains_a_change_made_while_it_runs(tea, honey, monkeypatch):
    real_rebuild = search_documents.documents_rebuild

    def rebuild_then_a_manager_saves():
        written = real_rebuild()
        # the rebuild has read the catalogue; this change comes after it
        tea.title = "Trà Tân Cương đặc biệt"
        tea.save()  # adds an outbox row
        return written

    monkeypatch.setattr(services, "documents_rebuild", rebuild_then_a_manager_saves)
    # queued before: kept and drained after the rebuild too (its writer may not have
    # committed when the rebuild began)
    outbox_add([honey.pk])

    output = run("search_reindex")

    assert "Outbox rows added during the rebuild: 1" in output
    assert "Outbox rows drained afterwards: 2" in output
    assert ProductDocument.objects.get(pk=tea.pk).title_vi == "Trà Tân Cương đặc biệt"
    assert not OutboxEntry.objects.exists()


# --- With Elasticsearch down --------------------------------------------------------


@pytest.fixture
def elasticsearch_down(settings):
    from search import backends, outbox

    saved = list(outbox.ACTIVE_INDEXERS)
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # nothing listens there
    backends._elasticsearch.clear()
    yield
    backends._elasticsearch.clear()
    outbox.ACTIVE_INDEXERS[:] = saved


def test_reindex_fails_cleanly_when_elasticsearch_is_down(elasticsearch_down, tea):
    outbox_add([tea.pk])

    error, _output = run_failing("search_reindex")

    assert "Elasticsearch failed" in str(error)
    assert "ConnectionError" in str(error)
    # nothing was settled: the queued row stays for the index
    assert list(OutboxEntry.objects.values_list("product_id", flat=True)) == [tea.pk]


def test_reconcile_exits_2_when_elasticsearch_is_down(elasticsearch_down, tea):
    error, _output = run_failing("search_reconcile")

    assert error.returncode == 2
    assert "Elasticsearch failed" in str(error)
