"""Search never loses an update: changes write outbox rows in their own transaction,
and draining them is idempotent, retried on failure and safe to run concurrently."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product as oscar_create_product

import search.receivers  # noqa: F401  (connected by SearchConfig.ready once wired)
from catalogue import services as catalogue_services
from sales_points import services as stock
from sales_points.models import SalesPoint
from search import outbox
from search.documents import document_build, documents_sync
from search.models import OutboxEntry, ProductDocument, ProductText
from search.outbox import outbox_add, outbox_drain
from search.outbox import outbox_drain_all as reindex
from tests.factories import create_product, unit

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def queued() -> set[int]:
    return set(OutboxEntry.objects.values_list("product_id", flat=True))


def document(product) -> ProductDocument:
    return ProductDocument.objects.select_related("text").get(product=product)


def make_outlet(code="tc-01") -> SalesPoint:
    return stock.sales_point_create(
        code=code, name_vi=f"Điểm bán {code}", name_en=f"Outlet {code}",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Tân Cương",
        latitude="21.58", longitude="105.77",
    )  # fmt: skip


@pytest.fixture
def tea(db):
    product = create_product(title="Trà Tân Cương")
    reindex()
    return product


# --- Written with the change ------------------------------------------------------


def test_a_product_save_writes_an_outbox_row_in_the_same_transaction(tea):
    with transaction.atomic():
        tea.title = "Trà Tân Cương đặc biệt"
        tea.save()
        # then the row is there before the commit, in the same transaction
        assert queued() == {tea.pk}


def test_a_rolled_back_save_writes_no_row(tea):
    with pytest.raises(RuntimeError), transaction.atomic():
        tea.title = "Never saved"
        tea.save()
        raise RuntimeError("the change fails after the save")

    assert queued() == set()


def test_the_drain_task_runs_after_the_commit(tea, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            tea.title = "Trà Tân Cương đặc biệt"
            tea.save()
            outbox_add([tea.pk])
            assert document(tea).title_vi == "Trà Tân Cương"  # not before the commit

    assert callbacks
    assert queued() == set()
    assert document(tea).title_vi == "Trà Tân Cương đặc biệt"


def test_outbox_add_dedupes_and_ignores_nothing(tea):
    assert outbox_add([tea.pk, tea.pk, None]) == 1
    assert outbox_add([]) == 0
    assert OutboxEntry.objects.count() == 1


# --- Drained idempotently ---------------------------------------------------------


def test_draining_twice_is_a_no_op(db):
    product = create_product(title="Trà Tân Cương")
    rows = OutboxEntry.objects.count()

    assert outbox_drain() == rows
    before = document(product)
    assert outbox_drain() == 0
    after = document(product)

    assert after.updated_at == before.updated_at
    assert ProductDocument.objects.count() == 1


def test_draining_again_rebuilds_the_same_document(tea):
    def state(doc):
        fields = [
            f.name for f in ProductDocument._meta.fields if f.name != "updated_at"
        ]
        texts = [f.name for f in ProductText._meta.fields]
        return {f: getattr(doc, f) for f in fields}, {
            f: getattr(doc.text, f) for f in texts
        }

    before = state(document(tea))

    outbox_add([tea.pk])
    outbox_drain()

    assert state(document(tea)) == before


def test_a_drain_that_changes_no_document_writes_none_and_keeps_the_generation(tea):
    outlet = make_outlet()
    stock.stock_receive(sales_point=outlet, product=tea, quantity=3)
    reindex()
    before, generation = document(tea), outbox.generation()

    # a sale that leaves units free: queued and drained, but search shows the same
    stock.counter_sale_record(sales_point=outlet, lines={tea.pk: 1}, payment="cash")
    assert tea.pk in queued()
    assert reindex() >= 1 and not queued()

    assert document(tea).updated_at == before.updated_at
    assert outbox.generation() == generation

    # the last units: no longer in stock, written, and a new generation
    stock.counter_sale_record(sales_point=outlet, lines={tea.pk: 2}, payment="cash")
    reindex()

    assert not document(tea).in_stock
    assert document(tea).updated_at > before.updated_at
    assert outbox.generation() > generation


def test_documents_sync_counts_the_documents_it_writes_or_deletes(tea):
    record = StockRecord.objects.create(
        product=tea, partner=make_outlet().partner, price=Decimal("90000"),
        num_in_stock=2,
    )  # fmt: skip
    reindex()
    assert documents_sync([tea.pk]) == 0

    StockRecord.objects.filter(pk=record.pk).update(price=Decimal("80000"))
    assert documents_sync([tea.pk]) == 1
    assert document(tea).price_vnd == 80000

    Product.objects.filter(pk=tea.pk).update(is_public=False)  # no signal
    assert documents_sync([tea.pk]) == 1
    assert not ProductDocument.objects.filter(product=tea).exists()
    assert documents_sync([tea.pk]) == 0


@pytest.mark.postgres
def test_a_document_without_its_words_is_written_again(tea):
    if connection.vendor != "postgresql":
        pytest.skip("the words (a tsvector) are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM search_productwords WHERE document_id = %s", [tea.pk]
        )

    assert documents_sync([tea.pk]) == 1

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_productwords WHERE document_id = %s"
            " AND words @@ CAST('tra:*' AS tsquery)",
            [tea.pk],
        )
        assert cursor.fetchone()[0] == 1


def test_drains_in_batches(db):
    products = [create_product(title=f"Trà {n}") for n in range(3)]
    OutboxEntry.objects.all().delete()
    outbox_add(p.pk for p in products)

    assert outbox_drain(limit=2) == 2
    assert outbox_drain(limit=2) == 1
    assert outbox_drain(limit=2) == 0
    assert ProductDocument.objects.count() == 3


# --- What reaches the outbox ------------------------------------------------------


def test_stock_written_with_update_shows_after_outbox_add(tea):
    # given an outlet with units of the tea, written as sales_points.services does
    outlet = make_outlet()
    record = StockRecord.objects.create(
        product=tea, partner=outlet.partner, price=Decimal("120000"), num_in_stock=0
    )
    reindex()
    assert not document(tea).in_stock

    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=4)  # no post_save
    outbox_add([tea.pk])
    reindex()

    assert document(tea).in_stock
    assert document(tea).outlet_codes == "|tc-01|"
    assert document(tea).price_vnd == 120000


def test_stock_services_reach_the_outbox_through_the_ledger(tea):
    outlet = make_outlet()

    stock.stock_receive(sales_point=outlet, product=tea, quantity=3)
    assert tea.pk in queued()
    reindex()
    assert document(tea).in_stock

    stock.counter_sale_record(sales_point=outlet, lines={tea.pk: 3}, payment="cash")
    reindex()
    assert not document(tea).in_stock


def test_an_outlet_closing_takes_its_stock_out_of_search(tea):
    outlet = make_outlet()
    stock.stock_receive(sales_point=outlet, product=tea, quantity=3)
    reindex()

    outlet.is_active = False
    outlet.save()
    reindex()

    assert not document(tea).in_stock


def test_a_producer_rename_reaches_all_its_products(tea):
    other = create_product(title="Trà móc câu", producer=tea.producer)
    reindex()

    tea.producer.name_vi = "Hợp tác xã Chè Hảo Đạt"
    tea.producer.save()
    assert queued() == {tea.pk, other.pk}
    reindex()

    assert document(tea).producer_vi_folded == "hop tac xa che hao dat"
    assert document(other).producer_vi == "Hợp tác xã Chè Hảo Đạt"


def test_certificates_expired_by_the_nightly_job_reach_the_outbox(
    tea, django_capture_on_commit_callbacks
):
    # the job expires with update() (no post_save); certification_changed is heard
    later = tea.certificates.get().expires_on
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_services.certificates_mark_expired(today=later)

    assert queued() == set()
    assert document(tea).certified_until is None
    assert document(tea).stars is None


def test_a_hidden_product_loses_its_document(tea):
    tea.is_public = False
    tea.save()
    reindex()

    assert not ProductDocument.objects.filter(product=tea).exists()


def test_a_deleted_product_loses_its_document(db):
    product = create_product(title="Bản nháp", certified=False)
    reindex()
    assert ProductDocument.objects.filter(product_id=product.pk).exists()

    pk = product.pk
    product.delete()
    assert pk in queued()
    reindex()

    assert not ProductDocument.objects.filter(product_id=pk).exists()


def test_a_child_products_stock_updates_its_parents_document(db):
    parent = create_product(title="Trà Tân Cương", structure="parent")
    parent.stockrecords.all().delete()  # a parent's stock is its children's
    child = oscar_create_product(title="Trà Tân Cương 200 g", parent=parent)
    outlet = make_outlet()
    StockRecord.objects.create(
        product=child, partner=outlet.partner, price=Decimal("90000"), num_in_stock=2
    )
    reindex()

    assert not ProductDocument.objects.filter(product=child).exists()
    assert document(parent).in_stock
    assert document(parent).price_vnd == 90000


# --- Documents --------------------------------------------------------------------


def test_a_document_holds_what_search_filters_on(tea):
    tea.categories.add(
        get_model("catalogue", "Category").add_root(name="Đặc sản", slug="dac-san")
    )
    reindex()
    doc = document(tea)

    assert (doc.title_vi, doc.title_vi_folded) == ("Trà Tân Cương", "tra tan cuong")
    assert doc.group_codes == "|tea|beverages|"
    assert doc.group_en == "Tea and tea products · Beverages"
    assert doc.region_codes == "|tan-cuong-pre2025|tp-thai-nguyen|thai-nguyen-1997|"
    assert doc.origin_vi == "Tân Cương, Thái Nguyên"
    assert doc.stars == 4
    assert doc.certified_until >= timezone.localdate()
    assert doc.producer_id == tea.producer_id
    assert doc.producer_kind == "cooperative"
    assert doc.price_vnd == 150000
    assert doc.in_stock is False  # its stock is at a partner that is not an outlet
    assert doc.category_id_list == list(tea.categories.values_list("pk", flat=True))


def test_documents_are_built_in_a_constant_number_of_queries(
    db, django_assert_num_queries
):
    products = [create_product(title=f"Trà {n}") for n in range(5)]
    category = get_model("catalogue", "Category").add_root(name="Chè", slug="che")
    for product in products:
        product.categories.add(category)

    with django_assert_num_queries(5):
        assert len(document_build([products[0].pk])) == 1
    with django_assert_num_queries(5):
        assert len(document_build([p.pk for p in products])) == 5


def test_descriptions_are_plain_text_cut_at_a_word(db):
    product = create_product(
        title="Trà", description="<p>Hương <b>cốm</b> &amp; " + "lá chè " * 400 + "</p>"
    )
    documents_sync([product.pk])
    doc = document(product)

    assert doc.description_vi.startswith("Hương cốm & lá chè")
    assert len(doc.description_vi) <= 1000
    assert doc.description_vi.endswith("chè")


# --- Failures and concurrency -----------------------------------------------------


class RecordingIndexer:
    def __init__(self, fail=False):
        self.fail, self.received = fail, []

    def index(self, product_ids):
        if self.fail:
            raise ConnectionError("Elasticsearch is down")
        self.received.append(list(product_ids))


def test_a_failing_backend_keeps_the_rows_and_the_database_documents_follow(
    tea, monkeypatch
):
    down = RecordingIndexer(fail=True)
    monkeypatch.setattr(outbox, "ACTIVE_INDEXERS", [down])
    tea.title = "Trà Tân Cương mới"
    tea.save()

    with pytest.raises(ConnectionError):
        outbox_drain()

    entry = OutboxEntry.objects.get()
    assert (entry.product_id, entry.attempts) == (tea.pk, 1)
    assert "Elasticsearch is down" in entry.last_error
    assert document(tea).title_vi == "Trà Tân Cương mới"  # the fallback is current

    # when Elasticsearch is back, the outbox catches up
    up = RecordingIndexer()
    monkeypatch.setattr(outbox, "ACTIVE_INDEXERS", [up])
    assert outbox_drain() == 1
    assert up.received == [[tea.pk]]
    assert queued() == set()


def test_rows_that_keep_failing_go_behind_fresh_ones(tea):
    other = create_product(title="Trà mới")
    reindex()
    stuck = OutboxEntry.objects.create(product_id=tea.pk, attempts=3)
    outbox_add([other.pk])  # queued after the stuck row

    assert outbox_drain(limit=1) == 1

    assert list(OutboxEntry.objects.values_list("pk", flat=True)) == [stuck.pk]


def test_the_task_drains_what_is_queued(tea):
    from search.tasks import search_outbox_drain_task

    outbox_add([tea.pk])

    assert search_outbox_drain_task.apply(kwargs={"limit": 500}).get() == 1
    assert queued() == set()


class BlockingIndexer:
    """Holds the first drain inside its transaction until released."""

    def __init__(self):
        self.inside, self.release = threading.Event(), threading.Event()
        self.received = []
        self.lock = threading.Lock()

    def index(self, product_ids):
        with self.lock:
            self.received.append(sorted(product_ids))
        if not self.inside.is_set():
            self.inside.set()
            assert self.release.wait(20)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_drains_take_disjoint_rows_and_drain_everything(
    reference_data, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SKIP LOCKED) and advisory locks need PostgreSQL")
    # the rows stay queued: no task drains them on commit here
    monkeypatch.setattr(outbox, "_drain_task_send", lambda: None)
    first, second = create_product(title="Trà 1"), create_product(title="Trà 2")
    OutboxEntry.objects.all().delete()
    outbox_add([first.pk])
    outbox_add([second.pk])
    outbox_add([first.pk])  # a later change of the first, queued while it drains
    indexer = BlockingIndexer()
    monkeypatch.setattr(outbox, "ACTIVE_INDEXERS", [indexer])
    drained = {}

    def drain(name, limit):
        try:
            drained[name] = outbox_drain(limit=limit)
        finally:
            connection.close()

    # given a drain holding the first row (the first product) inside its transaction
    slow = threading.Thread(target=drain, args=("slow", 1))
    slow.start()
    assert indexer.inside.wait(20)
    # when a second drain runs: it skips the held row, takes the other two, and waits
    # for the first product until the slow drain commits
    fast = threading.Thread(target=drain, args=("fast", 10))
    fast.start()
    fast.join(0.5)
    assert fast.is_alive()
    indexer.release.set()
    slow.join(20)
    fast.join(20)

    assert drained == {"slow": 1, "fast": 2}
    assert indexer.received == [[first.pk], [first.pk, second.pk]]
    assert queued() == set()
    assert ProductDocument.objects.count() == 2
