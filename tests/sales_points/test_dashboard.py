"""The outlet staff pages: a day at the counter from receiving to the report, and each
page's own behaviour. Who may open what is tested in test_dashboard_permissions."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from sales_points import services
from sales_points.models import CounterSale, StockMovement, Transfer
from shop import roles
from tests.factories import UserFactory, create_product, outlet_staff
from tests.sales_points.test_services import assert_ledger_adds_up, make_outlet

StockRecord = get_model("partner", "StockRecord")
Kind = StockMovement.Kind

pytestmark = pytest.mark.django_db

TEA_UPC = "8930000000011"


def url(name, outlet=None, **kwargs):
    if outlet is not None:
        kwargs["code"] = outlet.code
    return reverse(f"outlet-dashboard:{name}", kwargs=kwargs or None)


def level(outlet, product) -> int:
    return StockRecord.objects.get(partner=outlet.partner, product=product).num_in_stock


def sale_data(lines, action="record", payment="cash", **extra):
    """The counter-sale form as the page posts it: one formset row per line."""
    data = {
        "action": action, "payment": payment, "lines-TOTAL_FORMS": len(lines),
        "lines-INITIAL_FORMS": 0, **extra,
    }  # fmt: skip
    for i, (product_id, quantity) in enumerate(lines):
        data[f"lines-{i}-product"] = product_id
        data[f"lines-{i}-quantity"] = quantity
    return data


@pytest.fixture
def tea():
    return create_product(num_in_stock=None, upc=TEA_UPC, title_en="Tan Cuong tea")


@pytest.fixture
def outlet():
    return make_outlet("tc-01")


@pytest.fixture
def staff_client(english_client, outlet):
    english_client.force_login(outlet_staff(outlet))
    return english_client


# --- The journey ---------------------------------------------------------------------


def test_a_day_at_the_outlet_adds_up(english_client, tea):
    """Receive, sell, print the receipt, send a transfer that arrives one short, count,
    read the ledger and the report: only one's own outlet, and the ledger adds up."""
    mine, theirs = make_outlet("tc-01"), make_outlet("tc-02")
    me, colleague = outlet_staff(mine), outlet_staff(theirs)
    client = english_client
    client.force_login(me)

    # The one-outlet worker lands on their stock.
    response = client.get(url("index"))
    assert response["Location"] == url("stock", mine)

    # Receive ten by barcode, with a lot.
    response = client.post(
        url("receive", mine),
        {"barcode": TEA_UPC, "quantity": 10, "lot_code": "L-01", "reference": "PN-7"},
    )
    assert response.status_code == 302
    assert level(mine, tea) == 10

    # Sell two: the scanned barcode adds the line (no JavaScript), then record.
    response = client.post(
        url("sell", mine), sale_data([], action="add", lookup=TEA_UPC)
    )
    assert response.context["total"] == Decimal("150000")
    response = client.post(url("sell", mine), sale_data([(tea.pk, 2)]))
    sale = CounterSale.objects.get()
    assert response["Location"] == url(
        "receipt-detail", mine, receipt_number=sale.receipt_number
    )

    receipt = client.get(response["Location"]).content.decode()
    assert "Outlet tc-01" in receipt and sale.receipt_number in receipt
    assert "Tan Cuong tea" in receipt and "₫300,000" in receipt

    # Send three to the other outlet.
    response = client.post(
        url("transfer-send", mine),
        sale_data([(tea.pk, 3)], action="send", destination=theirs.pk, note="restock"),
    )
    transfer = Transfer.objects.get()
    assert response["Location"] == url("transfer-detail", mine, number=transfer.number)
    assert level(mine, tea) == 5

    # The colleague there receives two: one went missing on the way.
    client.force_login(colleague)
    page = client.get(url("transfer-list", theirs))
    assert list(page.context["to_receive"]) == [transfer]
    response = client.post(
        url("transfer-receive", theirs, number=transfer.number),
        {f"received-{tea.pk}": 2},
    )
    assert response.status_code == 302
    detail = client.get(url("transfer-detail", theirs, number=transfer.number))
    assert [line.difference for line in detail.context["lines"]] == [1]
    assert level(theirs, tea) == 2

    # Back home: count four on the shelf where five are recorded.
    client.force_login(me)
    count = {
        f"count-{tea.pk}": 4,
        f"count-{tea.pk}-expected": 5,
        "count-reason": "Friday",
    }
    preview = client.post(url("count", mine), {**count, "action": "preview"})
    assert [row["difference"] for row in preview.context["preview"]] == [-1]
    assert level(mine, tea) == 5  # a preview changes nothing
    response = client.post(url("count", mine), {**count, "action": "confirm"})
    assert response.status_code == 302
    assert level(mine, tea) == 4

    # The ledger, filtered.
    page = client.get(url("movement-list", mine), {"kind": Kind.COUNT_ADJUSTMENT})
    assert [(m.kind, m.delta) for m in page.context["movements"]] == [
        (Kind.COUNT_ADJUSTMENT, -1)
    ]
    page = client.get(url("movement-list", mine), {"reference": sale.receipt_number})
    assert [m.delta for m in page.context["movements"]] == [-2]
    assert {
        m.sales_point_id
        for m in client.get(url("movement-list", mine)).context["movements"]
    } == {mine.pk}

    # The report, as Excel opens it.
    response = client.get(
        url("reports", mine), {"format": "csv", "table": "sales-by-product"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Product", "Barcode", "Receipts"]
    assert rows[1] == ["Tan Cuong tea", TEA_UPC, "1", "2", "0", "300000", "0", "300000"]
    assert rows[-1][0] == "Total"

    ledger = client.get(
        url("reports", mine), {"format": "csv", "table": "stock-ledger"}
    )
    rows = list(
        csv.reader(io.StringIO(ledger.content.decode("utf-8").lstrip("\ufeff")))
    )
    # opening, received, sold, returned, online, in, out, adjusted, written off, closing
    assert rows[1][2:] == ["0", "10", "-2", "0", "0", "0", "-3", "-1", "0", "4"]
    assert_ledger_adds_up()


# --- My stock ------------------------------------------------------------------------


def test_the_stock_page_finds_by_name_without_diacritics_code_or_barcode(
    staff_client, outlet, tea
):
    honey = create_product(num_in_stock=None, title="Mật ong rừng", upc="8930000000028")
    for product in (tea, honey):
        services.stock_receive(sales_point=outlet, product=product, quantity=10)

    def found(q):
        page = staff_client.get(url("stock", outlet), {"q": q})
        return [record.product_id for record in page.context["records"]]

    assert found("tra tan cuong") == [tea.pk]
    assert found("Mật ong") == [honey.pk]
    assert found("0028") == [honey.pk]
    assert found("") == [honey.pk, tea.pk]  # by title: M before T


def test_low_stock_is_highlighted_and_filtered(staff_client, outlet, tea, settings):
    settings.OCOP_LOW_STOCK_THRESHOLD = 5
    honey = create_product(num_in_stock=None, title="Mật ong rừng")
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)  # 5 ≤ 5: low
    services.stock_receive(sales_point=outlet, product=honey, quantity=6)
    services.stock_threshold_set(sales_point=outlet, product_id=honey.pk, threshold=8)

    page = staff_client.get(url("stock", outlet))
    assert page.context["low_count"] == 2
    assert page.content.decode().count('class="table-low"') == 2

    services.stock_threshold_set(
        sales_point=outlet, product_id=honey.pk, threshold=None
    )
    page = staff_client.get(url("stock", outlet), {"low": "on"})
    assert [record.product_id for record in page.context["records"]] == [tea.pk]


def test_the_stock_page_is_paginated_by_25(staff_client, outlet):
    for i in range(26):
        product = create_product(num_in_stock=None, title=f"Sản phẩm {i:02d}")
        services.stock_receive(sales_point=outlet, product=product, quantity=1)

    first = staff_client.get(url("stock", outlet))
    second = staff_client.get(url("stock", outlet), {"page": 2})

    assert len(first.context["records"]) == 25
    assert len(second.context["records"]) == 1


def _products_in_stock(outlet, n):
    for i in range(n):
        product = create_product(num_in_stock=None, title=f"Sản phẩm {i:02d}")
        services.stock_receive(sales_point=outlet, product=product, quantity=3)


# Session, user, the two permission reads, the outlet check and lookup, the page's own
# queries, Oscar's notification count: none of them per row.
# Exact counts, the same for 1 and 20 rows (the HTML pages include the dashboard menu).
QUERIES = {"stock": 12, "movement-list": 11, "api-stock": 8, "api-movements": 8}


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize("page", list(QUERIES))
def test_listing_pages_cost_the_same_queries_for_1_and_20_rows(
    staff_client, outlet, page, rows, django_assert_num_queries
):
    _products_in_stock(outlet, rows)

    with django_assert_num_queries(QUERIES[page]):
        response = staff_client.get(url(page, outlet))

    if page.startswith("api-"):
        assert len(response.json()["results"]) == rows
    else:
        assert len(response.context["paginator"].object_list) == rows


# --- Receive, write off, threshold ---------------------------------------------------


def test_receiving_an_uncertified_product_is_refused_with_the_reason(
    staff_client, outlet
):
    plain = create_product(num_in_stock=None, certified=False, upc="8930000000035")

    response = staff_client.post(
        url("receive", outlet), {"barcode": plain.upc, "quantity": 3}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["barcode"] == [
        "No product certified right now has this barcode."
    ]
    response = staff_client.post(
        url("receive", outlet), {"product": plain.pk, "quantity": 3}
    )
    assert "product" in response.context["form"].errors  # not among the choices
    assert not StockMovement.objects.exists()


def test_a_write_off_needs_a_reason_and_free_stock(staff_client, outlet, tea):
    services.stock_receive(sales_point=outlet, product=tea, quantity=2)

    response = staff_client.post(
        url("write-off", outlet), {"product": tea.pk, "quantity": 3, "reason": "broken"}
    )
    assert response.context["form"].non_field_errors() == [
        "Only 2 free to sell, 3 asked for."
    ]
    response = staff_client.post(
        url("write-off", outlet),
        {"barcode": TEA_UPC, "quantity": 1, "reason": "broken"},
    )
    assert response.status_code == 302
    assert level(outlet, tea) == 1
    assert StockMovement.objects.filter(kind=Kind.WRITE_OFF, reason="broken").exists()


def test_the_threshold_is_set_and_cleared(staff_client, outlet, tea):
    services.stock_receive(sales_point=outlet, product=tea, quantity=2)
    record = StockRecord.objects.get(partner=outlet.partner, product=tea)

    staff_client.post(url("threshold", outlet), {"product": tea.pk, "threshold": 7})
    record.refresh_from_db()
    assert record.low_stock_threshold == 7
    page = staff_client.get(url("threshold", outlet), {"product": tea.pk})
    assert page.context["form"].initial == {"product": tea.pk, "threshold": 7}

    staff_client.post(url("threshold", outlet), {"product": tea.pk, "threshold": ""})
    record.refresh_from_db()
    assert record.low_stock_threshold is None


# --- Counter sale and receipts -------------------------------------------------------


def test_a_name_matching_several_products_offers_a_choice(staff_client, outlet, tea):
    green = create_product(num_in_stock=None, title="Trà xanh Tân Cương")
    for product in (tea, green):
        services.stock_receive(sales_point=outlet, product=product, quantity=5)

    page = staff_client.post(
        url("sell", outlet), sale_data([], action="add", lookup="tan cuong")
    )
    assert {r.product_id for r in page.context["matches"]} == {tea.pk, green.pk}

    page = staff_client.post(
        url("sell", outlet),
        sale_data([(tea.pk, 1)], action="add", add_product=green.pk),
    )
    shown = [
        (f.initial["product"], f.initial["quantity"])
        for f in page.context["formset"].initial_forms
    ]
    assert shown == [(tea.pk, 1), (green.pk, 1)]
    assert page.context["total"] == Decimal("300000")


def test_a_sale_beyond_free_stock_shows_the_reason_and_sells_nothing(
    staff_client, outlet, tea
):
    services.stock_receive(sales_point=outlet, product=tea, quantity=1)

    response = staff_client.post(url("sell", outlet), sale_data([(tea.pk, 2)]))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Only 1 free to sell, 2 asked for."
    ]
    assert not CounterSale.objects.exists()
    assert level(outlet, tea) == 1


def test_the_counter_page_carries_its_script_and_catalogue(staff_client, outlet, tea):
    services.stock_receive(sales_point=outlet, product=tea, quantity=4)

    html = staff_client.get(url("sell", outlet)).content.decode()

    assert "sales_points/counter.js" in html
    assert 'id="sale-catalogue"' in html and TEA_UPC in html
    assert 'id="sale-line-template"' in html and "lines-__prefix__-product" in html


def test_a_customer_return_goes_back_to_stock_once(staff_client, outlet, tea):
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    sale = services.counter_sale_record(
        sales_point=outlet, lines={tea.pk: 2}, payment="card"
    )
    path = url("receipt-return", outlet, receipt_number=sale.receipt_number)

    response = staff_client.post(path, {f"return-{tea.pk}": 1, "return-reason": "gift"})
    assert response.status_code == 302
    response = staff_client.post(
        path, {f"return-{tea.pk}": 2, "return-reason": "again"}
    )
    assert response.status_code == 200
    assert response.context["return_form"].errors == {
        str(tea.pk): ["Ensure this value is less than or equal to 1."]
    }
    assert level(outlet, tea) == 4
    receipts = staff_client.get(url("receipt-list", outlet))
    assert [s.receipt_number for s in receipts.context["sales"]] == [
        sale.receipt_number
    ]
    assert_ledger_adds_up()


# --- Transfers and counts ------------------------------------------------------------


def test_a_transfer_can_go_to_any_open_outlet_but_not_itself(staff_client, outlet, tea):
    other = make_outlet("tc-02")
    closed = make_outlet("tc-03")
    closed.is_active = False
    closed.save()

    form = staff_client.get(url("transfer-send", outlet)).context["form"]

    assert list(form.fields["destination"].queryset) == [other]


def test_the_sender_cancels_a_transfer_in_transit(staff_client, outlet, tea):
    other = make_outlet("tc-02")
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    transfer = services.transfer_send(
        source=outlet, destination=other, lines={tea.pk: 2}
    )

    page = staff_client.get(url("transfer-detail", outlet, number=transfer.number))
    assert page.context["may_cancel"] and not page.context["may_receive"]
    response = staff_client.post(url("transfer-cancel", outlet, number=transfer.number))

    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.CANCELLED
    assert level(outlet, tea) == 5
    assert_ledger_adds_up()


def test_a_count_confirmed_after_the_stock_moved_is_previewed_again(
    staff_client, outlet, tea
):
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    count = {f"count-{tea.pk}": 3, f"count-{tea.pk}-expected": 5, "action": "confirm"}
    services.counter_sale_record(sales_point=outlet, lines={tea.pk: 1}, payment="cash")

    response = staff_client.post(url("count", outlet), count)

    assert response.status_code == 200
    assert [row["difference"] for row in response.context["preview"]] == [-1]
    assert not StockMovement.objects.filter(kind=Kind.COUNT_ADJUSTMENT).exists()


def test_an_empty_count_asks_for_a_quantity(staff_client, outlet, tea):
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)

    response = staff_client.post(
        url("count", outlet), {f"count-{tea.pk}": "", "action": "preview"}
    )

    assert response.context["form"].non_field_errors() == [
        "Enter the quantity of at least one product."
    ]


