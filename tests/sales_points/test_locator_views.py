"""The public store locator pages, the product page's availability box and the trace
page's where-to-buy list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from freezegun import freeze_time
from oscar.test.factories import create_stockrecord

from catalogue import services as catalogue_services
from sales_points.models import HoursException, SalesPoint
from tests.factories import create_product, unit
from tests.sales_points.test_selectors import (
    EVERY_DAY,
    HANOI,
    TAN_CUONG,
    THAI_NGUYEN_CITY,
    VN,
    make_outlet,
    open_hours,
    stock,
)

pytestmark = pytest.mark.django_db

# Regions of the filter form, the count (or, nearest first, every outlet's position),
# the page of outlets, their hours, their dated exceptions, the navigation's pages;
# plus one for a product filter (the product) or a chosen area (its centre).
LIST_QUERY_LIMIT = 6
# The outlet, its hours, its exceptions, its stock, the stock's certificates, the
# navigation's pages.
DETAIL_QUERY_LIMIT = 6
MONDAY_9AM = "2025-01-06 02:00:00"  # UTC: 9:00 in Vietnam


def recently(hour: int, minute: int = 0) -> dt.datetime:
    """A moment of the last few days (Monday to Saturday), in Vietnamese time: products
    certified by the factories (100 days ago) are certified then."""
    day = timezone.localdate() - dt.timedelta(days=1)
    if day.weekday() == 6:
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN)


CARD = 'class="outlet-card card'


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def network(db):
    """Three outlets with hours: in Thai Nguyen city, Tan Cuong and Hanoi."""
    return {
        "tn": open_hours(
            make_outlet(
                "tn",
                THAI_NGUYEN_CITY,
                name_vi="Điểm OCOP Thái Nguyên",
                name_en="Thai Nguyen OCOP point",
                level=SalesPoint.Level.PROVINCE,
                kind=SalesPoint.Kind.MARKET,
                region=unit("thai-nguyen-2025"),
            )
        ),
        "tc": open_hours(
            make_outlet(
                "tc",
                TAN_CUONG,
                name_vi="Điểm OCOP Tân Cương",
                name_en="Tan Cuong OCOP point",
                kind=SalesPoint.Kind.CRAFT_VILLAGE,
            ),
            EVERY_DAY,
            ("08:00", "12:00"),
        ),
        "hn": make_outlet(
            "hn",
            HANOI,
            name_vi="Điểm OCOP Thái Nguyên tại Hà Nội",
            name_en="Thai Nguyen OCOP in Hanoi",
            level=SalesPoint.Level.SPECIAL,
            kind=SalesPoint.Kind.TOURISM,
            region=unit("ha-noi"),
        ),
    }


def codes_in_order(content: str, codes) -> list[str]:
    """The outlet cards' codes in page order."""
    found = [(content.find(f'data-code="{code}"'), code) for code in codes]
    return [code for position, code in sorted(found) if position >= 0]


# --- The list ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "name", "other"),
    [
        ("vi", "Điểm OCOP Tân Cương", "Tan Cuong OCOP point"),
        ("en", "Tan Cuong OCOP point", "Điểm OCOP Tân Cương"),
    ],
)
def test_the_list_shows_the_active_outlets_in_each_language(
    client, network, lang, name, other
):
    make_outlet("gone", name_vi="Điểm đã đóng cửa", name_en="Closed-down point")
    SalesPoint.objects.filter(code="gone").update(is_active=False)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang

    content = html(client.get(f"/{lang}/sales-points/"))

    assert f'<html lang="{lang}"' in content
    assert name in content and other not in content
    assert sorted(codes_in_order(content, ["tn", "tc", "hn", "gone"])) == [
        "hn",
        "tc",
        "tn",
    ]
    assert f'href="/{lang}/sales-points/tc/"' in content
    assert 'id="locator-map"' in content and "hidden" in content  # JS shows it


