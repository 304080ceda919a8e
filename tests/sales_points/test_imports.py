"""CSV import of receipts and counts: every encoding Excel writes, every error by row
and column, all rows or none, and only into the user's own outlet."""

import datetime as dt
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from sales_points import imports, services
from sales_points.exceptions import StockError
from sales_points.imports import ImportRefused, import_apply, import_check, import_read
from sales_points.models import Lot, StockMovement
from shop import roles
from tests.factories import UserFactory, create_product, outlet_staff
from tests.sales_points.test_services import assert_ledger_adds_up, make_outlet

StockRecord = get_model("partner", "StockRecord")

TEA, HONEY, RICE, OLD = (
    "8930000000011",
    "8930000000028",
    "8930000000035",
    "8930000000042",
)


@pytest.fixture(autouse=True)
def english(default_language):
    """The service-level tests read the messages in English (the pages, in Vietnamese,
    go through the client and its language prefix)."""
    with translation.override("en"):
        yield


def read(text: str) -> list:
    return import_read(text.encode())


def problems(plan) -> set[tuple]:
    return {(error.row, error.column, error.code) for error in plan.errors}


def ledger_state(outlet) -> tuple:
    """Everything an import could change at the outlet."""
    return (
        list(StockMovement.objects.values_list("pk", flat=True)),
        list(
            StockRecord.objects.filter(partner=outlet.partner)
            .order_by("pk")
            .values_list("product_id", "num_in_stock", "num_allocated")
        ),
        Lot.objects.count(),
    )


@pytest.fixture
def outlet(db):
    return make_outlet("tc-01")


@pytest.fixture
def other(db):
    return make_outlet("tc-02")


@pytest.fixture
def products(db):
    return {
        TEA: create_product(num_in_stock=None, upc=TEA, title="Trà Tân Cương"),
        HONEY: create_product(num_in_stock=None, upc=HONEY, title="Mật ong"),
        RICE: create_product(num_in_stock=None, upc=RICE, title="Gạo nếp"),
        OLD: create_product(
            num_in_stock=None, upc=OLD, title="Miến dong", certified=False
        ),
    }


def stock(outlet, upc) -> int | None:
    record = StockRecord.objects.filter(
        partner=outlet.partner, product__upc=upc
    ).first()
    return record.num_in_stock if record else None


# --- Reading ---------------------------------------------------------------------


def test_utf8_comma_separated():
    rows = read("code,quantity\r\n8930000000011,5\r\n")

    assert rows == [{"code": "8930000000011", "quantity": "5"}]
    assert rows[0].number == 2


def test_utf8_with_bom_and_vietnamese_headers_separated_by_semicolons():
    raw = "\ufeffMã sản phẩm;Số lượng;Ghi chú\n8930000000011;5;hàng mới\n".encode()

    rows = import_read(raw)

    assert rows == [
        {"Mã sản phẩm": "8930000000011", "Số lượng": "5", "Ghi chú": "hàng mới"}
    ]


def test_utf16_le_with_bom_tab_separated_as_excel_writes_unicode_text():
    text = "code\tquantity\tlot\r\n8930000000011\t5\tLÔ-01\r\n"
    raw = b"\xff\xfe" + text.encode("utf-16-le")

    assert import_read(raw) == [
        {"code": "8930000000011", "quantity": "5", "lot": "LÔ-01"}
    ]


def test_utf16_be_with_bom():
    raw = b"\xfe\xff" + "code;quantity\n8930000000011;5\n".encode("utf-16-be")

    assert import_read(raw) == [{"code": "8930000000011", "quantity": "5"}]


def test_row_numbers_are_the_spreadsheets_and_empty_rows_are_skipped():
    rows = read('code,quantity\n\n8930000000011,5\n,\n"8930000000028",7\n')

    assert [row.number for row in rows] == [3, 5]


def test_cells_beyond_the_header_are_kept_apart():
    rows = read("code,quantity\n8930000000011,1,5\n")

    assert rows[0][None] == ["5"]


def test_excels_sep_line_is_not_a_row():
    rows = read("sep=;\ncode;quantity\n8930000000011;5\n")

    assert rows == [{"code": "8930000000011", "quantity": "5"}]
    assert rows[0].number == 2


