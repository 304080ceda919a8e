"""CSV import of receipts and stock counts into one outlet.

Three steps, so the staff see exactly what will change before anything does:
`import_read` decodes the file (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode
text" writes it; comma, semicolon or tab) into rows; `import_check` plans the change of
every row and lists every error by row and column, writing nothing; `import_apply`
plans again inside one transaction, with the stock records locked, and writes through
sales_points.services only when no row is wrong. Any service error rolls the whole
import back: nothing is written unless everything is."""

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue.selectors import (
    certificates_valid_prefetch,
    product_certification_problem,
)
from sales_points import services
from sales_points.exceptions import StockError
from sales_points.models import Lot, SalesPoint, StockMovement

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

RECEIPT, COUNT = "receipt", "count"
KINDS = {RECEIPT: gettext_lazy("Receipt of goods"), COUNT: gettext_lazy("Stock count")}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_QUANTITY = 1_000_000
MAX_LOT_LENGTH = Lot._meta.get_field("code").max_length

# Canonical column names and the headers that mean them, written as `_header_key`
# leaves them (lower case, no Vietnamese accents, single spaces).
ALIASES = {
    "code": {"code", "product code", "upc", "barcode", "ma", "ma san pham", "ma sp",
             "ma vach"},
    "quantity": {"quantity", "qty", "so luong", "sl"},
    "counted": {"counted", "count", "counted quantity", "so luong dem",
                "so luong thuc te", "kiem ke", "thuc te"},
    "lot": {"lot", "lot code", "batch", "lo", "so lo", "ma lo", "lo hang"},
    "harvested_on": {"harvested on", "harvest date", "harvested", "ngay thu hoach",
                     "ngay san xuat", "nsx"},
    "best_before": {"best before", "expiry", "expires on", "han su dung", "hsd",
                    "han dung"},
    "outlet": {"outlet", "outlet code", "sales point", "diem ban", "ma diem ban"},
}  # fmt: skip
REQUIRED = {RECEIPT: ("code", "quantity"), COUNT: ("code", "counted")}
OPTIONAL = {
    RECEIPT: ("lot", "harvested_on", "best_before", "outlet"),
    COUNT: ("outlet",),
}
TEMPLATE_COLUMNS = {
    RECEIPT: ["code", "product", "quantity", "lot", "harvested_on", "best_before"],
    COUNT: ["code", "product", "counted"],
}

EXCEL_HINT = gettext_lazy(
    'In Excel, use "Save as" and choose "CSV UTF-8 (comma delimited)" or '
    '"Unicode Text".'
)


class ImportRefused(StockError):
    """The file cannot be read at all (wrong encoding, not text, empty, too big)."""


class ImportRow(dict):
    """One row of the file: header (as written) -> cell. Cells beyond the header, or
    under a header cell left empty, are under the key None. `number` is the row as a
    spreadsheet shows it (the header is row 1)."""

    def __init__(self, cells: dict, *, number: int):
        super().__init__(cells)
        self.number = number


@dataclass(frozen=True)
class ImportProblem:
    """An error for people: row None is about the whole file."""

    row: int | None
    column: str
    message: str
    code: str


@dataclass
class PlannedChange:
    row: int
    product: Product
    now: int
    after: int
    lot: str = ""
    harvested_on: dt.date | None = None
    best_before: dt.date | None = None

    @property
    def delta(self) -> int:
        return self.after - self.now


@dataclass
class ImportPlan:
    kind: str
    sales_point: SalesPoint
    rows_read: int = 0
    changes: list[PlannedChange] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    movements: list[StockMovement] = field(default_factory=list)
    reference: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def unchanged(self) -> int:
        return sum(1 for change in self.changes if not change.delta)

    @property
    def fingerprint(self) -> str:
        """What the preview showed: apply refuses when the plan it makes differs."""
        data = [self.kind, self.sales_point.pk] + [
            [c.row, c.product.pk, c.now, c.after, c.lot, str(c.harvested_on),
             str(c.best_before)]
            for c in self.changes
        ]  # fmt: skip
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()

    def add_error(self, row: int | None, column: str, message, code: str) -> None:
        self.errors.append(ImportProblem(row, str(column), str(message), code))