def test_the_english_list_is_in_english(english_client, network):
    with freeze_time(MONDAY_9AM):
        content = html(english_client.get("/en/sales-points/"))

    assert "3 sales points" in content
    assert "Open now, closes at 11:30" in content  # tn, Monday morning
    assert "Opening hours not given" in content  # hn
    assert "Use my location" in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "province"}, ["tn"]),
        ({"kind": "craft_village"}, ["tc"]),
        ({"region": "ha-noi"}, ["hn"]),
        # A province finds the outlets of the communes under it.
        ({"region": "thai-nguyen-2025"}, ["tc", "tn"]),
        ({"open_now": "on"}, ["tc", "tn"]),
        ({"level": "commune", "open_now": "on"}, ["tc"]),
    ],
)
def test_the_list_filters(english_client, network, params, expected):
    with freeze_time(MONDAY_9AM):
        content = html(english_client.get("/en/sales-points/", params))

    assert sorted(codes_in_order(content, ["tn", "tc", "hn"])) == expected


def test_open_now_leaves_out_outlets_closed_for_the_day(english_client, network):
    HoursException.objects.create(sales_point=network["tn"], date=dt.date(2025, 1, 6))

    with freeze_time(MONDAY_9AM):
        content = html(english_client.get("/en/sales-points/", {"open_now": "on"}))

    assert codes_in_order(content, ["tn", "tc", "hn"]) == ["tc"]


def test_near_orders_the_list_by_distance(english_client, network):
    content = html(english_client.get("/en/sales-points/", {"near": "21.03,105.85"}))

    assert codes_in_order(content, ["tn", "tc", "hn"]) == ["hn", "tc", "tn"]
    assert "nearest first" in content
    assert "62.7 km" in content  # to Thai Nguyen city


def test_a_chosen_area_orders_the_list_without_geolocation(english_client, network):
    content = html(english_client.get("/en/sales-points/", {"place": "ha-noi"}))

    assert codes_in_order(content, ["tn", "tc", "hn"]) == ["hn", "tc", "tn"]
    assert "Hanoi city" in content  # a choice of the select


@pytest.mark.parametrize("near", ["abc", "91,105", "21.5", "nan,1"])
def test_a_bad_position_is_reported_and_ignored(english_client, network, near):
    content = html(english_client.get("/en/sales-points/", {"near": near}))

    assert "Give a point as latitude,longitude" in content or "between -90" in content
    assert len(codes_in_order(content, ["tn", "tc", "hn"])) == 3


def test_has_product_keeps_outlets_with_units_free_to_sell(english_client, network):
    product = create_product(title_en="Tan Cuong Tea", upc="8938505974192")
    stock(network["tc"], product, 4, allocated=1)
    stock(network["tn"], product, 2, allocated=2)  # all held for online orders

    by_id = html(english_client.get("/en/sales-points/", {"product": product.pk}))
    by_barcode = html(
        english_client.get("/en/sales-points/", {"product": "8938505974192"})
    )

    for content in (by_id, by_barcode):
        assert codes_in_order(content, ["tn", "tc", "hn"]) == ["tc"]
        assert "Where to buy Tan Cuong Tea" in content
        assert "3 in stock" in content


def test_has_product_finds_nothing_for_an_uncertified_product(english_client, network):
    product = create_product(num_in_stock=None)
    stock(network["tc"], product, 4)
    catalogue_services.certificate_revoke(
        certificate=product.certificates.get(), reason="test"
    )

    content = html(english_client.get("/en/sales-points/", {"product": product.pk}))

    assert codes_in_order(content, ["tn", "tc", "hn"]) == []
    assert "No sales point has this product in stock" in content


def test_an_unknown_product_is_reported(english_client, network):
    content = html(english_client.get("/en/sales-points/", {"product": "nope"}))

    assert "No product has this id or barcode." in content