@pytest.mark.parametrize(
    "raw",
    [
        # Windows-1258 writes Vietnamese as letters and combining tone marks.
        unicodedata.normalize("NFD", "mã,giá\nTrà Đỏ,5\n").encode("cp1258"),
        "code,quantity\nCafé,5\n".encode("latin-1"),
    ],
    ids=["cp1258", "latin-1"],
)
def test_legacy_code_pages_are_refused_with_a_clear_message(raw):
    with pytest.raises(ImportRefused, match="not UTF-8 or UTF-16"):
        import_read(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not"),
        (b"code,quantity\n\x00\x01\x02,5\n", "not a text file"),
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b" \r\n\r\n", "empty"),
        (b"\xff\xfe", "empty"),
        (b"code,quantity\n" + b"1,1\n" * (imports.MAX_BYTES // 4), "larger than"),
        (b"code,Code\n1,2\n", "twice"),
    ],
    ids=["xlsx", "xls", "png", "control-bytes", "empty", "bom-only", "blank",
         "utf16-bom-only", "too-big", "same-column-twice"],
)  # fmt: skip
def test_anything_else_is_refused(raw, message):
    with pytest.raises(ImportRefused, match=message):
        import_read(raw)


# --- Checking ----------------------------------------------------------------------


def test_every_error_names_its_row_and_column(outlet, other, products):
    more = [f"89300001000{n:02d}" for n in range(7)]
    for code in more:
        create_product(num_in_stock=None, upc=code, title=f"Sản phẩm {code}")
    rows = read(
        "code,quantity,outlet\n"
        f"{TEA},5,tc-01\n"  # 2: fine
        "8930000009999,5,tc-01\n"  # 3: unknown code
        f"{OLD},5,\n"  # 4: not certified
        f"{more[0]},-2,tc-01\n"  # 5: negative
        f"{more[1]},1.5,tc-01\n"  # 6: not whole
        f"{more[2]},abc,tc-01\n"  # 7: not a number
        f"{TEA},3,tc-01\n"  # 8: the same product again
        f"{more[3]},4,tc-02\n"  # 9: another outlet's code
        f"{more[4]},0,tc-01\n"  # 10: a receipt of nothing
        ",4,tc-01\n"  # 11: no code
        f"{more[5]},,tc-01\n"  # 12: no quantity
        f"{more[6]},1,tc-01\n"  # 13: fine
    )
    before = ledger_state(outlet)

    plan = import_check(sales_point=outlet, kind="receipt", rows=rows)

    assert problems(plan) == {
        (3, "code", "unknown_code"),
        (4, "code", "not_certified"),
        (5, "quantity", "quantity"),
        (6, "quantity", "quantity"),
        (7, "quantity", "quantity"),
        (8, "code", "duplicate"),
        (9, "outlet", "other_outlet"),
        (10, "quantity", "quantity"),
        (11, "code", "unknown_code"),
        (12, "quantity", "quantity"),
    }
    assert not plan.ok and plan.changes == []
    messages = {error.row: error.message for error in plan.errors}
    assert "8930000009999" in messages[3]
    assert "Miến dong" in messages[4]
    assert "row 2" in messages[8]
    assert "tc-02" in messages[9]
    assert ledger_state(outlet) == before


def test_the_errors_use_the_headers_as_written(outlet, products):
    rows = read(f"Mã;Số lượng\n{TEA};-1\n")

    plan = import_check(sales_point=outlet, kind="receipt", rows=rows)

    assert problems(plan) == {(2, "Số lượng", "quantity")}


def test_a_missing_column_is_an_error_of_the_file(outlet, products):
    plan = import_check(
        sales_point=outlet, kind="receipt", rows=read(f"code,amount\n{TEA},5\n")
    )

    assert problems(plan) == {(None, "quantity", "missing_column")}


def test_a_file_without_rows_or_with_too_many_is_refused(outlet, products):
    empty = import_check(sales_point=outlet, kind="receipt", rows=read("code,qty\n"))
    many = "code,quantity\n" + f"{TEA},1\n" * (imports.MAX_ROWS + 1)
    too_many = import_check(sales_point=outlet, kind="receipt", rows=read(many))

    assert problems(empty) == {(None, "", "no_rows")}
    assert problems(too_many) == {(None, "", "too_many_rows")}


def test_a_decimal_comma_that_splits_a_row_is_caught(outlet, products):
    plan = import_check(
        sales_point=outlet, kind="receipt", rows=read(f"code,quantity\n{TEA},1,5\n")
    )

    assert problems(plan) == {(2, "—", "extra_cells")}


