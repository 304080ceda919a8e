"""search.columns: the database backend's copy of the search documents in each
process answers every query as the backend's SQL statement does, and follows every
change to the documents, however it is written."""

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from catalogue.models import Producer
from sales_points import services as stock
from sales_points.models import SalesPoint
from search import columns
from search.models import DocumentsVersion, ProductDocument
from search.outbox import outbox_drain_all as reindex
from tests.search.test_database_backend import HANOI, TAN_CUONG, make, maker, outlet
from tests.search.test_database_backend import search as search_by_backend

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    """Eleven products that differ in every way a query can tell them apart."""
    lan = maker("Hộ kinh doanh Lan", "Lan Household", kind=Producer.Kind.HOUSEHOLD)
    hoa = maker("Hợp tác xã chè Tân Cương", "Tan Cuong Tea Cooperative")
    products = {
        "tra": make("Trà Tân Cương đặc biệt", producer=hoa, stars=5, price="250000",
                    title_en="Tan Cuong special tea"),
        "che": make("Chè búp Thái Nguyên", producer=hoa, stars=4, price="180000"),
        "tra3": make("Trà xanh", stars=3, price="90000", description="Trà và chè ngon"),
        "duong": make("Đường phèn", group_code="food-processed", stars=4,
                      price="60000", description="Đặc sản Hải Dương"),
        "hai": make("Bánh gai Hải Dương", group_code="food-processed", stars=3,
                    price="45000", origin="ha-noi"),
        "mat": make("Mật ong rừng", producer=lan, group_code="food-processed",
                    stars=5, price="320000", origin="ha-noi"),
        "cao": make("Cao dược liệu", producer=lan, group_code="herbs", stars=4,
                    price="200000"),
        "ruou": make("Rượu ngô", group_code="other-drinks", stars=5, price="500000",
                     description="Chế biến từ ngô"),
        "gia": make("Chè chưa có giá", price=None),
        "cu": make("Chè cũ", certified=False),
        "the": make("Sản phẩm chủ thể OCOP", stars=4, price="150000",
                    description="Chủ thể sản xuất chè"),
    }  # fmt: skip
    near, far = outlet("tc-01"), outlet("hn-01", HANOI)
    stock.stock_receive(sales_point=near, product=products["tra"], quantity=5)
    stock.stock_receive(sales_point=near, product=products["che"], quantity=2)
    stock.stock_receive(sales_point=far, product=products["mat"], quantity=3)
    tea = create_from_breadcrumbs("Đặc sản > Chè")
    products["tra"].categories.add(tea)
    products["duong"].categories.add(tea.get_parent())
    reindex()
    return products


def answer(**query) -> tuple:
    result = search_by_backend(**query)
    return (
        [p.pk for p in result.products],
        result.total,
        result.facets,
        result.suggestion,
    )


def answers_alike(queries: list[dict]) -> None:
    """Each query answered by the copy as by the SQL statement: the same page in the
    same order, total, facets with their counts and suggestion."""
    found = 0
    for query in queries:
        by_columns = answer(**query)
        with override_settings(SEARCH_DATABASE_COLUMNS=False):
            by_sql = answer(**query)
        assert by_columns == by_sql, query
        found += by_sql[1] > 0
    assert found >= len(queries) - 2  # the queries find something, mostly


def test_texts_are_matched_and_ranked_alike(catalogue):
    answers_alike(
        [
            {"text": text, "page_size": 50}
            for text in (
                "trà",
                "chè",
                "tra tan cuong",
                "TRÀ TÂN CƯƠNG",
                "đường",
                "duong",
                "hai duong",
                "tan cuong tea",
                "chế",
                "ch",
                "t",
                "chủ thể",
                "ocop",
                "mat ong rung",
                "tra xanh che",
                "khong co gi",
            )
        ]  # fmt: skip
        + [{"text": "tea", "language": "en"}, {"text": "che", "certified_only": False}]
    )


def test_filters_and_facets_are_counted_alike(catalogue):
    lan = catalogue["mat"].producer_id
    tea = catalogue["tra"].categories.get()
    answers_alike(
        [
            {},
            {"stars": (4,)},
            {"stars": (4, 5), "groups": ("beverages",)},
            {"text": "che", "stars": (5,), "regions": ("tp-thai-nguyen",)},
            {"groups": ("food-processed",), "producer_kinds": ("household",)},
            {"producers": (lan,)},
            {"text": "tra", "producers": (lan,)},  # a selected producer, no results
            {"price_min": 100000, "price_max": 300000},
            {"price_max": 60000, "stars": (4,)},
            {"categories": (tea.get_parent().pk,)},
            {"in_stock": True},
            {"outlet": "tc-01", "stars": (4,)},
            {"near": TAN_CUONG, "near_km": 10},
            {"near": (10.0, 106.0), "near_km": 5},  # no outlet near
            {"text": "che", "in_stock": True, "near": HANOI, "near_km": 100},
            {"certified_only": False, "groups": ("tea",)},
        ]
    )