# --- Reading -----------------------------------------------------------------------


def import_read(raw: bytes) -> list[ImportRow]:
    """Decode and split the file into rows keyed by its header; ImportRefused when it is
    not text in UTF-8 or UTF-16. Rows left entirely empty are skipped."""
    text = _decode(raw)
    delimiter = None
    if hint := re.match(r"sep=(.)\r?\n", text):  # Excel's own hint line, not a row
        delimiter, text = hint.group(1), text[hint.end() :]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or _delimiter(text)
    )
    records = enumerate(reader, start=1)  # record n is row n in a spreadsheet
    try:
        header = _header(records)
        rows = []
        for number, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            row, extra = {}, []
            for index, cell in enumerate(cells):
                name = header[index] if index < len(header) else ""
                if name:
                    row[name] = cell
                elif cell.strip():
                    extra.append(cell)
            for name in header[len(cells) :]:
                if name:
                    row[name] = ""
            if extra:
                row[None] = extra
            rows.append(ImportRow(row, number=number))
    except csv.Error as error:
        raise ImportRefused(
            _("The file is not readable as CSV (%(error)s).") % {"error": error}
        ) from None
    return rows


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(mb)s MB: split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused(
            _("This is an Excel workbook, not a CSV file.") + " " + str(EXCEL_HINT)
        )
    try:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = raw.decode("utf-16")  # the BOM says which byte order
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportRefused(
            _(
                "The file is not UTF-8 or UTF-16 text (an unreadable character on "
                "line %(line)s: perhaps an old Windows or Vietnamese code page)."
            )
            % {"line": line}
            + " "
            + str(EXCEL_HINT)
        ) from None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise ImportRefused(_("The file is not a text file.") + " " + str(EXCEL_HINT))
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    return text