def test_the_same_product_in_two_lots_is_two_receipts(outlet, products):
    rows = read(
        "code,quantity,lot,harvested_on,best_before\n"
        f"{TEA},5,L1,01/03/2025,2026-03-01\n"
        f"{TEA},7,L2,,\n"
        f"{TEA},2,l1,,\n"  # the same lot again
        f"{HONEY},1,,2025-01-01,\n"  # dates without a lot
        f"{HONEY},1,L3,31/02/2025,\n"  # no such day
        f"{RICE},1,L4,2025-06-01,2025-05-01\n"  # keeps before it is harvested
    )

    plan = import_check(sales_point=outlet, kind="receipt", rows=rows)

    assert problems(plan) == {
        (4, "code", "duplicate"),
        (5, "harvested_on", "lot"),
        (6, "harvested_on", "date"),
        (7, "best_before", "date"),
    }
    ok = import_check(sales_point=outlet, kind="receipt", rows=rows[:2])
    assert [(c.now, c.after, c.lot, c.harvested_on) for c in ok.changes] == [
        (0, 5, "L1", dt.date(2025, 3, 1)),
        (5, 12, "L2", None),
    ]


# --- Applying ----------------------------------------------------------------------

GOOD_RECEIPT = f"code,quantity,lot\n{TEA},5,L1\n{HONEY},3,\n{RICE},8,R1\n"


def test_a_dry_run_writes_nothing(outlet, products):
    before = ledger_state(outlet)

    plan = import_check(sales_point=outlet, kind="receipt", rows=read(GOOD_RECEIPT))

    assert plan.ok
    assert [(c.row, c.product.upc, c.now, c.after, c.delta) for c in plan.changes] == [
        (2, TEA, 0, 5, 5),
        (3, HONEY, 0, 3, 3),
        (4, RICE, 0, 8, 8),
    ]
    assert ledger_state(outlet) == before


def test_a_file_with_one_bad_row_writes_nothing(outlet, products):
    services.stock_receive(sales_point=outlet, product=products[TEA], quantity=2)
    before = ledger_state(outlet)
    rows = read(GOOD_RECEIPT + f"{TEA},-4,L9\n")

    plan = import_apply(sales_point=outlet, kind="receipt", rows=rows)

    assert problems(plan) == {(5, "quantity", "quantity")}
    assert plan.movements == []
    assert ledger_state(outlet) == before
    assert_ledger_adds_up()


def test_apply_writes_exactly_the_preview(outlet, products):
    services.stock_receive(sales_point=outlet, product=products[TEA], quantity=2)
    user = outlet_staff(outlet)
    rows = read(GOOD_RECEIPT)
    preview = import_check(sales_point=outlet, kind="receipt", rows=rows)

    plan = import_apply(
        sales_point=outlet, kind="receipt", rows=rows, user=user,
        filename="nhap-hang.csv", expected=preview.fingerprint,
    )  # fmt: skip

    assert plan.ok
    assert plan.fingerprint == preview.fingerprint
    assert [(m.product.upc, m.delta, m.balance_after) for m in plan.movements] == [
        (c.product.upc, c.delta, c.after) for c in preview.changes
    ]
    for change in preview.changes:
        assert stock(outlet, change.product.upc) == change.after
    assert {(m.kind, m.user, m.reference) for m in plan.movements} == {
        (StockMovement.Kind.RECEIPT, user, plan.reference)
    }
    assert plan.reference.startswith("import:")
    assert "nhap-hang.csv" in plan.movements[0].reason
    assert Lot.objects.filter(sales_point=outlet, code__in=["L1", "R1"]).count() == 2
    assert_ledger_adds_up()


def test_stock_that_moved_since_the_preview_is_previewed_again(outlet, products):
    rows = read(GOOD_RECEIPT)
    preview = import_check(sales_point=outlet, kind="receipt", rows=rows)
    services.stock_receive(sales_point=outlet, product=products[TEA], quantity=1)
    before = ledger_state(outlet)

    plan = import_apply(
        sales_point=outlet, kind="receipt", rows=rows, expected=preview.fingerprint
    )

    assert problems(plan) == {(None, "", "stale")}
    assert plan.changes[0].now == 1  # the new preview
    assert ledger_state(outlet) == before