def test_the_list_is_paginated(english_client, db):
    for i in range(23):
        make_outlet(f"o{i:02}")

    first = html(english_client.get("/en/sales-points/"))
    second = html(english_client.get("/en/sales-points/", {"page": 2}))

    assert first.count(CARD) == 20
    assert second.count(CARD) == 3
    assert "Page 2 of 2" in second


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"near": "21.59,105.84"},
        {"product": "PRODUCT"},
        {"product": "PRODUCT", "near": "21.59,105.84", "open_now": "on"},
        {"region": "tan-cuong-2025", "level": "commune", "place": "tan-cuong-2025"},
    ],
)
def test_the_list_costs_a_fixed_number_of_queries(
    client, params, django_assert_max_num_queries
):
    product = create_product(num_in_stock=None)
    params = {k: product.pk if v == "PRODUCT" else v for k, v in params.items()}
    outlets = [open_hours(make_outlet("o00"), EVERY_DAY)]
    stock(outlets[0], product, 3)
    client.get("/vi/sales-points/")  # warm up what a first request loads once
    nine_am = recently(9)

    with freeze_time(nine_am), CaptureQueriesContext(connection) as one:
        assert html(client.get("/vi/sales-points/", params)).count(CARD) == 1
    for i in range(1, 20):
        outlet = open_hours(make_outlet(f"o{i:02}", (21.5 + i / 100, 105.8)), EVERY_DAY)
        HoursException.objects.create(
            sales_point=outlet, date=nine_am.date() + dt.timedelta(days=2)
        )
        stock(outlet, product, 2)
    with freeze_time(nine_am), django_assert_max_num_queries(LIST_QUERY_LIMIT + 1):
        response = client.get("/vi/sales-points/", params)

    assert html(response).count(CARD) == 20
    with freeze_time(nine_am), CaptureQueriesContext(connection) as many:
        client.get("/vi/sales-points/", params)
    assert len(many) == len(one)


def test_the_list_without_filters_costs_the_pinned_queries(
    client, network, django_assert_max_num_queries
):
    client.get("/vi/sales-points/")

    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        client.get("/vi/sales-points/")


# --- The outlet page -----------------------------------------------------------------


def test_the_outlet_page_has_hours_address_directions_and_stock(
    english_client, network
):
    outlet = network["tn"]
    six_am = recently(6)
    HoursException.objects.create(
        sales_point=outlet, date=six_am.date() + dt.timedelta(days=2), note="Tết"
    )
    tea = create_product(title_en="Tan Cuong Tea", price=Decimal("150000"))
    revoked = create_product(title_en="Revoked Honey")
    held = create_product(title_en="Held Noodles")
    stock(outlet, tea, 5, allocated=1)
    stock(outlet, revoked, 5)
    stock(outlet, held, 2, allocated=2)
    catalogue_services.certificate_revoke(
        certificate=revoked.certificates.get(), reason="test"
    )

    with freeze_time(six_am):  # Monday to Saturday
        content = html(english_client.get("/en/sales-points/tn/"))

    assert "Thai Nguyen OCOP point" in content
    assert "Closed, opens at 7:30" in content
    assert "7:30–11:30, 13:30–17:30" in content
    assert "Sunday" in content and "Closed" in content
    assert "(Tết)" in content  # the coming closure
    assert "Số 1, tn" in content
    assert "destination=21.594200,105.848200" in content
    assert "Tan Cuong Tea" in content and "4 in stock" in content
    assert "₫150,000" in content
    with translation.override("en"):
        assert f'href="{tea.get_absolute_url()}"' in content
    assert "Revoked Honey" not in content and "Held Noodles" not in content


def test_the_outlet_page_is_in_vietnamese_too(client, network):
    content = html(client.get("/vi/sales-points/tc/"))

    assert "Điểm OCOP Tân Cương" in content
    assert 'lang="vi"' in content


@pytest.mark.parametrize("code", ["nope", "gone"])
def test_unknown_and_inactive_outlets_are_not_found(client, network, code):
    make_outlet("gone")
    SalesPoint.objects.filter(code="gone").update(is_active=False)

    assert client.get(f"/vi/sales-points/{code}/").status_code == 404


