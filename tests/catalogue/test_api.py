import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from oscar.test.factories import create_stockrecord
from rest_framework.request import Request

from catalogue import services
from catalogue.api import CSV_COLUMNS, OpenDataPagination
from catalogue.models import Producer, Product
from tests.factories import (
    ProducerFactory,
    authority,
    create_product,
    group,
    issue_certificate,
    unit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_client")]


PRODUCTS = "/api/v1/products/"
PRODUCERS = "/api/v1/producers/"
CERTIFICATES = "/api/v1/certificates/"
REGIONS = "/api/v1/regions/"
EXPORT = "/api/v1/products.csv"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def move(product, *, group_code=None, origin_code=None):
    """Put a product in another group or origin (the factory fixes both)."""
    changes = {}
    if group_code:
        changes["group"] = group(group_code)
    if origin_code:
        changes["origin"] = unit(origin_code)
    Product.objects.filter(pk=product.pk).update(**changes)
    return product


def assert_bad_filter(response, *parameters):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Invalid filter."
    assert set(body["errors"]) == set(parameters)
    assert all(
        isinstance(message, str) and message for message in body["errors"].values()
    )


def expired_certificate(product):
    """Active in the database but past its expiry: effectively expired."""
    return issue_certificate(product, stars=4, signed_on=dt.date(2022, 1, 10))


# Products: fields -------------------------------------------------------------------


def test_a_certified_product_carries_its_ocop_data(client):
    producer = ProducerFactory(name_vi="HTX chè Hảo Đạt", name_en="Hao Dat Tea Co-op")
    product = create_product(
        title="Trà Tân Cương đặc biệt", producer=producer, stars=4, title_en="Tea"
    )
    certificate = product.certificates.get()

    response = client.get(PRODUCTS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    item = body["results"][0]
    assert item["id"] == product.pk
    assert item["title"] == "Trà Tân Cương đặc biệt"
    assert item["title_en"] == "Tea"
    assert item["certified"] is True
    assert item["stars"] == 4 and item["score"] == 80
    assert item["certificate"] == {
        "id": certificate.pk,
        "decision_number": certificate.decision_number,
        "authority": {
            "code": "ubnd-thai-nguyen-2025",
            "name_vi": "UBND tỉnh Thái Nguyên",
            "name_en": "Thai Nguyen Provincial People's Committee",
            "level": "province",
        },
        "signed_on": certificate.signed_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "status": "active",
    }
    assert item["group"] == {
        "code": "tea",
        "name_vi": "Chè và sản phẩm từ chè",
        "name_en": "Tea and tea products",
        "parent": "beverages",
        "scheme": "148-2023",
    }
    assert item["producer"] == {
        "id": producer.pk,
        "name_vi": "HTX chè Hảo Đạt",
        "name_en": "Hao Dat Tea Co-op",
        "kind": "cooperative",
        "registration_number": producer.registration_number,
    }
    assert item["origin"] == {
        "code": "tan-cuong-pre2025",
        "official_code": "",
        "name_vi": "Tân Cương",
        "name_en": "Tan Cuong",
    }
    assert item["price_vnd"] == 150000 and isinstance(item["price_vnd"], int)
    assert item["trace_code"] == product.trace_code
    assert item["trace_url"] == f"http://testserver/t/{product.trace_code}/"


def test_the_price_is_the_lowest_stock_record_price_in_whole_dong(client):
    product = create_product(price=Decimal("150000.00"))
    create_stockrecord(product, price=Decimal("139000.00"), partner_name="Outlet 2")
    unpriced = create_product()
    unpriced.stockrecords.all().delete()

    results = client.get(PRODUCTS).json()["results"]

    prices = {item["id"]: item["price_vnd"] for item in results}
    assert prices == {product.pk: 139000, unpriced.pk: None}


def test_the_url_is_the_absolute_vietnamese_product_page_in_any_language(client):
    product = create_product()
    with translation.override("vi"):
        expected = "http://testserver" + product.get_absolute_url()

    with translation.override("en"):
        item = client.get(PRODUCTS, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert item["url"] == expected
    assert item["url"].startswith("http://testserver/vi/")
    assert client.get(item["url"]).status_code == 200


# Products: which ones ---------------------------------------------------------------


def test_only_products_certified_today_are_listed_by_default(client):
    certified = create_product()
    never = create_product(certified=False)
    revoked = create_product()
    services.certificate_revoke(
        certificate=revoked.certificates.get(), reason="Failed re-inspection"
    )
    lapsed = create_product(certified=False)
    expired_certificate(lapsed)

    assert ids(client.get(PRODUCTS)) == [certified.pk]
    assert ids(client.get(PRODUCTS, {"certified": "true"})) == [certified.pk]
    assert ids(client.get(PRODUCTS, {"certified": "false"})) == [
        never.pk,
        revoked.pk,
        lapsed.pk,
    ]
    assert ids(client.get(PRODUCTS, {"certified": "all"})) == [
        certified.pk,
        never.pk,
        revoked.pk,
        lapsed.pk,
    ]


def test_a_product_not_certified_shows_its_latest_certificate_and_why(client):
    revoked = create_product(stars=3)
    services.certificate_revoke(
        certificate=revoked.certificates.get(), reason="Failed re-inspection"
    )
    lapsed = create_product(certified=False)
    expired_certificate(lapsed)
    never = create_product(certified=False)

    results = client.get(PRODUCTS, {"certified": "false"}).json()["results"]

    by_id = {item["id"]: item for item in results}
    assert by_id[revoked.pk]["certified"] is False
    assert by_id[revoked.pk]["stars"] == 3
    assert by_id[revoked.pk]["certificate"]["status"] == "revoked"
    # Still "active" in the database: the API says what is true today.
    assert by_id[lapsed.pk]["certificate"]["status"] == "expired"
    assert by_id[never.pk]["certificate"] is None
    assert by_id[never.pk]["stars"] is None


def test_detail_shows_any_public_product_by_id(client):
    certified = create_product(stars=5)
    never = create_product(certified=False)
    hidden = create_product(is_public=False)

    certified_body = client.get(f"{PRODUCTS}{certified.pk}/").json()
    never_body = client.get(f"{PRODUCTS}{never.pk}/").json()

    assert certified_body["stars"] == 5 and certified_body["certified"] is True
    assert certified_body["certificate"]["authority"]["code"] == "mae"
    assert never_body["id"] == never.pk and never_body["certified"] is False
    assert client.get(f"{PRODUCTS}{hidden.pk}/").status_code == 404


def test_a_non_public_product_is_never_listed(client):
    create_product(is_public=False)

    assert ids(client.get(PRODUCTS, {"certified": "all"})) == []


def test_the_bad_certified_value_is_refused(client):
    assert_bad_filter(client.get(PRODUCTS, {"certified": "yes"}), "certified")


# Products: filters ------------------------------------------------------------------


def test_stars_filter_takes_one_value_or_a_list(client):
    three, four, five = (create_product(stars=stars) for stars in (3, 4, 5))

    assert ids(client.get(PRODUCTS, {"stars": "4"})) == [four.pk]
    assert ids(client.get(PRODUCTS, {"stars": "3,5"})) == [three.pk, five.pk]
    assert ids(client.get(f"{PRODUCTS}?stars=3&stars=4")) == [three.pk, four.pk]


@pytest.mark.parametrize("value", ["2", "6", "four", "3,x"])
def test_bad_stars_are_refused_with_the_parameter_named(client, value):
    response = client.get(PRODUCTS, {"stars": value})

    assert_bad_filter(response, "stars")
    assert response.json()["errors"]["stars"] == "Must be 3, 4 or 5."


def test_an_empty_parameter_is_no_filter(client):
    product = create_product()

    assert ids(client.get(f"{PRODUCTS}?stars=&region=&q=")) == [product.pk]


def test_group_filter_matches_the_group_or_its_parent(client):
    tea = create_product()
    drink = move(create_product(), group_code="other-drinks")
    processed = move(create_product(), group_code="food-processed")

    assert ids(client.get(PRODUCTS, {"group": "tea"})) == [tea.pk]
    assert ids(client.get(PRODUCTS, {"group": "beverages"})) == [tea.pk, drink.pk]
    assert ids(client.get(PRODUCTS, {"group": "food"})) == [processed.pk]
    assert ids(client.get(PRODUCTS, {"group": "handicrafts"})) == []
    assert_bad_filter(client.get(PRODUCTS, {"group": "teaa"}), "group")


def test_producer_and_producer_kind_filters(client):
    coop = ProducerFactory()
    household = ProducerFactory(kind=Producer.Kind.HOUSEHOLD)
    first = create_product(producer=coop)
    second = create_product(producer=household)

    assert ids(client.get(PRODUCTS, {"producer": coop.pk})) == [first.pk]
    assert ids(client.get(PRODUCTS, {"producer_kind": "household"})) == [second.pk]
    assert_bad_filter(client.get(PRODUCTS, {"producer": "abc"}), "producer")
    assert_bad_filter(client.get(PRODUCTS, {"producer": 999999}), "producer")
    assert_bad_filter(client.get(PRODUCTS, {"producer_kind": "farm"}), "producer_kind")


def test_region_filter_matches_the_origin_its_parent_or_grandparent(client):
    tan_cuong = create_product()  # Tân Cương < TP Thái Nguyên < Thái Nguyên (1997)
    song_cong = move(create_product(), origin_code="binh-son")  # < TP Sông Công

    for code in ("tan-cuong-pre2025", "tp-thai-nguyen"):
        assert ids(client.get(PRODUCTS, {"region": code})) == [tan_cuong.pk]
    assert ids(client.get(PRODUCTS, {"region": "tp-song-cong"})) == [song_cong.pk]
    assert ids(client.get(PRODUCTS, {"region": "thai-nguyen-1997"})) == [
        tan_cuong.pk,
        song_cong.pk,
    ]
    assert ids(client.get(PRODUCTS, {"region": "ha-noi"})) == []
    assert_bad_filter(client.get(PRODUCTS, {"region": "atlantis"}), "region")


def test_price_filters_use_whole_dong_and_the_lowest_price(client):
    cheap = create_product(price=Decimal("90000"))
    dear = create_product(price=Decimal("300000"))
    create_stockrecord(dear, price=Decimal("250000"), partner_name="Outlet 2")

    assert ids(client.get(PRODUCTS, {"price_min": 100000})) == [dear.pk]
    assert ids(client.get(PRODUCTS, {"price_max": 90000})) == [cheap.pk]
    assert ids(client.get(PRODUCTS, {"price_min": 90000, "price_max": 250000})) == [
        cheap.pk,
        dear.pk,
    ]
    assert_bad_filter(client.get(PRODUCTS, {"price_min": "1e5"}), "price_min")
    assert_bad_filter(client.get(PRODUCTS, {"price_max": -1}), "price_max")
    assert_bad_filter(
        client.get(PRODUCTS, {"price_min": 5, "price_max": 4}), "price_max"
    )


def test_q_searches_both_titles(client):
    tea = create_product(title="Trà Tân Cương", title_en="Tan Cuong green tea")
    create_product(title="Miến dong Việt Cường", title_en="Arrowroot noodles")

    assert ids(client.get(PRODUCTS, {"q": "Tân Cương"})) == [tea.pk]
    assert ids(client.get(PRODUCTS, {"q": "GREEN"})) == [tea.pk]


def test_ordering_by_stars_and_price(client):
    a = create_product(stars=3, price=Decimal("200000"))
    b = create_product(stars=5, price=Decimal("100000"))
    c = create_product(stars=4, price=Decimal("300000"))

    assert ids(client.get(PRODUCTS, {"ordering": "-stars"})) == [b.pk, c.pk, a.pk]
    assert ids(client.get(PRODUCTS, {"ordering": "price_vnd"})) == [b.pk, a.pk, c.pk]
    assert ids(client.get(PRODUCTS)) == [a.pk, b.pk, c.pk]
    assert_bad_filter(client.get(PRODUCTS, {"ordering": "producer"}), "ordering")


def test_every_bad_parameter_is_named_and_unknown_ones_ignored(client):
    response = client.get(
        PRODUCTS, {"stars": "7", "region": "nowhere", "price_min": "cheap", "x": "1"}
    )

    assert_bad_filter(response, "stars", "region", "price_min")


# Products: pagination and queries ---------------------------------------------------


def test_products_are_paginated(client):
    products = [create_product() for _ in range(3)]

    first = client.get(PRODUCTS, {"page_size": 2}).json()
    second = client.get(PRODUCTS, {"page_size": 2, "page": 2}).json()

    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["next"].startswith("http://testserver/api/v1/products/")
    assert "page=2" in first["next"] and first["previous"] is None
    assert [item["id"] for item in first["results"] + second["results"]] == [
        p.pk for p in products
    ]
    assert second["next"] is None and second["previous"] is not None
    assert_bad_filter(client.get(PRODUCTS, {"page_size": 0}), "page_size")
    assert_bad_filter(client.get(PRODUCTS, {"page": "last"}), "page")


def test_page_size_is_capped_at_200(rf):
    request = Request(rf.get(PRODUCTS, {"page_size": 5000}))

    assert OpenDataPagination().get_page_size(request) == 200


def products_list_queries(client, django_assert_num_queries, count, params):
    for _ in range(count):
        create_product(producer=ProducerFactory())
    # count, page, valid certificates (+ every certificate when not only certified)
    expected = 3 if params.get("certified", "true") == "true" else 4
    expected += "region" in params  # the region code is checked to exist
    with django_assert_num_queries(expected):
        response = client.get(PRODUCTS, params)
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    "params",
    [{}, {"certified": "all"}, {"stars": "4", "region": "tp-thai-nguyen"}],
    ids=["default", "all", "filtered"],
)
def test_product_list_queries_do_not_grow_with_results(
    client, django_assert_num_queries, count, params
):
    products_list_queries(client, django_assert_num_queries, count, params)


def test_product_detail_queries(client, django_assert_num_queries):
    product = create_product()

    # the product, its valid certificates, all its certificates
    with django_assert_num_queries(3):
        assert client.get(f"{PRODUCTS}{product.pk}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        f"{PRODUCTS}999999/",
        f"{PRODUCTS}?page=9",
        f"{PRODUCERS}999999/",
        f"{CERTIFICATES}999999/",
        f"{REGIONS}atlantis/",
    ],
)
def test_what_does_not_exist_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "detail" in response.json()


# Producers --------------------------------------------------------------------------


def test_producers_carry_their_data_and_certified_product_count(client):
    producer = ProducerFactory(address="Tân Cương", phone="0208 3855 123")
    create_product(producer=producer)
    create_product(producer=producer)
    create_product(producer=producer, certified=False)
    ProducerFactory()

    response = client.get(f"{PRODUCERS}{producer.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": producer.pk,
        "slug": producer.slug,
        "name_vi": producer.name_vi,
        "name_en": producer.name_en,
        "kind": "cooperative",
        "registration_number": producer.registration_number,
        "region": "tan-cuong-pre2025",
        "address": "Tân Cương",
        "phone": "0208 3855 123",
        "email": producer.email,
        "certified_products": 2,
    }
    listed = client.get(PRODUCERS).json()
    assert listed["count"] == 2
    counts = {item["id"]: item["certified_products"] for item in listed["results"]}
    assert counts[producer.pk] == 2 and sorted(counts.values()) == [0, 2]


def test_producer_filters(client):
    coop = ProducerFactory()
    household = ProducerFactory(kind=Producer.Kind.HOUSEHOLD, region=unit("binh-son"))

    assert ids(client.get(PRODUCERS, {"kind": "household"})) == [household.pk]
    assert ids(client.get(PRODUCERS, {"region": "tp-thai-nguyen"})) == [coop.pk]
    assert ids(client.get(PRODUCERS, {"region": "tp-song-cong"})) == [household.pk]
    assert_bad_filter(
        client.get(PRODUCERS, {"kind": "farm", "region": "x"}), "kind", "region"
    )


@pytest.mark.parametrize("count", [1, 20])
def test_producer_list_queries_do_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        create_product(producer=ProducerFactory())

    with django_assert_num_queries(2):
        response = client.get(PRODUCERS)

    assert len(response.json()["results"]) == count


# Certificates -----------------------------------------------------------------------


def test_certificates_carry_the_decision_and_link_renewals(client):
    product = create_product(certified=False, title="Trà Tân Cương")
    old = issue_certificate(product, signed_on=dt.date(2023, 5, 2))
    new = services.certificate_renew(
        certificate=old, stars=5, score=95, decision_number="2/QĐ-BNNMT",
        authority=authority("mae"),
        signed_on=timezone.localdate() - dt.timedelta(days=10),
    )  # fmt: skip

    response = client.get(CERTIFICATES)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [new.pk, old.pk]
    assert results[0] == {
        "id": new.pk,
        "product": {"id": product.pk, "title": "Trà Tân Cương", "title_en": ""},
        "producer": product.producer_id,
        "group": "tea",
        "stars": 5,
        "score": 95,
        "decision_number": "2/QĐ-BNNMT",
        "authority": {
            "code": "mae",
            "name_vi": "Bộ Nông nghiệp và Môi trường",
            "name_en": "Ministry of Agriculture and Environment",
            "level": "central",
        },
        "signed_on": new.signed_on.isoformat(),
        "expires_on": new.expires_on.isoformat(),
        "status": "active",
        "effective_status": "active",
        "renews": old.pk,
    }
    assert results[1]["renews"] is None
    assert client.get(f"{CERTIFICATES}{old.pk}/").json()["id"] == old.pk


def test_certificate_status_filter_uses_the_effective_status(client):
    current = create_product().certificates.get()
    lapsed = expired_certificate(create_product(certified=False))
    revoked = services.certificate_revoke(
        certificate=create_product().certificates.get(), reason="Fraud"
    )

    assert ids(client.get(CERTIFICATES, {"status": "active"})) == [current.pk]
    assert ids(client.get(CERTIFICATES, {"status": "expired"})) == [lapsed.pk]
    assert ids(client.get(CERTIFICATES, {"status": "revoked,expired"})) == [
        revoked.pk,
        lapsed.pk,
    ]
    item = client.get(f"{CERTIFICATES}{lapsed.pk}/").json()
    assert item["status"] == "active" and item["effective_status"] == "expired"
    assert_bad_filter(client.get(CERTIFICATES, {"status": "valid"}), "status")


def test_certificate_stars_product_and_expiry_filters(client):
    four = create_product(stars=4)
    five = create_product(stars=5)
    lapsed = expired_certificate(create_product(certified=False))  # 2025-01-10
    four_cert, five_cert = four.certificates.get(), five.certificates.get()

    assert ids(client.get(CERTIFICATES, {"stars": "5"})) == [five_cert.pk]
    assert ids(client.get(CERTIFICATES, {"product": four.pk})) == [four_cert.pk]
    assert ids(client.get(CERTIFICATES, {"expires_before": "2025-06-01"})) == [
        lapsed.pk
    ]
    assert ids(client.get(CERTIFICATES, {"expires_after": "2025-06-01"})) == [
        five_cert.pk,
        four_cert.pk,
    ]
    assert_bad_filter(
        client.get(
            CERTIFICATES,
            {"expires_before": "01/06/2025", "stars": "1", "product": "x"},
        ),
        "expires_before",
        "stars",
        "product",
    )


@pytest.mark.parametrize("count", [1, 20])
def test_certificate_list_queries_do_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        create_product()

    with django_assert_num_queries(2):
        response = client.get(CERTIFICATES)

    assert len(response.json()["results"]) == count


# Regions ----------------------------------------------------------------------------


def test_a_region_shows_its_place_in_history(client):
    response = client.get(f"{REGIONS}tan-cuong-pre2025/")

    assert response.status_code == 200
    assert response.json() == {
        "code": "tan-cuong-pre2025",
        "official_code": "",
        "level": "commune",
        "kind_vi": "xã",
        "kind_en": "commune",
        "name_vi": "Tân Cương",
        "name_en": "Tan Cuong",
        "parent": "tp-thai-nguyen",
        "valid_from": None,
        "valid_to": "2025-06-30",
        "successors": ["tan-cuong-2025"],
        "predecessors": [],
    }
    merged = client.get(f"{REGIONS}tan-cuong-2025/").json()
    assert merged["valid_from"] == "2025-07-01"
    assert sorted(merged["predecessors"]) == [
        "binh-son",
        "tan-cuong-pre2025",
        "thinh-duc",
    ]


def test_region_filters(client):
    def codes(params):
        response = client.get(REGIONS, {"page_size": 200, **params})
        assert response.status_code == 200
        return {item["code"] for item in response.json()["results"]}

    provinces = codes({"level": "province"})
    assert {"thai-nguyen-1997", "thai-nguyen-2025", "ha-noi"} <= provinces
    assert "tp-thai-nguyen" not in provinces
    assert codes({"parent": "tp-song-cong"}) == {"binh-son"}
    in_2024 = codes({"valid_on": "2024-01-01"})
    in_2026 = codes({"valid_on": "2026-01-01"})
    assert "tan-cuong-pre2025" in in_2024 and "tan-cuong-2025" not in in_2024
    assert "tan-cuong-2025" in in_2026 and "tan-cuong-pre2025" not in in_2026
    assert_bad_filter(
        client.get(REGIONS, {"level": "ward", "parent": "x", "valid_on": "soon"}),
        "level",
        "parent",
        "valid_on",
    )


def test_region_list_queries_are_constant(client, django_assert_num_queries):
    # count, page, successors, predecessors: whatever the page size
    for page_size in (1, 20):
        with django_assert_num_queries(4):
            response = client.get(REGIONS, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size


# CSV export -------------------------------------------------------------------------


def read_csv(response) -> tuple[bytes, list[dict]]:
    content = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    return content, rows


def test_the_csv_export_lists_certified_products_for_excel(client):
    producer = ProducerFactory(name_vi="HTX chè Hảo Đạt")
    product = create_product(
        title="Trà Tân Cương", title_en="Tan Cuong tea", producer=producer, stars=4
    )
    create_product(certified=False)
    certificate = product.certificates.get()

    response = client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="ocop-products-{today}.csv"'
    )
    content, rows = read_csv(response)
    assert content.startswith(b"\xef\xbb\xbftrace_code,title_vi,title_en,")
    assert len(rows) == 1
    with translation.override("vi"):
        url = "http://testserver" + product.get_absolute_url()
    assert rows[0] == {
        "trace_code": product.trace_code,
        "title_vi": "Trà Tân Cương",
        "title_en": "Tan Cuong tea",
        "group_code": "tea",
        "group_name_vi": "Chè và sản phẩm từ chè",
        "stars": "4",
        "score": "80",
        "decision_number": certificate.decision_number,
        "authority_vi": "UBND tỉnh Thái Nguyên",
        "signed_on": certificate.signed_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "producer_name_vi": "HTX chè Hảo Đạt",
        "producer_kind": "cooperative",
        "registration_number": producer.registration_number,
        "origin_code": "tan-cuong-pre2025",
        "origin_official_code": "",
        "origin_name_vi": "Tân Cương",
        "growing_area_code": "",
        "price_vnd": "150000",
        "url": url,
    }


def test_the_csv_export_is_also_under_the_collection_and_takes_filters(client):
    create_product(stars=4)
    five = create_product(stars=5)

    response = client.get("/api/v1/products/export.csv", {"stars": "5"})

    _content, rows = read_csv(response)
    assert [row["trace_code"] for row in rows] == [five.trace_code]
    assert_bad_filter(client.get(EXPORT, {"stars": "9"}), "stars")


def test_the_csv_export_defuses_spreadsheet_formulas(client):
    create_product(title='=HYPERLINK("http://evil")')

    _content, rows = read_csv(client.get(EXPORT))

    assert rows[0]["title_vi"] == '\'=HYPERLINK("http://evil")'


def test_the_csv_export_ignores_the_accept_header(client):
    create_product()

    response = client.get(EXPORT, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_the_csv_export_queries_do_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        create_product()

    # products, then their valid certificates
    with django_assert_num_queries(2):
        _content, rows = read_csv(client.get(EXPORT))

    assert len(rows) == count


def test_the_csv_export_streams_in_chunks(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("catalogue.api.CSV_CHUNK_SIZE", 2)
    for _ in range(5):
        create_product()

    # One cursor for the products; each chunk of them prefetches its certificates.
    with django_assert_num_queries(4):
        response = client.get(EXPORT)
        chunks = list(response.streaming_content)

    assert len(chunks) == 3
    assert sum(chunk.count(b"\n") for chunk in chunks) == 6  # header + 5 rows


def test_the_csv_export_of_nothing_certified_is_the_header_alone(client):
    create_product(certified=False)

    content, rows = read_csv(client.get(EXPORT))

    assert rows == []
    assert content.decode("utf-8-sig").splitlines() == [",".join(CSV_COLUMNS)]
