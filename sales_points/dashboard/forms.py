"""Forms of the outlet staff pages. They validate input and say which products may be
chosen; the views hand the cleaned data to sales_points.services, whose StockError
messages come back on these forms.

Product choices are the outlet's stock records (valued by product id), except for
receiving goods, where any product certified right now may come in."""

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.selectors import products_certified
from sales_points import alerts
from sales_points.models import CounterSale, SalesPoint, StockMovement, Transfer
from shop.text import slugify_vietnamese

Product = get_model("catalogue", "Product")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Phones open the number pad for these.
NUMBER_INPUT = forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})


def product_search(text: str, prefix: str = "product__") -> Q:
    """Title (either language), barcode, or the title without diacritics (the slug):
    "tra tan cuong" finds "Trà Tân Cương"."""
    text = text.strip()
    condition = (
        Q(**{f"{prefix}title__icontains": text})
        | Q(**{f"{prefix}title_en__icontains": text})
        | Q(**{f"{prefix}upc__icontains": text})
    )
    if folded := slugify_vietnamese(text):
        condition |= Q(**{f"{prefix}slug__icontains": folded})
    return condition


def receivable_products() -> QuerySet:
    """What an outlet may receive: products certified right now."""
    return products_certified(
        Product.objects.exclude(structure=Product.PARENT)
    ).order_by("title", "pk")


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, product):
        if product.upc:
            return f"{product.get_title()} · {product.upc}"
        return product.get_title()


def stock_label(record) -> str:
    free = (record.num_in_stock or 0) - (record.num_allocated or 0)
    title = record.product.get_title()
    if record.product.upc:
        title = f"{title} · {record.product.upc}"
    return _("%(title)s (%(free)s free)") % {"title": title, "free": free}


class StockChoiceField(forms.ModelChoiceField):
    """A product the outlet holds, chosen through its stock record: the value is the
    product id, the cleaned value the stock record."""

    def __init__(self, records: QuerySet, **kwargs):
        kwargs.setdefault("label", _("Product"))
        kwargs.setdefault("empty_label", _("Choose a product"))
        super().__init__(queryset=records, to_field_name="product_id", **kwargs)

    def label_from_instance(self, record):
        return stock_label(record)


class StockChoices:
    """The outlet's stock records read once for a whole formset of lines (a model
    choice field would query again for every row it renders)."""

    def __init__(self, records: QuerySet):
        self.records = {record.product_id: record for record in records}
        self.choices = [
            ("", _("Choose a product")),
            *((pid, stock_label(record)) for pid, record in self.records.items()),
        ]


class BarcodeMixin:
    """A product is chosen from the list or by scanning (typing) its barcode; the
    barcode wins when both are given."""

    barcode_error = _("No product here has this barcode.")

    def product_by_barcode(self, choices: QuerySet, barcode: str, lookup: str):
        found = choices.filter(**{lookup: barcode}).first()
        if found is None:
            self.add_error("barcode", self.barcode_error)
        return found

    def clean(self):
        cleaned = super().clean()
        barcode = (cleaned.get("barcode") or "").strip()
        if barcode:
            field = self.fields["product"]
            lookup = "product__upc" if isinstance(field, StockChoiceField) else "upc"
            found = self.product_by_barcode(field.queryset, barcode, lookup)
            if found is not None:
                cleaned["product"] = found
                self.errors.pop("product", None)
        elif not cleaned.get("product") and "product" not in self.errors:
            self.add_error("product", _("Choose a product or scan its barcode."))
        return cleaned


BARCODE_FIELD = {
    "required": False,
    "max_length": 64,
    "label": _("or barcode"),
    "widget": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
}


class ReceiveForm(BarcodeMixin, forms.Form):
    barcode_error = _("No product certified right now has this barcode.")

    product = ProductChoiceField(
        queryset=Product.objects.none(),
        required=False,
        label=_("Product"),
        empty_label=_("Choose a product"),
    )
    barcode = forms.CharField(**BARCODE_FIELD)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, widget=NUMBER_INPUT)
    reference = forms.CharField(label=_("Delivery note"), max_length=64, required=False)
    lot_code = forms.CharField(label=_("Lot"), max_length=64, required=False)
    harvested_on = forms.DateField(
        label=_("Harvest date"), required=False, widget=DATE_INPUT
    )
    best_before = forms.DateField(
        label=_("Best before"), required=False, widget=DATE_INPUT
    )
    reason = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = receivable_products()