def test_the_outlet_page_costs_a_fixed_number_of_queries(
    client, network, django_assert_max_num_queries
):
    outlet = network["tn"]
    stock(outlet, create_product(), 1)
    client.get("/vi/sales-points/tn/")
    with CaptureQueriesContext(connection) as one:
        client.get("/vi/sales-points/tn/")
    for i in range(5):
        stock(outlet, create_product(title=f"Sản phẩm {i}"), 2)
        HoursException.objects.create(
            sales_point=outlet, date=timezone.localdate() + dt.timedelta(days=i + 1)
        )

    with django_assert_max_num_queries(DETAIL_QUERY_LIMIT):
        response = client.get("/vi/sales-points/tn/")

    assert html(response).count("outlet-stock__price") == 6
    with CaptureQueriesContext(connection) as many:
        client.get("/vi/sales-points/tn/")
    assert len(many) == len(one)


# --- The product page ----------------------------------------------------------------


@pytest.fixture
def stocked_product(network):
    product = create_product(title_en="Tan Cuong Tea")
    stock(network["tc"], product, 3)
    stock(network["hn"], product, 3)
    return product


def product_path(product, lang="en") -> str:
    with translation.override(lang):
        return product.get_absolute_url()


def test_the_product_page_counts_the_outlets_and_offers_geolocation(
    english_client, stocked_product
):
    content = html(english_client.get(product_path(stocked_product)))

    assert "Available at 2 sales points" in content
    assert "nearest" not in content
    assert 'data-locate="reload"' in content
    assert f'href="/en/sales-points/?product={stocked_product.pk}"' in content
    assert "sales_points/locator.js" in content


def test_the_product_page_names_the_nearest_outlet_once_located(
    english_client, stocked_product
):
    english_client.cookies["ocop_near"] = "21.5900%2C105.8400"  # set by locator.js

    with freeze_time(recently(9)):
        content = html(english_client.get(product_path(stocked_product)))

    assert "Available at 2 sales points" in content
    assert "nearest" in content
    assert 'href="/en/sales-points/tc/">Tan Cuong OCOP point</a>, 8.0 km' in content
    assert "Open now, closes at 12:00" in content
    assert "near=21.5900%2C105.8400" in content  # the full list, nearest first
    assert 'data-locate="reload"' not in content


def test_the_product_page_says_when_no_outlet_has_it(english_client, network):
    product = create_product(title_en="Tan Cuong Tea")

    content = html(english_client.get(product_path(product)))

    assert "Not in stock at any sales point at the moment." in content


def test_the_product_page_in_vietnamese_has_the_box(client, stocked_product):
    content = html(client.get(product_path(stocked_product, "vi")))

    assert 'class="product-availability' in content
    assert f'href="/vi/sales-points/?product={stocked_product.pk}"' in content


# --- The trace page ------------------------------------------------------------------


def test_the_trace_page_links_the_outlets_with_the_product(client, stocked_product):
    create_stockrecord(
        stocked_product, price=Decimal("150000"), num_in_stock=2, partner_name="Chợ"
    )

    content = html(client.get(f"/t/{stocked_product.trace_code}/?lang=en"))

    assert 'href="/en/sales-points/tc/">Tan Cuong OCOP point</a>' in content
    assert 'href="/en/sales-points/hn/">Thai Nguyen OCOP in Hanoi</a>' in content
    assert "Chợ" in content  # a seller that is not one of the outlets
    assert f'href="/en/sales-points/?product={stocked_product.pk}"' in content
    assert "See all 2 sales points" in content


def test_the_trace_page_lists_the_nearest_outlets_first(client, stocked_product):
    client.cookies["ocop_near"] = "21.0300%2C105.8500"  # Hanoi

    content = html(client.get(f"/t/{stocked_product.trace_code}/?lang=en"))

    assert content.index("/en/sales-points/hn/") < content.index("/en/sales-points/tc/")
    assert "near=21.0300%2C105.8500" in content


def test_the_trace_page_costs_the_same_for_one_outlet_or_many(
    client, stocked_product, network
):
    path = f"/t/{stocked_product.trace_code}/"
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for i in range(6):
        outlet = open_hours(make_outlet(f"x{i}", (21 + i / 10, 105.8)))
        HoursException.objects.create(sales_point=outlet, date=timezone.localdate())
        stock(outlet, stocked_product, 1)

    with CaptureQueriesContext(connection) as many:
        content = html(client.get(path))

    assert len(many) == len(few)
    assert content.count("/sales-points/x") == 3  # the first five of eight by name
