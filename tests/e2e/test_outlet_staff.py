"""Outlet staff on a phone: log in, receive stock, sell over the counter, and find
that another outlet's stock is not there for them."""

import pytest
from oscar.core.loading import get_model

from sales_points.models import CounterSale
from tests.e2e.conftest import screenshot
from tests.factories import create_product, outlet_staff
from tests.sales_points.test_services import assert_ledger_adds_up, make_outlet

StockRecord = get_model("partner", "StockRecord")
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_receive_sell_and_never_see_another_outlet(
    live_server, phone, reference_data
):
    mine, theirs = make_outlet("tc-01"), make_outlet("tc-02")
    tea = create_product(num_in_stock=None, upc="8930000000017")
    staff = outlet_staff(mine, username="tc01-staff")
    page = phone

    page.goto(f"{live_server.url}/dashboard/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/dashboard/outlets/tc-01/receive/")
    page.fill("#id_barcode", tea.upc)  # a scanner types the barcode
    page.fill("#id_quantity", "12")
    page.locator("form:has(#id_quantity) [type=submit]").last.click()
    page.wait_for_load_state()
    assert StockRecord.objects.get(partner=mine.partner, product=tea).num_in_stock == 12

    page.goto(f"{live_server.url}/dashboard/outlets/tc-01/sell/")
    page.fill("#counter_sale_form input[name=lookup]", tea.upc)
    page.click("#sale_add")
    page.wait_for_load_state()
    page.fill("#counter_sale_form input[name$='-quantity']", "3")
    page.click("#sale_record")
    page.wait_for_load_state()

    sale = CounterSale.objects.get(sales_point=mine)
    assert sale.receipt_number in page.content()
    assert "450.000" in page.content()  # 3 x 150.000 ₫ on the receipt
    assert StockRecord.objects.get(partner=mine.partner, product=tea).num_in_stock == 9
    screenshot(page, "outlet-staff-receipt")

    for section in ("", "receive/", "sell/"):  # another outlet is no outlet
        response = page.goto(
            f"{live_server.url}/dashboard/outlets/{theirs.code}/{section}"
        )
        assert response.status == 404, section
    assert_ledger_adds_up()