def test_a_service_refusal_half_way_rolls_the_whole_import_back(
    outlet, products, monkeypatch
):
    real, calls = services.stock_receive, []

    def receive_then_refuse(**kwargs):
        calls.append(kwargs["product"].upc)
        if len(calls) == 2:
            raise StockError("refused")
        return real(**kwargs)

    monkeypatch.setattr(imports.services, "stock_receive", receive_then_refuse)
    before = ledger_state(outlet)

    plan = import_apply(sales_point=outlet, kind="receipt", rows=read(GOOD_RECEIPT))

    assert problems(plan) == {(3, "", "refused")}
    assert plan.movements == []
    assert ledger_state(outlet) == before


def test_the_same_import_is_written_once(outlet, products):
    rows = read(GOOD_RECEIPT)
    import_apply(sales_point=outlet, kind="receipt", rows=rows, reference="import:x1")
    before = ledger_state(outlet)

    again = import_apply(
        sales_point=outlet, kind="receipt", rows=rows, reference="import:x1"
    )

    assert problems(again) == {(None, "", "imported")}
    assert ledger_state(outlet) == before


def test_a_count_writes_the_differences(outlet, products):
    services.stock_receive(sales_point=outlet, product=products[TEA], quantity=10)
    services.stock_receive(sales_point=outlet, product=products[HONEY], quantity=4)
    rows = read(
        f"code,counted\n{TEA},7\n{HONEY},4\n{RICE},3\n{OLD},0\n"
    )  # RICE is new here; OLD was never stocked and is not certified: 0 is fine

    preview = import_check(sales_point=outlet, kind="count", rows=rows)
    plan = import_apply(
        sales_point=outlet, kind="count", rows=rows, expected=preview.fingerprint
    )

    assert plan.ok
    assert [(c.product.upc, c.now, c.after) for c in preview.changes] == [
        (TEA, 10, 7),
        (HONEY, 4, 4),
        (RICE, 0, 3),
        (OLD, 0, 0),
    ]
    assert preview.unchanged == 2
    assert sorted((m.product.upc, m.delta) for m in plan.movements) == [
        (TEA, -3),
        (RICE, 3),
    ]
    assert {m.kind for m in plan.movements} == {StockMovement.Kind.COUNT_ADJUSTMENT}
    assert all(m.reference == plan.reference for m in plan.movements)
    assert (stock(outlet, TEA), stock(outlet, HONEY), stock(outlet, RICE)) == (7, 4, 3)
    assert_ledger_adds_up()


def test_a_count_file_may_call_its_column_quantity(outlet, products):
    plan = import_check(
        sales_point=outlet, kind="count", rows=read(f"mã;số lượng\n{TEA};0\n")
    )

    assert plan.ok and plan.changes[0].after == 0


def test_a_count_refuses_what_the_services_refuse(outlet, products):
    services.stock_receive(sales_point=outlet, product=products[TEA], quantity=5)
    tea_record = StockRecord.objects.get(partner=outlet.partner, product__upc=TEA)
    services.stock_allocate(stockrecord_id=tea_record.pk, quantity=4)
    rows = read(f"code,counted\n{TEA},3\n{OLD},2\n{HONEY},-1\n{HONEY},2\n")
    before = ledger_state(outlet)

    plan = import_apply(sales_point=outlet, kind="count", rows=rows)

    assert problems(plan) == {
        (2, "counted", "held"),
        (3, "code", "not_certified"),
        (4, "counted", "quantity"),
        (5, "code", "duplicate"),
    }
    assert ledger_state(outlet) == before


def test_another_outlets_code_in_the_file_is_a_row_error(outlet, other, products):
    rows = read(f"code,quantity,outlet\n{TEA},5,TC-01\n{HONEY},5,tc-02\n")
    before = ledger_state(other), ledger_state(outlet)

    plan = import_apply(sales_point=outlet, kind="receipt", rows=rows)

    assert problems(plan) == {(3, "outlet", "other_outlet")}
    assert (ledger_state(other), ledger_state(outlet)) == before


# --- Pages -------------------------------------------------------------------------


def upload(client, code: str, text: str, kind="receipt", name="stock.csv", raw=None):
    raw = text.encode() if raw is None else raw
    return client.post(
        reverse("outlet-import:import", kwargs={"code": code}),
        {"kind": kind, "file": SimpleUploadedFile(name, raw, content_type="text/csv")},
    )


