"""The database search backend against the behaviour issue 7 asks of both backends:
Vietnamese matching and ranking, facets, filters, sorting, certified-only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.test.factories import create_product as oscar_create_product

import search.receivers  # noqa: F401  (connected by SearchConfig.ready once wired)
from catalogue import services as catalogue_services
from catalogue.models import Producer
from sales_points import services as stock
from sales_points.models import SalesPoint
from search.database import DatabaseBackend
from search.models import SCORED_FIELDS as LINES
from search.models import ProductDocument
from search.outbox import outbox_drain_all as reindex
from search.query import SearchQuery
from search.text import score
from tests.factories import ProducerFactory, group, issue_certificate, unit

pytestmark = pytest.mark.django_db

TAN_CUONG = (21.58, 105.77)  # Thái Nguyên's tea commune
HANOI = (21.03, 105.85)  # ~62 km from Tân Cương


def maker(name_vi: str, name_en: str = "", **kwargs) -> Producer:
    return ProducerFactory(name_vi=name_vi, name_en=name_en, **kwargs)


def make(
    title: str, *, producer=None, group_code="tea", origin="tan-cuong-pre2025",
    stars=4, price="150000", description="Sản phẩm OCOP", title_en="", certified=True,
):  # fmt: skip
    """A public product with a price (no stock at any outlet) and, unless told
    otherwise, a certificate in force. The default producer's name matches nothing
    the tests search for."""
    product = oscar_create_product(
        title=title, price=Decimal(price) if price else None,
        partner_name="OCOP Market" if price else None,
        producer=producer or maker("Cơ sở sản xuất Minh Anh", "Minh Anh Workshop"),
        group=group(group_code), origin=unit(origin), description=description,
        title_en=title_en,
    )  # fmt: skip
    if certified:
        issue_certificate(product, stars=stars)
    return product


def outlet(code: str, point=TAN_CUONG, **kwargs) -> SalesPoint:
    return stock.sales_point_create(
        code=code, name_vi=f"Điểm bán {code}", name_en=f"Outlet {code}",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Tân Cương",
        latitude=str(point[0]), longitude=str(point[1]), **kwargs,
    )  # fmt: skip


def search(**kwargs):
    return DatabaseBackend().search(SearchQuery(**kwargs))


def titles(result) -> list[str]:
    return [product.title for product in result.products]


def counts(result, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[facet]}


# --- Vietnamese rules -------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["tra tan cuong", "trà tân cương", "TRA TAN CUONG", "Trà  Tân-Cương!"]
)
def test_queries_with_or_without_diacritics_find_the_same_product(text):
    make("Trà Tân Cương")
    make("Mật ong rừng", group_code="herbs", origin="ha-noi")
    reindex()

    result = search(text=text)

    assert titles(result) == ["Trà Tân Cương"]
    assert (result.total, result.backend) == (1, "database")


def test_d_with_stroke_folds_to_d():
    make("Đường phèn Quảng Ngãi", group_code="food-processed", origin="ha-noi")
    reindex()

    assert titles(search(text="duong phen")) == ["Đường phèn Quảng Ngãi"]
    assert titles(search(text="ĐƯỜNG")) == ["Đường phèn Quảng Ngãi"]


def test_exact_diacritics_rank_above_a_folded_match():
    # given sugar (older) and a product whose producer is from Hải Dương (newer)
    make("Đường phèn Quảng Ngãi", group_code="food-processed", origin="ha-noi")
    make(
        "Bánh gai Ninh Giang", producer=maker("Cơ sở bánh gai Hải Dương"),
        group_code="food-processed", origin="hai-duong-pre2025",
    )  # fmt: skip
    reindex()

    # when a buyer types "đường" (sugar) / then sugar comes first, Hải Dương second
    assert titles(search(text="đường")) == [
        "Đường phèn Quảng Ngãi",
        "Bánh gai Ninh Giang",
    ]


def test_title_outranks_producer_outranks_description():
    # given three matches, oldest first, so "newest first" would reverse them
    make("Trà sen Tây Hồ", group_code="herbs", origin="ha-noi")
    make(
        "Mứt gừng",
        producer=maker("Hợp tác xã Sen Vàng"),
        group_code="herbs",
        origin="ha-noi",
    )
    make(
        "Bột sắn dây", description="<p>Ướp hương <b>sen</b> Tây Hồ &amp; hoa nhài</p>",
        group_code="herbs", origin="ha-noi",
    )  # fmt: skip
    reindex()

    assert titles(search(text="sen")) == ["Trà sen Tây Hồ", "Mứt gừng", "Bột sắn dây"]


def test_che_and_tra_find_each_other():
    make("Trà xanh Bảo Lộc", group_code="herbs", origin="ha-noi")
    make("Chè búp khô", group_code="herbs", origin="ha-noi")
    make("Mật ong hoa nhãn", group_code="herbs", origin="ha-noi")
    reindex()

    assert titles(search(text="chè xanh")) == ["Trà xanh Bảo Lộc"]
    # the exact word first, the synonym after
    assert titles(search(text="trà")) == ["Trà xanh Bảo Lộc", "Chè búp khô"]
    assert titles(search(text="chè")) == ["Chè búp khô", "Trà xanh Bảo Lộc"]


def test_a_synonym_matches_whole_words_only():
    # given tea, and processed food whose group is "Thực phẩm chế biến" (processing)
    make("Chè búp khô", group_code="herbs", origin="ha-noi")
    make("Bánh chưng", group_code="food-processed", origin="ha-noi")
    reindex()

    # when a buyer looks for tea as "trà" / then "chế" in "chế biến" is not "chè"
    assert titles(search(text="trà")) == ["Chè búp khô"]
    assert titles(search(text="tra")) == ["Chè búp khô"]
    # while the typed word itself still finds the beginning of words
    assert titles(search(text="che bi")) == ["Bánh chưng"]


def test_relevance_is_the_text_rules_score():
    # given products whose fields match "sen" and "chè sen" in every way
    lotus = maker("Hợp tác xã Sen Vàng", "Golden Lotus Cooperative")
    make("Trà sen Tây Hồ", title_en="West Lake lotus tea", group_code="herbs")
    make("Chè Sen", producer=lotus, description="Ướp hương sen")
    make("Mứt gừng", producer=lotus, group_code="herbs", origin="ha-noi")
    make("Bột sắn dây", description="Hương sen, chè xanh", origin="ha-noi")
    make("Senna trà", producer=lotus, description="Chè", group_code="herbs")
    make("Chè", producer=maker("Sen Hồng"), origin="ha-noi")
    reindex()
    documents = ProductDocument.objects.select_related("terms")

    for text in ("sen", "chè sen", "tra sen", "SEN CHE", "se"):
        # then the order is search.text.score's, newest first among equals
        def expected(document, text=text):
            lines = {line: getattr(document.terms, line).strip() for line in LINES}
            return (-score(text, lines), -document.date_created.timestamp())

        found = {d.product_id: d for d in documents}
        result = search(text=text, page_size=50)
        ranked = sorted((found[p.pk] for p in result.products), key=expected)
        assert [p.pk for p in result.products] == [d.product_id for d in ranked]
        assert result.total >= 3


def test_english_titles_and_words_across_fields_are_found():
    make("Trà Tân Cương", title_en="Tan Cuong green tea")
    make("Mật ong rừng", title_en="Wild honey", group_code="herbs", origin="ha-noi")
    reindex()

    assert titles(search(text="tan cuong tea", language="en")) == ["Trà Tân Cương"]
    # "honey" in the title, "Hà Nội" only in the origin: still found
    assert titles(search(text="honey ha noi")) == ["Mật ong rừng"]


def test_search_as_you_type_matches_the_beginning_of_words():
    make("Trà Tân Cương")
    reindex()

    assert titles(search(text="tra tan cu")) == ["Trà Tân Cương"]
    assert titles(search(text="ra tan")) == []  # not the middle of a word


def test_a_near_miss_gets_a_did_you_mean():
    make("Trà Tân Cương")
    reindex()

    result = search(text="tra tan cuongg")

    assert result.total == 0
    assert result.suggestion == "tra tan cuong"
    assert search(text="trà tân cương").suggestion is None
    assert search().suggestion is None


def test_the_vocabulary_follows_the_catalogue():
    make("Trà Tân Cương")
    reindex()
    assert search(text="mien dong").suggestion is None  # no word close enough

    make("Miến dong Việt Cường", group_code="food-processed", origin="ha-noi")
    reindex()  # a drain invalidates the per-process vocabulary

    assert search(text="mienn dong").suggestion == "mien dong"


# --- Facets -----------------------------------------------------------------------


@pytest.fixture(params=["", "ocop"], ids=["browse", "text"])
def find(request):
    """search() both ways the backend answers: without text (the database sorts,
    pages and counts) and with a text every product matches (the matches are read
    once, then filtered, counted and sorted in Python)."""

    def find(**kwargs):
        kwargs.setdefault("text", request.param)
        return search(**kwargs)

    return find


@pytest.fixture
def assorted():
    """Four certified products: 3★ tea, 4★ tea, 4★ herbs, 5★ other drink."""
    products = {
        "tea3": make("Chè Thái 3 sao", stars=3, price="100000"),
        "tea4": make("Chè Thái 4 sao", stars=4, price="300000"),
        "herbs4": make(
            "Cao dược liệu",
            stars=4,
            group_code="herbs",
            origin="ha-noi",
            price="200000",
            producer=maker("Hộ kinh doanh Lan", kind=Producer.Kind.HOUSEHOLD),
        ),  # fmt: skip
        "drink5": make("Rượu ngô", stars=5, group_code="other-drinks", price="500000"),
    }
    reindex()
    return products


def test_facet_counts_add_up(assorted, find):
    result = find()

    assert result.total == 4
    assert counts(result, "stars") == {"5": 1, "4": 2, "3": 1}
    assert sum(counts(result, "stars").values()) == result.total
    assert counts(result, "group") == {
        "beverages": 3,
        "tea": 2,
        "herbs": 1,
        "other-drinks": 1,
    }
    assert counts(result, "producer_kind") == {"cooperative": 3, "household": 1}
    assert counts(result, "region")["tp-thai-nguyen"] == 3
    assert counts(result, "region")["ha-noi"] == 1
    assert sum(counts(result, "producer").values()) == 4
    assert counts(result, "availability") == {"in_stock": 0}


def test_a_facets_own_counts_ignore_its_selection_and_the_others_follow_it(
    assorted, find
):
    everything = find()

    four = find(stars=(4,))

    assert four.total == 2
    assert counts(four, "stars") == counts(everything, "stars")
    assert [v.value for v in four.facets["stars"] if v.selected] == ["4"]
    assert counts(four, "group") == {"beverages": 1, "tea": 1, "herbs": 1}
    assert counts(four, "producer_kind") == {"cooperative": 1, "household": 1}

    four_tea = find(stars=(4,), groups=("tea",))
    assert four_tea.total == 1
    assert counts(four_tea, "stars") == {"4": 1, "3": 1}  # among tea
    assert counts(four_tea, "group") == counts(four, "group")


def test_a_selected_value_without_results_still_shows(assorted, find):
    result = find(groups=("handicrafts",))

    assert result.total == 0
    (handicrafts,) = [v for v in result.facets["group"] if v.value == "handicrafts"]
    assert (handicrafts.count, handicrafts.selected) == (0, True)
    assert handicrafts.label == "Thủ công mỹ nghệ"


def test_facet_labels_are_in_the_querys_language(assorted, find):
    english = find(language="en")
    vietnamese = find(language="vi")

    def labels(result, facet):
        return {v.value: v.label for v in result.facets[facet]}

    assert labels(english, "group")["tea"] == "Tea and tea products"
    assert labels(vietnamese, "group")["tea"] == "Chè và sản phẩm từ chè"
    assert labels(english, "stars")["5"] == "5 ★"
    assert labels(english, "region")["tan-cuong-pre2025"] == "Tan Cuong commune"
    assert labels(vietnamese, "region")["tan-cuong-pre2025"] == "xã Tân Cương"
    assert labels(english, "producer_kind")["household"] == "household business"
    assert labels(english, "availability")["in_stock"] == "In stock"
    herbs_producer = str(assorted["herbs4"].producer_id)
    assert labels(vietnamese, "producer")[herbs_producer] == "Hộ kinh doanh Lan"
    # regions in tree order: provinces, then districts, then communes
    assert [v.value for v in english.facets["region"]][-1] == "tan-cuong-pre2025"


# --- Filters ----------------------------------------------------------------------


def test_filters(assorted, find):
    def found(**kwargs):
        return set(titles(find(page_size=50, **kwargs)))

    everything = {p.title for p in assorted.values()}
    assert found() == everything
    assert found(groups=("beverages",)) == {
        "Chè Thái 3 sao",
        "Chè Thái 4 sao",
        "Rượu ngô",
    }
    assert found(groups=("tea", "herbs")) == {
        "Chè Thái 3 sao",
        "Chè Thái 4 sao",
        "Cao dược liệu",
    }
    assert found(stars=(3, 5)) == {"Chè Thái 3 sao", "Rượu ngô"}
    assert found(regions=("thai-nguyen-1997",)) == everything - {"Cao dược liệu"}
    assert found(regions=("ha-noi",)) == {"Cao dược liệu"}
    assert found(producers=(assorted["tea3"].producer_id,)) == {"Chè Thái 3 sao"}
    assert found(producer_kinds=("household",)) == {"Cao dược liệu"}
    assert found(price_min=200000) == {"Chè Thái 4 sao", "Cao dược liệu", "Rượu ngô"}
    assert found(price_max=200000) == {"Chè Thái 3 sao", "Cao dược liệu"}
    assert found(price_min=150000, price_max=350000) == {
        "Chè Thái 4 sao",
        "Cao dược liệu",
    }
    assert found(stars=(4,), groups=("beverages",)) == {"Chè Thái 4 sao"}


def test_category_filter_includes_subcategories(assorted, find):
    tea = create_from_breadcrumbs("Đặc sản > Chè")
    assorted["tea4"].categories.add(tea)
    assorted["drink5"].categories.add(tea.get_parent())
    reindex()

    parent = tea.get_parent().pk
    assert set(titles(find(categories=(parent,)))) == {"Chè Thái 4 sao", "Rượu ngô"}
    assert titles(find(categories=(tea.pk,))) == ["Chè Thái 4 sao"]


def test_stock_filters_read_free_units_at_active_outlets(assorted, find):
    # given stock at two outlets in Tân Cương and one in Hà Nội
    near, far, closed = outlet("tc-01"), outlet("hn-01", HANOI), outlet("tc-02")
    stock.stock_receive(sales_point=near, product=assorted["tea3"], quantity=5)
    stock.stock_receive(sales_point=far, product=assorted["herbs4"], quantity=2)
    stock.stock_receive(sales_point=closed, product=assorted["drink5"], quantity=2)
    # every unit of tea4 at tc-01 is promised to online orders: none free
    stock.stock_receive(sales_point=near, product=assorted["tea4"], quantity=1)
    stock.stock_allocate_lines(sales_point=near, quantities={assorted["tea4"].pk: 1})
    closed.is_active = False
    closed.save()
    reindex()

    assert set(titles(find(in_stock=True))) == {"Chè Thái 3 sao", "Cao dược liệu"}
    assert titles(find(outlet="tc-01")) == ["Chè Thái 3 sao"]
    assert titles(find(outlet="tc-02")) == []
    assert titles(find(near=TAN_CUONG, near_km=10)) == ["Chè Thái 3 sao"]
    assert set(titles(find(near=TAN_CUONG, near_km=100))) == {
        "Chè Thái 3 sao",
        "Cao dược liệu",
    }
    assert titles(find(near=(10.0, 106.0), near_km=10)) == []

    result = find(outlet="tc-01", stars=(3,))
    assert counts(result, "availability") == {"in_stock": 1, "outlet:tc-01": 1}
    assert counts(find(), "availability") == {"in_stock": 2}


def test_certified_only_by_default():
    make("Trà Tân Cương")
    make("Trà chưa chứng nhận", certified=False)
    reindex()

    assert titles(search(text="tra")) == ["Trà Tân Cương"]
    assert set(titles(search(text="tra", certified_only=False))) == {
        "Trà Tân Cương",
        "Trà chưa chứng nhận",
    }


def test_a_revoked_certificate_leaves_the_results_once_the_outbox_drains(
    django_capture_on_commit_callbacks,
):
    tea = make("Trà Tân Cương")
    reindex()
    assert titles(search(text="tra tan cuong")) == ["Trà Tân Cương"]

    with django_capture_on_commit_callbacks(execute=True):
        catalogue_services.certificate_revoke(
            certificate=tea.certificates.get(), reason="Failed re-inspection"
        )

    assert search(text="tra tan cuong").total == 0
    assert search(text="tra tan cuong", certified_only=False).total == 1


def test_an_expired_certificate_leaves_the_results_on_the_day_without_a_drain():
    # given a certificate that expires in about a month
    signed = timezone.localdate() - dt.timedelta(days=3 * 365 - 30)
    tea = make("Trà Tân Cương", certified=False)
    issue_certificate(tea, stars=4, signed_on=signed)
    reindex()
    last_day = tea.certificates.get().expires_on - dt.timedelta(days=1)

    with freeze_time(last_day):
        assert search(text="tra").total == 1
    with freeze_time(last_day + dt.timedelta(days=1)):
        assert search(text="tra").total == 0


# --- Sorting and pages ------------------------------------------------------------


def test_sorting(assorted, find):
    make("Chè chưa có giá", price=None)
    reindex()

    def order(sort, **kwargs):
        return titles(find(sort=sort, page_size=50, **kwargs))

    assert order("price") == [
        "Chè Thái 3 sao", "Cao dược liệu", "Chè Thái 4 sao", "Rượu ngô", "Chè chưa có giá",
    ]  # fmt: skip
    assert order("-price") == [
        "Rượu ngô", "Chè Thái 4 sao", "Cao dược liệu", "Chè Thái 3 sao", "Chè chưa có giá",
    ]  # fmt: skip
    assert order("newest") == [
        "Chè chưa có giá", "Rượu ngô", "Cao dược liệu", "Chè Thái 4 sao", "Chè Thái 3 sao",
    ]  # fmt: skip
    assert order("stars")[0] == "Rượu ngô"
    assert order("stars")[-1] == "Chè Thái 3 sao"
    assert order("relevance") == order("newest")  # no text: newest first
    # with text the sort decides first, relevance breaks ties
    assert order("price", text="che") == [
        "Chè Thái 3 sao",
        "Chè Thái 4 sao",
        "Chè chưa có giá",
    ]
    assert order("-price", text="che") == [
        "Chè Thái 4 sao",
        "Chè Thái 3 sao",
        "Chè chưa có giá",
    ]
    assert order("stars", text="sao") == ["Chè Thái 4 sao", "Chè Thái 3 sao"]


def test_pages(assorted, find):
    first = find(sort="price", page_size=3)
    second = find(sort="price", page_size=3, page=2)
    beyond = find(sort="price", page_size=3, page=5)

    assert titles(first) == ["Chè Thái 3 sao", "Cao dược liệu", "Chè Thái 4 sao"]
    assert titles(second) == ["Rượu ngô"]
    assert (beyond.products, beyond.total) == ([], 4)
    assert titles(find(text="che", page_size=1, page=2)) == ["Chè Thái 3 sao"]


def test_results_are_products_ready_for_a_listing_card(assorted, find):
    (product,) = find(stars=(5,)).products

    with CaptureQueriesContext(connection) as queries:
        card = (
            product.stockrecords.all()[0].price,
            product.valid_certificates[0].stars,
            product.producer.name,
            list(product.images.all()),
        )
    assert len(queries) == 0
    assert card[1] == 5


@pytest.mark.parametrize(
    "filters",
    [{}, {"text": "che"}, {"text": "che", "stars": (3, 4), "price_max": 200000}],
    ids=["browse", "text", "text-and-filters"],
)
def test_the_query_count_does_not_grow_with_the_page_size(filters):
    producer = maker("Hợp tác xã Thái Nguyên")
    for n in range(20):
        make(f"Chè số {n}", producer=producer, stars=3 + n % 3)
    reindex()
    search(**filters)  # warm the per-process vocabulary

    with CaptureQueriesContext(connection) as five:
        assert len(search(page_size=5, **filters).products) == 5
    with CaptureQueriesContext(connection) as twenty:
        result = search(page_size=20, **filters)
    assert len(result.products) == min(20, result.total) > 5

    # the copy's version (search.columns; or the statement that matches, pages
    # and counts); 3 labels (group, region, producer); 4 for the products and
    # what their listing cards show
    assert len(five) == len(twenty) == 8