class WriteOffForm(BarcodeMixin, forms.Form):
    barcode = forms.CharField(**BARCODE_FIELD)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, widget=NUMBER_INPUT)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Damaged, expired, spoiled…"),
    )

    def __init__(self, *args, records: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"] = StockChoiceField(records, required=False)
        self.order_fields(["product", "barcode"])


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label=_("Low-stock threshold"),
        min_value=0,
        required=False,
        widget=NUMBER_INPUT,
    )

    def __init__(self, *args, records: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threshold"].help_text = _(
            "Leave empty for the network default (%(n)s)."
        ) % {"n": alerts.low_stock_threshold_default()}
        self.fields["product"] = StockChoiceField(records)
        self.order_fields(["product", "threshold"])


# --- Lines of a sale or a transfer ---------------------------------------------------


class LineForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=0, required=False, widget=NUMBER_INPUT
    )

    def __init__(self, *args, stock: StockChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"] = forms.TypedChoiceField(
            label=_("Product"), choices=stock.choices, coerce=int, required=False,
            empty_value=None,
        )  # fmt: skip
        self.order_fields(["product", "quantity"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and cleaned.get("quantity") is None:
            cleaned["quantity"] = 1
        return cleaned


LINES_PREFIX = "lines"


def line_formset(
    stock: StockChoices, data=None, lines: dict[int, int] | None = None, extra=1
):
    """Bound to the posted lines, or unbound showing `lines` and `extra` blank rows."""
    formset_class = forms.formset_factory(LineForm, extra=extra)
    if data is not None:
        return formset_class(data, prefix=LINES_PREFIX, form_kwargs={"stock": stock})
    initial = [{"product": pid, "quantity": qty} for pid, qty in (lines or {}).items()]
    return formset_class(
        initial=initial, prefix=LINES_PREFIX, form_kwargs={"stock": stock}
    )


def formset_lines(formset) -> dict[int, int]:
    """{product_id: quantity} of the rows that are valid and name a product; a product
    on two rows adds up, quantity 0 removes it."""
    lines: dict[int, int] = {}
    if not formset.management_form.is_valid():
        return lines
    for form in formset.forms:
        if not form.is_valid() or not form.cleaned_data.get("product"):
            continue
        product_id = form.cleaned_data["product"]
        lines[product_id] = lines.get(product_id, 0) + form.cleaned_data["quantity"]
    return {pid: qty for pid, qty in lines.items() if qty > 0}


class CounterSaleForm(forms.Form):
    lookup = forms.CharField(
        label=_("Barcode or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autofocus": True,
                "placeholder": _("Scan or type, then Enter"),
            }
        ),
    )
    payment = forms.ChoiceField(
        label=_("Payment"),
        choices=CounterSale.Payment.choices,
        initial=CounterSale.Payment.CASH,
        widget=forms.RadioSelect,
    )


class TransferSendForm(forms.Form):
    destination = forms.ModelChoiceField(
        queryset=SalesPoint.objects.none(),
        label=_("To outlet"),
        empty_label=_("Choose an outlet"),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, source: SalesPoint, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff may send to any open outlet, though they see only their own stock.
        self.fields["destination"].queryset = SalesPoint.objects.filter(
            is_active=True
        ).exclude(pk=source.pk)


class TransferReceiveForm(forms.Form):
    """One field per line, named by product id, from 0 to what was sent."""

    prefix = "received"

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[str(line.product_id)] = forms.IntegerField(
                label=escape(line.product.get_title()),  # Oscar prints labels |safe
                min_value=0,
                max_value=line.quantity_sent,
                initial=line.quantity_sent,
                widget=NUMBER_INPUT,
            )

    def received(self) -> dict[int, int]:
        return {int(name): value for name, value in self.cleaned_data.items()}


class ReturnForm(forms.Form):
    """What a customer brings back from a receipt: per line up to what may still come
    back."""

    prefix = "return"
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, sale: CounterSale, **kwargs):
        super().__init__(*args, **kwargs)
        for line in sale.lines.all():
            returnable = line.quantity - line.quantity_returned
            if returnable > 0:
                self.fields[str(line.product_id)] = forms.IntegerField(
                    label=escape(line.product.get_title()),
                    min_value=0,
                    max_value=returnable,
                    required=False,
                    widget=NUMBER_INPUT,
                )
        self.order_fields([name for name in self.fields if name != "reason"])

    def returned(self) -> dict[int, int]:
        return {
            int(name): value
            for name, value in self.cleaned_data.items()
            if name != "reason" and value
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.returned():
            raise forms.ValidationError(_("Give the quantity that comes back."))
        return cleaned


class CountForm(forms.Form):
    """A counted quantity per stock record (blank: not counted) and, hidden, the stock
    level the preview showed, so a confirmation does not apply a stale preview."""

    prefix = "count"

    reason = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {record.product_id: record for record in records}
        for product_id in self.records:
            self.fields[str(product_id)] = forms.IntegerField(
                min_value=0, required=False, widget=NUMBER_INPUT
            )
            self.fields[f"{product_id}-expected"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )

    def counted(self) -> dict[int, int]:
        return {
            product_id: self.cleaned_data[str(product_id)]
            for product_id in self.records
            if self.cleaned_data.get(str(product_id)) is not None
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.counted():
            raise forms.ValidationError(
                _("Enter the quantity of at least one product.")
            )
        return cleaned

    def expected(self) -> dict[int, int]:
        """The levels the preview showed, for the counted products."""
        return {
            product_id: self.cleaned_data.get(f"{product_id}-expected")
            for product_id in self.counted()
        }

    def stale(self) -> list[int]:
        """Products whose stock changed since the preview (or had no preview)."""
        return [
            product_id
            for product_id in self.counted()
            if self.cleaned_data.get(f"{product_id}-expected")
            != self.records[product_id].num_in_stock
        ]

    def rows(self):
        """(record, counted field, expected field) for the template."""
        return [
            (record, self[str(product_id)], self[f"{product_id}-expected"])
            for product_id, record in self.records.items()
        ]


# --- Filters (GET forms: a bad value is shown and ignored) ---------------------------


class StockFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, code or barcode"), required=False, max_length=100
    )
    low = forms.BooleanField(label=_("Low stock only"), required=False)

    def filter(self, records: QuerySet) -> QuerySet:
        if not self.is_valid():
            return records
        if q := self.cleaned_data["q"].strip():
            records = records.filter(product_search(q) | Q(partner_sku__icontains=q))
        if self.cleaned_data["low"]:
            records = records.filter(is_low=1)
        return records


class MovementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *StockMovement.Kind.choices],
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, records: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"] = StockChoiceField(
            records, required=False, empty_label=_("All products")
        )
        self.order_fields(["kind", "product"])

    def filter(self, movements: QuerySet) -> QuerySet:
        if not self.is_valid():
            return movements
        data = self.cleaned_data
        if data["kind"]:
            movements = movements.filter(kind=data["kind"])
        if data["product"]:
            movements = movements.filter(product_id=data["product"].product_id)
        if reference := data["reference"].strip():
            movements = movements.filter(reference__icontains=reference)
        if data["date_from"]:
            movements = movements.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            movements = movements.filter(created_at__date__lte=data["date_to"])
        return movements


class TransferFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", _("Sent and incoming")),
            ("in", _("Incoming")),
            ("out", _("Sent")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Transfer.Status.choices],
    )

    def filter(self, transfers: QuerySet, outlet: SalesPoint) -> QuerySet:
        transfers = transfers.filter(Q(source=outlet) | Q(destination=outlet))
        if not self.is_valid():
            return transfers
        if self.cleaned_data["direction"] == "in":
            transfers = transfers.filter(destination=outlet)
        elif self.cleaned_data["direction"] == "out":
            transfers = transfers.filter(source=outlet)
        if self.cleaned_data["status"]:
            transfers = transfers.filter(status=self.cleaned_data["status"])
        return transfers


class ReceiptFilterForm(forms.Form):
    q = forms.CharField(label=_("Receipt number"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def filter(self, sales: QuerySet) -> QuerySet:
        if not self.is_valid():
            return sales
        data = self.cleaned_data
        if q := data["q"].strip():
            sales = sales.filter(receipt_number__icontains=q)
        if data["date_from"]:
            sales = sales.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            sales = sales.filter(created_at__date__lte=data["date_to"])
        return sales


class ReportPeriodForm(forms.Form):
    """The period of the reports: this month so far unless told otherwise."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        start, end = today.replace(day=1), today
        if self.is_valid():
            start = self.cleaned_data["date_from"] or start
            end = self.cleaned_data["date_to"] or max(end, start)
        return start, end