def _delimiter(text: str) -> str:
    """The one the header line uses most: comma, semicolon or tab."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get)
    return delimiter if counts[delimiter] else ","


def _header(records) -> list[str]:
    for _number, cells in records:
        if any(cell.strip() for cell in cells):
            header = [cell.strip() for cell in cells]
            seen = set()
            for name in header:
                if name and name.casefold() in seen:
                    raise ImportRefused(
                        _("The column “%(name)s” appears twice in the header.")
                        % {"name": name}
                    )
                seen.add(name.casefold())
            return header
    raise ImportRefused(_("The file is empty."))


# --- Checking ----------------------------------------------------------------------


def import_check(*, sales_point: SalesPoint, kind: str, rows: list[dict]) -> ImportPlan:
    """What the import would change, row by row, and every error; writes nothing."""
    return _plan(sales_point=sales_point, kind=kind, rows=rows, lock=False)


def _header_key(name: str) -> str:
    name = re.sub(r"\(.*?\)|\*", "", name.replace("đ", "d").replace("Đ", "D"))
    name = unicodedata.normalize("NFD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    return re.sub(r"[\s_\-]+", " ", name).strip().lower()


def _columns(plan: ImportPlan, header: list[str]) -> dict[str, str] | None:
    """Canonical name -> header as written; None (with file errors) when unusable."""
    wanted = REQUIRED[plan.kind] + OPTIONAL[plan.kind]
    aliases = dict(ALIASES)
    if plan.kind == COUNT:  # a count's quantity is the counted quantity
        aliases["counted"] = ALIASES["counted"] | ALIASES["quantity"]
    columns: dict[str, str] = {}
    for name in header:
        key = _header_key(name)
        for canonical in wanted:
            if key in aliases[canonical]:
                if canonical in columns:
                    plan.add_error(
                        None,
                        name,
                        _("Columns “%(a)s” and “%(b)s” both give the %(what)s.")
                        % {"a": columns[canonical], "b": name, "what": canonical},
                        "duplicate_column",
                    )
                columns[canonical] = name
    for canonical in REQUIRED[plan.kind]:
        if canonical not in columns:
            plan.add_error(
                None,
                canonical,
                _(
                    "The header (the first row) has no “%(column)s” column. The "
                    "first row names the columns: %(columns)s."
                )
                % {"column": canonical, "columns": ", ".join(REQUIRED[plan.kind])},
                "missing_column",
            )
    return None if plan.errors else columns


def _quantity(value: str, *, zero_ok: bool) -> tuple[int | None, str]:
    value = value.strip()
    if not value:
        return None, _("The quantity is missing.")
    if re.fullmatch(r"-\s*[0-9]+(?:[.,][0-9]*)?", value):
        return None, _("Quantities cannot be negative (%(value)s).") % {"value": value}
    if not re.fullmatch(r"[0-9]+", value):
        return None, _(
            "Write the quantity as a whole number without separators (e.g. 12), not "
            "“%(value)s”."
        ) % {"value": value}
    quantity = int(value)
    if quantity == 0 and not zero_ok:
        return None, _("A receipt of 0 changes nothing: give the quantity received.")
    if quantity > MAX_QUANTITY:
        return None, _("%(value)s is more than %(max)s: check the quantity.") % {
            "value": value,
            "max": MAX_QUANTITY,
        }
    return quantity, ""


def _date(value: str) -> dt.date | None:
    """ISO (2025-12-31) or Vietnamese order (31/12/2025); ValueError otherwise."""
    value = value.strip()
    if not value:
        return None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        year, month, day = match.groups()
    elif match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value):
        day, month, year = match.groups()
    else:
        raise ValueError(value)
    return dt.date(int(year), int(month), int(day))


def _plan(*, sales_point: SalesPoint, kind: str, rows: list[dict], lock: bool):
    if kind not in KINDS:
        raise ValueError(f"Unknown import kind {kind!r}")
    plan = ImportPlan(kind=kind, sales_point=sales_point, rows_read=len(rows))
    if not rows:
        plan.add_error(None, "", _("The file has no rows under its header."), "no_rows")
        return plan
    if len(rows) > MAX_ROWS:
        plan.add_error(
            None,
            "",
            _("The file has %(n)s rows; at most %(max)s are imported at once.")
            % {"n": len(rows), "max": MAX_ROWS},
            "too_many_rows",
        )
        return plan
    columns = _columns(plan, [name for name in rows[0] if name is not None])
    if columns is None:
        return plan

    ctx = _Context(plan=plan, columns=columns)
    codes = {ctx.cell(row, "code") for row in rows} - {""}
    products = Product.objects.filter(upc__in=codes).prefetch_related(
        certificates_valid_prefetch()
    )
    ctx.products = {product.upc: product for product in products}
    records = StockRecord.objects.filter(
        partner_id=sales_point.partner_id,
        product_id__in=[product.pk for product in ctx.products.values()],
    )
    if lock:  # in primary-key order, as the services lock them
        records = records.select_for_update(of=("self",)).order_by("pk")
    ctx.records = {record.product_id: record for record in records}
    ctx.balances = {pid: r.num_in_stock or 0 for pid, r in ctx.records.items()}
    if kind == RECEIPT:
        lots = Lot.objects.filter(
            sales_point=sales_point, product__in=list(ctx.products.values())
        )
        ctx.lots = {(lot.product_id, lot.code): lot for lot in lots}
    for position, row in enumerate(rows, start=2):
        _plan_row(ctx, row, getattr(row, "number", position))
    plan.errors.sort(key=lambda error: (error.row or 0, error.column))
    if plan.errors:
        plan.changes = []
    return plan


@dataclass
class _Context:
    plan: ImportPlan
    columns: dict[str, str]
    products: dict[str, Product] = field(default_factory=dict)
    records: dict[int, StockRecord] = field(default_factory=dict)
    balances: dict[int, int] = field(default_factory=dict)  # after the rows so far
    lots: dict[tuple[int, str], Lot] = field(default_factory=dict)
    seen: dict[tuple, int] = field(default_factory=dict)  # product (and lot) -> row

    def cell(self, row: dict, name: str) -> str:
        if name not in self.columns:
            return ""
        return str(row.get(self.columns[name]) or "").strip()


def _plan_row(ctx: _Context, row: dict, number: int) -> None:
    plan, columns, kind = ctx.plan, ctx.columns, ctx.plan.kind
    errors_before = len(plan.errors)
    error = functools.partial(plan.add_error, number)

    if row.get(None):
        error(
            "—",
            _(
                "This row has more cells than the header has columns: a decimal "
                "comma, or a separator inside a cell without quotes?"
            ),
            "extra_cells",
        )
    outlet = ctx.cell(row, "outlet")
    if outlet and outlet.casefold() != plan.sales_point.code.casefold():
        error(
            columns["outlet"],
            _(
                "This row is for outlet “%(other)s”; you are importing into “%(outlet)s”."
            )
            % {"other": outlet, "outlet": plan.sales_point.code},
            "other_outlet",
        )
    quantity_column = columns["quantity" if kind == RECEIPT else "counted"]
    quantity, problem = _quantity(
        str(row.get(quantity_column) or ""), zero_ok=kind == COUNT
    )
    if problem:
        error(quantity_column, problem, "quantity")
    product = _product(ctx, row, error)
    lot, harvested_on, best_before = "", None, None
    if kind == RECEIPT:
        lot, harvested_on, best_before = _lot(ctx, row, product, error)
    if product is None:
        return

    key = (product.pk, lot.casefold()) if kind == RECEIPT else (product.pk,)
    if key in ctx.seen:
        error(
            columns["code"],
            _("%(product)s is already on row %(row)s.")
            % {"product": product.get_title(), "row": ctx.seen[key]},
            "duplicate",
        )
    else:
        ctx.seen[key] = number
    record = ctx.records.get(product.pk)
    # As the services decide: receipts need a certificate in force; a count only
    # when it puts a product the outlet never stocked on its shelves.
    if kind == RECEIPT or (record is None and quantity):
        if problem := product_certification_problem(product):
            error(columns["code"], f"{product.get_title()}: {problem}", "not_certified")
    held = (record.num_allocated or 0) if record else 0
    if kind == COUNT and quantity is not None and quantity < held:
        error(
            quantity_column,
            _("%(n)s units are held for online orders: the count cannot be lower.")
            % {"n": held},
            "held",
        )
    if len(plan.errors) > errors_before:
        return
    now = ctx.balances.get(product.pk, 0)
    after = now + quantity if kind == RECEIPT else quantity
    ctx.balances[product.pk] = after
    plan.changes.append(
        PlannedChange(
            row=number,
            product=product,
            now=now,
            after=after,
            lot=lot,
            harvested_on=harvested_on,
            best_before=best_before,
        )
    )


def _product(ctx: _Context, row: dict, error) -> Product | None:
    column, code = ctx.columns["code"], ctx.cell(row, "code")
    product = ctx.products.get(code)
    if not code:
        error(column, _("The product code is missing."), "unknown_code")
    elif product is None:
        message = _("No product has the code “%(code)s”.") % {"code": code}
        if re.fullmatch(r"\d+(?:[.,]\d+)?E\+?\d+", code, re.IGNORECASE):
            message += " " + _(
                "Excel wrote a long number in scientific notation: format the code "
                "column as text."
            )
        error(column, message, "unknown_code")
    elif product.is_parent:
        error(
            column,
            _("%(product)s has variants: import each variant's code.")
            % {"product": product.get_title()},
            "unknown_code",
        )
        return None
    return product


def _lot(ctx: _Context, row: dict, product, error) -> tuple:
    """The lot code and its dates, checked as stock_receive will check them."""
    columns = ctx.columns
    lot = ctx.cell(row, "lot")
    dates = {}
    for name in ("harvested_on", "best_before"):
        value = ctx.cell(row, name)
        try:
            dates[name] = _date(value)
        except ValueError:
            dates[name] = None
            error(
                columns[name],
                _("Write dates as 2025-12-31 or 31/12/2025, not “%(value)s”.")
                % {"value": value},
                "date",
            )
    harvested_on, best_before = dates["harvested_on"], dates["best_before"]
    if len(lot) > MAX_LOT_LENGTH:
        error(
            columns["lot"],
            _("A lot code has at most %(n)s characters.") % {"n": MAX_LOT_LENGTH},
            "lot",
        )
    if not lot and (harvested_on or best_before):
        error(
            columns["harvested_on" if harvested_on else "best_before"],
            _("Dates belong to a lot: give the lot code too."),
            "lot",
        )
    if harvested_on and best_before and best_before < harvested_on:
        error(
            columns["best_before"],
            _("Best-before cannot be earlier than the harvest date."),
            "date",
        )
    known = ctx.lots.get((product.pk, lot)) if product and lot else None
    dates_given = (harvested_on, best_before)
    dated = dates_given != (None, None)
    if known and dated and (known.harvested_on, known.best_before) != dates_given:
        error(
            columns["lot"],
            _("Lot %(code)s is already recorded with other dates.") % {"code": lot},
            "lot",
        )
    return lot, harvested_on, best_before


# --- Applying ----------------------------------------------------------------------


class _RowFailed(Exception):
    def __init__(self, row: int | None, error: StockError):
        super().__init__(str(error))
        self.row, self.error = row, error


def import_reference(token: str | None = None) -> str:
    """How the movements of one import are found again: `import:<id>`."""
    return f"import:{(token or uuid.uuid4().hex)[:12]}"


def import_apply(
    *, sales_point: SalesPoint, kind: str, rows: list[dict], user=None,
    filename: str = "", reference: str = "", expected: str = "",
) -> ImportPlan:  # fmt: skip
    """Check again and, when no row is wrong, write every row; else write nothing.

    `expected` is the fingerprint of the plan the user confirmed: if the stock moved
    since (a sale, another import), nothing is written and the new plan comes back
    with an error, to be previewed again. `reference` (default: a new
    `import:<id>`) marks the movements; an import whose reference is already in the
    ledger is refused, so a double-posted confirmation writes once."""
    reference = reference or import_reference()
    reason = _("CSV import %(file)s") % {"file": filename or "-"}
    reason = reason[: StockMovement._meta.get_field("reason").max_length]
    try:
        with transaction.atomic():
            plan = _plan(sales_point=sales_point, kind=kind, rows=rows, lock=True)
            plan.reference = reference
            if plan.errors:
                return plan
            if _already_imported(sales_point, reference):
                plan.add_error(
                    None, "", _("This file has already been imported."), "imported"
                )
                return plan
            if expected and expected != plan.fingerprint:
                plan.add_error(
                    None,
                    "",
                    _(
                        "The stock changed since the preview. Check the new preview "
                        "and confirm again."
                    ),
                    "stale",
                )
                return plan
            plan.movements = _write(plan, user=user, reason=reason)
    except _RowFailed as failed:  # the transaction is rolled back: nothing written
        plan.movements = []
        plan.add_error(failed.row, "", failed.error, "refused")
    return plan


def _already_imported(sales_point: SalesPoint, reference: str) -> bool:
    return StockMovement.objects.filter(
        reference=reference, sales_point=sales_point
    ).exists()


def _write(plan: ImportPlan, *, user, reason: str) -> list[StockMovement]:
    if plan.kind == COUNT:
        try:
            return services.stock_count(
                sales_point=plan.sales_point,
                counted={c.product.pk: c.after for c in plan.changes},
                user=user,
                reason=reason,
                reference=plan.reference,
            )
        except StockError as error:
            raise _RowFailed(None, error) from error
    movements = []
    for change in plan.changes:
        try:
            movements.append(
                services.stock_receive(
                    sales_point=plan.sales_point,
                    product=change.product,
                    quantity=change.delta,
                    user=user,
                    reason=reason,
                    reference=plan.reference,
                    lot_code=change.lot,
                    harvested_on=change.harvested_on,
                    best_before=change.best_before,
                )
            )
        except StockError as error:
            raise _RowFailed(change.row, error) from error
    return movements


def import_template(*, sales_point: SalesPoint, kind: str) -> str:
    """A CSV to fill in: a count sheet lists what the outlet stocks now."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS[kind])
    if kind == COUNT:
        records = (
            StockRecord.objects.filter(partner_id=sales_point.partner_id)
            .exclude(product__upc=None)
            .exclude(product__upc="")
            .select_related("product")
            .order_by("product__title", "pk")
        )
        for record in records:
            writer.writerow([record.product.upc, record.product.get_title(), ""])
    return out.getvalue()
