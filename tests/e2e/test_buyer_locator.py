"""A buyer on a phone finds the nearest open outlet that has the product."""

import datetime as dt

import pytest

from sales_points import services
from sales_points.models import OpeningHours, SalesPoint
from tests.e2e.conftest import screenshot
from tests.factories import create_product, unit

TAN_CUONG = {"latitude": 21.5843, "longitude": 105.7701}


def outlet(code, name, lat, lng):
    sales_point = services.sales_point_create(
        code=code, name_vi=name, name_en=name, level=SalesPoint.Level.COMMUNE,
        kind=SalesPoint.Kind.COMMUNE_CENTRE, region=unit("tan-cuong-2025"),
        address=f"{name}, Thái Nguyên", latitude=str(lat), longitude=str(lng),
    )  # fmt: skip
    OpeningHours.objects.bulk_create(  # open all day, every day: "open now" whenever
        OpeningHours(sales_point=sales_point, weekday=day, opens=dt.time(0, 0),
                     closes=dt.time(23, 59))
        for day in range(7)
    )  # fmt: skip
    return sales_point


@pytest.fixture
def located_phone(open_page):
    return open_page(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        locale="vi-VN", geolocation=TAN_CUONG, permissions=["geolocation"],
    )  # fmt: skip


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_buyer_finds_the_nearest_open_outlet_with_the_product(
    live_server, located_phone, reference_data
):
    tea = create_product(num_in_stock=None)
    near = outlet("tc-near", "Điểm bán Tân Cương", 21.5850, 105.7690)
    far = outlet("hn-far", "Điểm bán Hà Nội", 21.0285, 105.8542)
    sold_out = outlet("tc-empty", "Điểm bán hết hàng", 21.5844, 105.7702)
    for sales_point in (near, far):
        services.stock_receive(sales_point=sales_point, product=tea, quantity=5)
    services.stock_receive(sales_point=sold_out, product=tea, quantity=1)
    services.stock_take(sales_point=sold_out, lines={tea.pk: 1}, kind="counter_sale")
    page = located_phone

    page.goto(live_server.url + tea.get_absolute_url())
    box = page.locator(".product-availability")
    assert "2 điểm bán" in box.inner_text()  # the sold-out outlet does not count
    page.locator("[data-locate=reload]").click()  # the browser gives the position
    page.wait_for_url("**")
    nearest = page.locator(".product-availability a", has_text="Điểm bán Tân Cương")
    nearest.wait_for()  # named as the nearest once the position is known
    assert "Điểm bán Hà Nội" not in box.inner_text()

    nearest.click()
    page.wait_for_load_state()
    assert "Đang mở cửa" in page.locator("main, body").first.inner_text()
    assert "Trà Tân Cương" in page.content()  # in stock there
    screenshot(page, "buyer-nearest-outlet")