# --- Reports and the staff API -------------------------------------------------------


def test_the_report_page_shows_sales_and_stock_for_the_period(
    staff_client, outlet, tea
):
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    services.counter_sale_record(sales_point=outlet, lines={tea.pk: 2}, payment="cash")

    page = staff_client.get(url("reports", outlet))

    tables = {table.key: table for table in page.context["tables"]}
    assert set(tables) == {
        "sales-by-day",
        "sales-by-product",
        "stock-ledger",
        "stock-on-hand",
    }
    assert tables["sales-by-day"].rows[0][1:3] == [1, 2]
    assert tables["stock-on-hand"].rows[0][2] == 3
    assert "₫300,000" in page.content.decode()


def test_the_staff_api_lists_the_outlets_stock_and_ledger(staff_client, outlet, tea):
    services.stock_receive(sales_point=outlet, product=tea, quantity=4)
    other = make_outlet("tc-02")
    services.stock_receive(sales_point=other, product=tea, quantity=9)

    stock = staff_client.get(url("api-stock", outlet)).json()
    movements = staff_client.get(
        url("api-movements", outlet), {"kind": "receipt"}
    ).json()

    assert [
        (r["upc"], r["num_in_stock"], r["free"], r["is_low"], r["price"])
        for r in stock["results"]
    ] == [(TEA_UPC, 4, 4, True, 150000)]
    assert [
        (m["kind"], m["delta"], m["balance_after"]) for m in movements["results"]
    ] == [("receipt", 4, 4)]


def test_a_network_manager_works_at_any_outlet(english_client, outlet, tea):
    english_client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))

    response = english_client.post(
        url("receive", outlet), {"product": tea.pk, "quantity": 2}
    )

    assert response.status_code == 302
    assert level(outlet, tea) == 2