def test_sorts_and_pages_are_alike(catalogue):
    answers_alike(
        [
            {"sort": sort, "page": page, "page_size": 4, **text}
            for sort in ("relevance", "price", "-price", "stars", "newest")
            for page in (1, 2, 4)
            for text in ({}, {"text": "che"})
        ]
    )


def titles(**query) -> list[str]:
    return [product.title for product in search_by_backend(**query).products]


def test_a_change_reaches_the_copy_by_reading_only_its_document(catalogue):
    copy = columns.columns_read()
    size = copy.size
    tea = catalogue["tra"]
    tea.title = "Trà Tân Cương thượng hạng"
    tea.save()
    reindex()

    refreshed = columns.columns_refresh(copy)

    assert refreshed is copy
    assert (copy.size, copy.dead) == (size + 1, 1)
    assert copy.product[copy.slot_of[tea.pk]] == tea.pk
    assert titles(text="thuong hang") == ["Trà Tân Cương thượng hạng"]


def test_a_hidden_product_leaves_the_copy(catalogue):
    titles(text="mat ong")  # the copy is read
    catalogue["mat"].is_public = False
    catalogue["mat"].save()
    reindex()

    assert titles(text="mat ong") == []
    assert catalogue["mat"].pk not in columns.columns_current().slot_of


def test_a_document_written_outside_the_drain_is_seen(catalogue):
    assert titles(text="ruou", stars=(3,)) == []

    ProductDocument.objects.filter(pk=catalogue["ruou"].pk).update(stars=3)

    assert titles(text="ruou", stars=(3,)) == ["Rượu ngô"]


def test_a_rolled_back_write_leaves_the_copy(catalogue):
    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        ProductDocument.objects.filter(pk=catalogue["ruou"].pk).update(stars=3)
        assert titles(stars=(3,), text="ruou") == ["Rượu ngô"]
        raise RolledBack

    assert titles(stars=(3,), text="ruou") == []


def version() -> int:
    return DocumentsVersion.objects.get().version


def test_the_version_moves_with_a_write_and_only_then(catalogue):
    before = version()
    titles(text="che")
    # one unit of five sold: nothing search shows changes, no document is written
    near = SalesPoint.objects.get(code="tc-01")
    stock.counter_sale_record(
        sales_point=near, lines={catalogue["tra"].pk: 1}, payment="cash"
    )
    reindex()
    assert version() == before

    ProductDocument.objects.filter(pk=catalogue["ruou"].pk).update(stars=3)
    assert version() != before


def test_many_changes_read_the_copy_anew(catalogue, monkeypatch):
    monkeypatch.setattr(columns, "DEAD_MIN", 2)
    copy = columns.columns_read()
    ProductDocument.objects.update(stars=5)

    refreshed = columns.columns_refresh(copy)

    assert refreshed is not copy
    assert refreshed.dead == 0
    assert titles(stars=(5,), page_size=50, certified_only=False) != []


def test_a_warm_copy_answers_without_reading_the_documents(catalogue):
    titles(text="che")  # the copy is read

    with CaptureQueriesContext(connection) as queries:
        result = search_by_backend(text="tra tan cuong", stars=(5,), in_stock=True)

    assert [p.title for p in result.products] == ["Trà Tân Cương đặc biệt"]
    read = " ".join(query["sql"] for query in queries)
    assert "search_documentsversion" in read
    # the statement way filters on the certificate and reads terms or words
    assert "certified_until" not in read
    assert "search_productterms" not in read
    assert "search_productwords" not in read


def test_a_starting_process_reads_the_copy_before_its_first_search(
    catalogue, monkeypatch
):
    monkeypatch.setattr(columns, "_held", None)

    columns.columns_warm()

    assert catalogue["tra"].pk in columns._held.slot_of
    assert catalogue["cu"].pk in columns._held.slot_of  # uncertified: kept, filtered


def test_with_elasticsearch_the_copy_waits_for_a_fallback(
    catalogue, monkeypatch, settings
):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    monkeypatch.setattr(columns, "_held", None)

    columns.columns_warm()

    assert columns._held is None


def test_did_you_mean_follows_a_change_without_reading_the_titles(catalogue):
    titles(text="tra")  # the copy and its words are made
    honey = catalogue["mat"]
    honey.title = "Mật ong bạc hà"
    honey.save()
    reindex()

    with CaptureQueriesContext(connection) as queries:
        result = search_by_backend(text="bacc ha")

    assert result.suggestion == "bac ha"
    assert "search_producttext" not in " ".join(q["sql"] for q in queries)
