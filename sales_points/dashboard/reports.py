"""An outlet's reports for a period: counter sales per day and per product, the stock
ledger per product (opening + movements = closing), and stock on hand; each a table
for the page and a CSV file (UTF-8 with a BOM, so Excel shows Vietnamese).

The querysets come in already narrowed by sales_points.permissions to one outlet."""

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.api import vnd
from sales_points.models import CounterSaleLine, StockMovement

Product = get_model("catalogue", "Product")
Kind = StockMovement.Kind
MONEY = DecimalField(max_digits=16, decimal_places=2)

TEXT, INT, MONEY_CELL, DATE = "text", "int", "money", "date"


@dataclass
class Column:
    label: str
    kind: str = INT


@dataclass
class Table:
    key: str  # ?table= of the CSV export
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None

    def cells(self):
        """Rows as (value, kind) pairs for the template."""
        kinds = [column.kind for column in self.columns]
        return [list(zip(row, kinds, strict=True)) for row in self.rows]

    def total_cells(self):
        if self.totals is None:
            return None
        kinds = [column.kind for column in self.columns]
        return list(zip(self.totals, kinds, strict=True))


# --- Counter sales -------------------------------------------------------------------

SALE_AMOUNTS = {
    "receipts": Count("sale", distinct=True),
    "units": Sum("quantity", default=0),
    "returned": Sum("quantity_returned", default=0),
    "gross": Sum(F("unit_price") * F("quantity"), output_field=MONEY, default=0),
    "refunded": Sum(
        F("unit_price") * F("quantity_returned"), output_field=MONEY, default=0
    ),
}
SALE_COLUMNS = [
    Column(_("Receipts")),
    Column(_("Units sold")),
    Column(_("Units returned")),
    Column(_("Sales"), MONEY_CELL),
    Column(_("Refunds"), MONEY_CELL),
    Column(_("Net sales"), MONEY_CELL),
]


def _sale_figures(row: dict) -> list:
    return [
        row["receipts"],
        row["units"],
        row["returned"],
        row["gross"],
        row["refunded"],
        row["gross"] - row["refunded"],
    ]


