"""/api/v1/sales-points/: outlets (near a point, with a product, open now) and stock."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from catalogue import services as catalogue_services
from sales_points.models import HoursException, SalesPoint
from tests.factories import create_product, unit
from tests.sales_points.test_selectors import (
    EVERY_DAY,
    HANOI,
    TAN_CUONG,
    THAI_NGUYEN_CITY,
    make_outlet,
    open_hours,
    stock,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/sales-points/"
# The count (or, nearest first, every outlet's position), the page of outlets (with
# their regions), their hours, their exceptions.
LIST_QUERY_LIMIT = 4
# The outlet, the count, the page of stock records, their products' certificates.
STOCK_QUERY_LIMIT = 4
MONDAY_9AM = "2025-01-06 02:00:00"  # UTC: 9:00 in Vietnam


@pytest.fixture
def network(db):
    tn = open_hours(
        make_outlet(
            "tn", THAI_NGUYEN_CITY, level=SalesPoint.Level.PROVINCE,
            region=unit("thai-nguyen-2025"), name_en="Thai Nguyen OCOP point",
        )
    )  # fmt: skip
    tc = open_hours(
        make_outlet("tc", TAN_CUONG, kind=SalesPoint.Kind.CRAFT_VILLAGE),
        EVERY_DAY,
        ("08:00", "12:00"),
    )
    hn = make_outlet("hn", HANOI, region=unit("ha-noi"))
    return {"tn": tn, "tc": tc, "hn": hn}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


# --- The list ------------------------------------------------------------------------


def test_the_list_describes_each_outlet(client, network):
    with freeze_time(MONDAY_9AM):
        response = client.get(LIST)

    rows = {row["code"]: row for row in response.json()["results"]}
    assert codes(response) == ["hn", "tc", "tn"]
    tn = rows["tn"]
    assert tn["name_en"] == "Thai Nguyen OCOP point"
    assert tn["level"] == "province"
    assert tn["region"]["code"] == "thai-nguyen-2025"
    assert (tn["latitude"], tn["longitude"]) == (21.5942, 105.8482)
    assert tn["open_now"] is True
    assert tn["closes_at"] == "2025-01-06T11:30:00+07:00"
    assert tn["next_opening"] is None
    assert tn["url"] == "http://testserver/vi/sales-points/tn/"
    assert tn["stock_url"] == "http://testserver/api/v1/sales-points/tn/stock/"
    assert "distance_km" not in tn
    assert rows["hn"]["open_now"] is False and rows["hn"]["next_opening"] is None


def test_near_sorts_by_distance_and_gives_it(client, network):
    response = client.get(LIST, {"near": "21.03,105.85"})

    rows = response.json()["results"]
    assert codes(response) == ["hn", "tc", "tn"]
    assert rows[0]["distance_km"] == pytest.approx(0.47, abs=0.05)
    assert rows[2]["distance_km"] == pytest.approx(62.7, abs=0.1)


@pytest.mark.parametrize(
    ("near", "message"),
    [
        ("abc", "Give a point as latitude,longitude"),
        ("21.5", "Give a point as latitude,longitude"),
        ("1,2,3", "Give a point as latitude,longitude"),
        ("inf,105", "Give a point as latitude,longitude"),
        ("91,105", "Latitude must be between -90 and 90"),
        ("21,181", "Latitude must be between -90 and 90"),
    ],
)
def test_a_bad_near_is_a_400_that_says_why(english_client, network, near, message):
    response = english_client.get(LIST, {"near": near})

    assert response.status_code == 400
    assert message in response.json()["errors"]["near"]


def test_product_keeps_outlets_with_units_free_to_sell(client, network):
    product = create_product(upc="8938505974192")
    stock(network["tc"], product, 5, allocated=2)
    stock(network["tn"], product, 1, allocated=1)

    by_id = client.get(LIST, {"product": product.pk})
    by_barcode = client.get(LIST, {"product": "8938505974192", "near": "21.59,105.84"})

    assert codes(by_id) == ["tc"]
    assert by_id.json()["results"][0]["product_free"] == 3
    assert codes(by_barcode) == ["tc"]
    assert by_barcode.json()["results"][0]["distance_km"] == pytest.approx(8.0, abs=0.1)


def test_product_only_finds_certified_products(client, network):
    product = create_product()
    stock(network["tc"], product, 5)
    catalogue_services.certificate_revoke(
        certificate=product.certificates.get(), reason="test"
    )

    assert codes(client.get(LIST, {"product": product.pk})) == []


def test_an_unknown_product_is_a_400(english_client, network):
    response = english_client.get(LIST, {"product": "nope"})

    assert response.status_code == 400
    assert response.json()["errors"]["product"] == "No product has this id or barcode."


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "province"}, ["tn"]),
        ({"kind": "craft_village"}, ["tc"]),
        ({"region": "ha-noi"}, ["hn"]),
        ({"region": "thai-nguyen-2025"}, ["tc", "tn"]),
        ({"open_now": "true"}, ["tc", "tn"]),
        ({"open_now": "false"}, ["hn", "tc", "tn"]),
    ],
)
def test_the_list_filters(client, network, params, expected):
    with freeze_time(MONDAY_9AM):
        assert codes(client.get(LIST, params)) == expected


@pytest.mark.parametrize(
    "params", [{"level": "palace"}, {"region": "atlantis"}, {"open_now": "maybe"}]
)
def test_bad_filters_are_400s_naming_the_parameter(client, network, params):
    response = client.get(LIST, params)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


def test_inactive_outlets_are_hidden(client, network):
    SalesPoint.objects.filter(code="tn").update(is_active=False)

    assert codes(client.get(LIST)) == ["hn", "tc"]
    assert client.get(f"{LIST}tn/").status_code == 404
    assert client.get(f"{LIST}tn/stock/").status_code == 404


def test_one_outlet(client, network):
    response = client.get(f"{LIST}tc/")

    assert response.status_code == 200
    assert response.json()["code"] == "tc"


@pytest.mark.parametrize("params", [{}, {"near": "21.59,105.84"}])
def test_the_list_costs_a_fixed_number_of_queries(
    client, params, django_assert_max_num_queries
):
    first = open_hours(make_outlet("o00"))
    HoursException.objects.create(sales_point=first, date=dt.date(2030, 1, 1))
    with CaptureQueriesContext(connection) as one:
        assert len(codes(client.get(LIST, params))) == 1
    for i in range(1, 20):
        outlet = open_hours(make_outlet(f"o{i:02}", (21.5 + i / 100, 105.8)))
        HoursException.objects.create(sales_point=outlet, date=dt.date(2030, 1, 1))

    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        response = client.get(LIST, params)

    assert len(codes(response)) == 20
    with CaptureQueriesContext(connection) as many:
        client.get(LIST, params)
    assert len(many) == len(one)


# --- Stock ---------------------------------------------------------------------------


def test_stock_lists_certified_products_free_to_sell(client, network):
    outlet = network["tc"]
    tea = create_product(title="Trà Tân Cương", title_en="Tan Cuong Tea", stars=5)
    honey = create_product(title="Mật ong", price=Decimal("95000.50"))
    held = create_product(title="Miến dong")
    revoked = create_product(title="Chè búp")
    stock(outlet, tea, 4, allocated=1)
    stock(outlet, honey, 2)
    stock(outlet, held, 1, allocated=1)
    stock(outlet, revoked, 3)
    catalogue_services.certificate_revoke(
        certificate=revoked.certificates.get(), reason="test"
    )

    response = client.get(f"{LIST}tc/stock/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["title"], r["quantity"], r["price_vnd"]) for r in rows] == [
        ("Mật ong", 2, 95001),
        ("Trà Tân Cương", 3, 150000),
    ]
    assert rows[1]["title_en"] == "Tan Cuong Tea"
    assert rows[1]["stars"] == 5
    assert rows[1]["product_id"] == tea.pk
    assert rows[1]["url"].startswith("http://testserver/vi/shop/catalogue/")
    assert rows[1]["trace_url"] == f"http://testserver/t/{tea.trace_code}/"


def test_stock_of_an_unknown_outlet_is_a_json_404(english_client, network):
    response = english_client.get(f"{LIST}nope/stock/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No sales point has this code."}


def test_stock_costs_a_fixed_number_of_queries(
    client, network, django_assert_max_num_queries
):
    outlet = network["tc"]
    stock(outlet, create_product(), 1)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{LIST}tc/stock/")
    for i in range(9):
        stock(outlet, create_product(title=f"Sản phẩm {i}"), 1)

    with django_assert_max_num_queries(STOCK_QUERY_LIMIT):
        response = client.get(f"{LIST}tc/stock/")

    assert len(response.json()["results"]) == 10
    with CaptureQueriesContext(connection) as many:
        client.get(f"{LIST}tc/stock/")
    assert len(many) == len(one)