def confirm(client, code: str, preview):
    return client.post(
        reverse("outlet-import:confirm", kwargs={"code": code}),
        {
            "token": preview.context["token"],
            "fingerprint": preview.context["plan"].fingerprint,
        },
    )


def test_staff_preview_then_confirm_and_a_second_confirm_writes_nothing(
    client, outlet, products
):
    client.force_login(outlet_staff(outlet))
    assert (
        client.get(
            reverse("outlet-import:import", kwargs={"code": "tc-01"})
        ).status_code
        == 200
    )
    before = ledger_state(outlet)

    preview = upload(client, "tc-01", GOOD_RECEIPT)

    assert preview.status_code == 200
    assert b"outlet_import_confirm_form" in preview.content
    assert ledger_state(outlet) == before  # the preview wrote nothing

    done = confirm(client, "tc-01", preview)

    assert done.status_code == 302
    assert (stock(outlet, TEA), stock(outlet, HONEY), stock(outlet, RICE)) == (5, 3, 8)
    written = ledger_state(outlet)
    assert confirm(client, "tc-01", preview).status_code == 302
    assert ledger_state(outlet) == written
    assert_ledger_adds_up()


def test_a_preview_with_errors_lists_them_and_cannot_be_confirmed(
    client, outlet, other, products
):
    client.force_login(outlet_staff(outlet))
    before = ledger_state(outlet)

    preview = upload(client, "tc-01", f"code,quantity,outlet\n{TEA},5,tc-02\n")

    assert preview.status_code == 200
    assert problems(preview.context["plan"]) == {(2, "outlet", "other_outlet")}
    assert b"import_errors" in preview.content
    assert b"outlet_import_confirm_form" not in preview.content
    assert preview.context["token"] == ""
    assert ledger_state(outlet) == before


def test_an_unreadable_file_is_refused_on_the_form(client, outlet, products):
    client.force_login(outlet_staff(outlet))

    response = upload(client, "tc-01", "", raw="Trà,5\n".encode("cp1258"))

    assert response.status_code == 200
    assert "UTF-8" in response.context["form"].errors["file"][0]


def test_staff_of_one_outlet_cannot_import_into_another(
    client, outlet, other, products
):
    client.force_login(outlet_staff(outlet))
    before = ledger_state(other)
    # A preview of their own outlet, whose token is then posted to the other's.
    preview = upload(client, "tc-01", GOOD_RECEIPT)

    assert (
        client.get(
            reverse("outlet-import:import", kwargs={"code": "tc-02"})
        ).status_code
        == 404
    )
    assert upload(client, "tc-02", GOOD_RECEIPT).status_code == 404
    assert confirm(client, "tc-02", preview).status_code == 404
    template = reverse("outlet-import:template", kwargs={"code": "tc-02"})
    assert client.get(template).status_code == 404
    assert ledger_state(other) == before


def test_a_token_of_one_outlet_does_not_import_into_another(
    client, outlet, other, products
):
    client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))
    preview = upload(client, "tc-01", GOOD_RECEIPT)
    before = ledger_state(other), ledger_state(outlet)

    assert confirm(client, "tc-02", preview).status_code == 302

    assert (ledger_state(other), ledger_state(outlet)) == before


def test_a_network_manager_imports_into_any_outlet(client, outlet, other, products):
    client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))

    preview = upload(client, "tc-02", GOOD_RECEIPT)
    assert confirm(client, "tc-02", preview).status_code == 302

    assert stock(other, TEA) == 5
    assert stock(outlet, TEA) is None


def test_anonymous_visitors_go_to_the_login_page(client, outlet):
    url = reverse("outlet-import:import", kwargs={"code": "tc-01"})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("dashboard:login"))


def test_people_who_work_at_no_outlet_are_forbidden(client, outlet, products):
    client.force_login(UserFactory(groups=[roles.CATALOGUE_MANAGERS]))
    before = ledger_state(outlet)

    assert upload(client, "tc-01", GOOD_RECEIPT).status_code == 403
    assert ledger_state(outlet) == before


def test_the_count_sheet_lists_the_outlets_stock(client, outlet, products):
    services.stock_receive(sales_point=outlet, product=products[TEA], quantity=5)
    client.force_login(outlet_staff(outlet))

    response = client.get(
        reverse("outlet-import:template", kwargs={"code": "tc-01"}), {"kind": "count"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = import_read(response.content)
    assert rows == [{"code": TEA, "product": "Trà Tân Cương", "counted": ""}]