def sale_lines(sales: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    """The lines of the sales made from `start` to `end` (local dates, inclusive)."""
    return CounterSaleLine.objects.filter(
        sale__in=sales.filter(created_at__date__gte=start, created_at__date__lte=end)
    )


def sales_by_day(sales: QuerySet, start: dt.date, end: dt.date) -> Table:
    lines = sale_lines(sales, start, end)
    days = (
        lines.annotate(day=TruncDate("sale__created_at"))
        .values("day")
        .annotate(**SALE_AMOUNTS)
        .order_by("day")
    )
    return Table(
        key="sales-by-day",
        title=_("Counter sales by day"),
        columns=[Column(_("Day"), DATE), *SALE_COLUMNS],
        rows=[[row["day"], *_sale_figures(row)] for row in days],
        totals=[_("Total"), *_sale_figures(lines.aggregate(**SALE_AMOUNTS))],
    )


def sales_by_product(sales: QuerySet, start: dt.date, end: dt.date) -> Table:
    lines = sale_lines(sales, start, end)
    per_product = list(lines.values("product_id").annotate(**SALE_AMOUNTS).order_by())
    products = Product.objects.in_bulk([row["product_id"] for row in per_product])
    per_product.sort(
        key=lambda row: (-(row["gross"] - row["refunded"]), row["product_id"])
    )
    return Table(
        key="sales-by-product",
        title=_("Counter sales by product"),
        columns=[Column(_("Product"), TEXT), Column(_("Barcode"), TEXT), *SALE_COLUMNS],
        rows=[
            [
                products[row["product_id"]].get_title(),
                products[row["product_id"]].upc or "",
                *_sale_figures(row),
            ]
            for row in per_product
        ],
        totals=[_("Total"), "", *_sale_figures(lines.aggregate(**SALE_AMOUNTS))],
    )


# --- Stock ---------------------------------------------------------------------------

# Every kind that moves units; the allocation kinds only hold units (delta 0).
LEDGER_KINDS = [
    ("received", _("Received"), Kind.RECEIPT),
    ("sold", _("Sold at the counter"), Kind.COUNTER_SALE),
    ("returned", _("Customer returns"), Kind.CUSTOMER_RETURN),
    ("online", _("Online orders handed over"), Kind.ONLINE_HANDOVER),
    ("transfers_in", _("Transfers in"), Kind.TRANSFER_IN),
    ("transfers_out", _("Transfers out"), Kind.TRANSFER_OUT),
    ("adjusted", _("Count adjustments"), Kind.COUNT_ADJUSTMENT),
    ("written_off", _("Written off"), Kind.WRITE_OFF),
]


def stock_ledger(movements: QuerySet, start: dt.date, end: dt.date) -> Table:
    """Per product: the balance before the period, each kind of movement during it,
    and the balance at its end. Opening plus the movements is the closing balance."""
    in_period = Q(created_at__date__gte=start)
    per_product = list(
        movements.filter(created_at__date__lte=end)
        .values("product_id")
        .annotate(
            opening=Sum("delta", filter=Q(created_at__date__lt=start), default=0),
            closing=Sum("delta", default=0),
            **{
                key: Sum("delta", filter=in_period & Q(kind=kind), default=0)
                for key, _label, kind in LEDGER_KINDS
            },
        )
        .order_by()
    )
    products = Product.objects.in_bulk([row["product_id"] for row in per_product])
    rows = sorted(
        (
            [
                products[row["product_id"]].get_title(),
                products[row["product_id"]].upc or "",
                row["opening"],
                *(row[key] for key, _label, _kind in LEDGER_KINDS),
                row["closing"],
            ]
            for row in per_product
        ),
        key=lambda row: (str(row[0]).casefold(), row[1]),
    )
    totals = [_("Total"), ""] + [sum(row[i] for row in rows) for i in range(2, 12)]
    return Table(
        key="stock-ledger",
        title=_("Stock movements in the period"),
        columns=[
            Column(_("Product"), TEXT),
            Column(_("Barcode"), TEXT),
            Column(_("Opening")),
            *(Column(label) for _key, label, _kind in LEDGER_KINDS),
            Column(_("Closing")),
        ],
        rows=rows,
        totals=totals,
    )


def stock_on_hand(records: QuerySet) -> Table:
    """Today's stock (records annotated by alerts.stock_levels)."""
    rows = []
    for record in records:
        value = (record.price or Decimal(0)) * record.num_in_stock
        rows.append(
            [
                record.product.get_title(),
                record.product.upc or "",
                record.num_in_stock,
                record.num_allocated or 0,
                record.free,
                record.threshold,
                _("low") if record.is_low else "",
                record.price,
                value,
            ]
        )
    return Table(
        key="stock-on-hand",
        title=_("Stock on hand now"),
        columns=[
            Column(_("Product"), TEXT),
            Column(_("Barcode"), TEXT),
            Column(_("In stock")),
            Column(_("Held for orders")),
            Column(_("Free to sell")),
            Column(_("Low-stock threshold")),
            Column(_("Low"), TEXT),
            Column(_("Price"), MONEY_CELL),
            Column(_("Value"), MONEY_CELL),
        ],
        rows=rows,
        totals=[_("Total"), "", *([""] * 6), sum((row[8] for row in rows), Decimal(0))],
    )


# --- CSV -----------------------------------------------------------------------------


def _csv_value(value, kind: str):
    if value is None or value == "":
        return ""
    if kind == MONEY_CELL:
        return vnd(Decimal(value))
    if kind == DATE:
        return value.isoformat()
    return str(value)


def csv_response(table: Table, filename: str) -> HttpResponse:
    """The table as a CSV download: amounts in whole đồng, dates ISO, a BOM first."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(column.label) for column in table.columns])
    kinds = [column.kind for column in table.columns]
    for row in table.rows:
        writer.writerow([_csv_value(v, k) for v, k in zip(row, kinds, strict=True)])
    if table.totals is not None:
        writer.writerow(
            [
                _csv_value(v, k if i else TEXT)
                for i, (v, k) in enumerate(zip(table.totals, kinds, strict=True))
            ]
        )
    return response
