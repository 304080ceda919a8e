"""The outlet staff pages. Thin: sales_points.permissions says which outlet, stock,
movements, sales and transfers the user may see (anything else is a 404, before any
form is read), the forms validate, sales_points.services makes every change."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import generic

from sales_points import alerts, permissions, services
from sales_points.dashboard import forms, reports
from sales_points.exceptions import StockError
from sales_points.models import CounterSaleLine, StockMovement, Transfer

PAGE_SIZE = 25


class OutletAccessMixin(AccessMixin):
    """Anonymous visitors go to the dashboard login; signed-in users who work at no
    outlet get 403; an outlet code (or a transfer or receipt) that is not theirs is a
    404. All of it before the view reads a form or changes anything."""

    login_url = reverse_lazy("dashboard:login")
    # What the dashboard menu reads (catalogue.dashboard.nav); the gate is dispatch().
    permission_required = "sales_points.view_salespoint"
    section = ""
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.is_outlet_worker(request.user):
            raise PermissionDenied
        if "code" in kwargs:
            self.outlet = permissions.outlet_for(request.user, kwargs["code"])
            self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self) -> None:
        """Look up the transfer or receipt in the URL (404 if not the outlet's) before
        the method is dispatched: a guessed number is a 404 whatever the method."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        context.setdefault("page_title", self.title)
        if hasattr(self, "outlet"):
            context["outlet"] = self.outlet
        return context

    # Everything below is narrowed by sales_points.permissions, then to the outlet.

    def records(self):
        return (
            permissions.stockrecords_for(self.request.user)
            .filter(partner__sales_point=self.outlet)
            .select_related("product")
            .order_by("product__title", "pk")
        )

    def movements(self):
        return permissions.movements_for(self.request.user).filter(
            sales_point=self.outlet
        )

    def sales(self):
        return permissions.counter_sales_for(self.request.user).filter(
            sales_point=self.outlet
        )

    def transfers(self):
        return permissions.transfers_for(self.request.user).filter(
            Q(source=self.outlet) | Q(destination=self.outlet)
        )

    def outlet_url(self, name: str, **kwargs) -> str:
        return reverse(
            f"outlet-dashboard:{name}", kwargs={"code": self.outlet.code, **kwargs}
        )


class ServiceFormView(OutletAccessMixin, generic.FormView):
    """A form whose valid data goes to one service; the service's StockError comes back
    as a form error and nothing is changed."""

    template_name = "sales_points/dashboard/form.html"
    intro = ""
    success_section = "stock"

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, form, result) -> str:
        return ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except StockError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if message := self.success_message(form, result):
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.outlet_url(self.success_section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, **kwargs)


# --- Outlets and stock ---------------------------------------------------------------


class OutletListView(OutletAccessMixin, generic.ListView):
    """The outlets the user works at; a single one opens straight away."""

    template_name = "sales_points/dashboard/outlet_list.html"
    context_object_name = "outlets"
    paginate_by = PAGE_SIZE
    title = _("Outlets")

    def get(self, request, *args, **kwargs):
        outlets = list(permissions.outlets_for(request.user)[:2])
        if len(outlets) == 1:
            return redirect("outlet-dashboard:stock", code=outlets[0].code)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        outlets = permissions.outlets_for(self.request.user).annotate(
            incoming=Count(
                "transfers_in",
                filter=Q(transfers_in__status=Transfer.Status.IN_TRANSIT),
            )
        )
        if q := self.request.GET.get("q", "").strip():
            outlets = outlets.filter(
                Q(code__icontains=q) | Q(name_vi__icontains=q) | Q(name_en__icontains=q)
            )
        return outlets.order_by("code")


class StockListView(OutletAccessMixin, generic.ListView):
    """My stock: search by name, code or barcode; low stock highlighted, filterable."""

    template_name = "sales_points/dashboard/stock_list.html"
    context_object_name = "records"
    paginate_by = PAGE_SIZE
    section = "stock"

    def get_queryset(self):
        self.form = forms.StockFilterForm(self.request.GET or None)
        return self.form.filter(alerts.stock_levels(self.records()))

    def get_context_data(self, **kwargs):
        levels = alerts.stock_levels(self.records())
        incoming = self.transfers().filter(
            destination=self.outlet, status=Transfer.Status.IN_TRANSIT
        )
        return super().get_context_data(
            form=self.form,
            is_filtered=any(self.request.GET.get(name) for name in self.form.fields),
            low_count=levels.filter(is_low=1).count(),
            incoming_count=incoming.count(),
            default_threshold=alerts.low_stock_threshold_default(),
            **kwargs,
        )


class ReceiveView(ServiceFormView):
    form_class = forms.ReceiveForm
    section = "receive"
    title = _("Receive goods")
    intro = _("Only products with an OCOP certificate in force can be received.")

    def get_initial(self):
        return {"product": self.request.GET.get("product")}

    def perform(self, form):
        data = form.cleaned_data
        return services.stock_receive(
            sales_point=self.outlet, product=data["product"], quantity=data["quantity"],
            user=self.request.user, reason=data["reason"], reference=data["reference"],
            lot_code=data["lot_code"].strip(), harvested_on=data["harvested_on"],
            best_before=data["best_before"],
        )  # fmt: skip

    def success_message(self, form, movement):
        return _("%(n)s × %(product)s received; %(balance)s in stock.") % {
            "n": movement.delta,
            "product": form.cleaned_data["product"].get_title(),
            "balance": movement.balance_after,
        }

    def get_success_url(self):
        return self.outlet_url("receive")  # deliveries come several products at once


class WriteOffView(ServiceFormView):
    form_class = forms.WriteOffForm
    section = "stock"
    title = _("Write off damaged or expired goods")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "records": self.records()}

    def get_initial(self):
        return {"product": self.request.GET.get("product")}

    def perform(self, form):
        data = form.cleaned_data
        return services.stock_write_off(
            sales_point=self.outlet, product_id=data["product"].product_id,
            quantity=data["quantity"], reason=data["reason"], user=self.request.user,
        )  # fmt: skip

    def success_message(self, form, movement):
        return _("%(n)s × %(product)s written off; %(balance)s in stock.") % {
            "n": -movement.delta,
            "product": form.cleaned_data["product"].product.get_title(),
            "balance": movement.balance_after,
        }


class ThresholdView(ServiceFormView):
    form_class = forms.ThresholdForm
    section = "stock"
    title = _("Low-stock threshold")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "records": self.records()}

    def get_initial(self):
        product_id = self.request.GET.get("product", "")
        record = None
        if product_id.isdigit():
            record = self.records().filter(product_id=product_id).first()
        if record is None:
            return {}
        return {"product": record.product_id, "threshold": record.low_stock_threshold}

    def perform(self, form):
        return services.stock_threshold_set(
            sales_point=self.outlet,
            product_id=form.cleaned_data["product"].product_id,
            threshold=form.cleaned_data["threshold"],
        )

    def success_message(self, form, record):
        threshold = record.low_stock_threshold
        if threshold is None:
            threshold = _("the network default (%(n)s)") % {
                "n": alerts.low_stock_threshold_default()
            }
        return _("%(product)s is low at %(threshold)s or fewer free to sell.") % {
            "product": record.product.get_title(),
            "threshold": threshold,
        }


# --- Counter sales -------------------------------------------------------------------


class CounterSaleView(OutletAccessMixin, generic.TemplateView):
    """Quick entry by barcode or name, several lines, running total, payment kind.

    Without JavaScript every button posts here: "add" looks the barcode or name up and
    shows the lines again with their total; "record" sells. counter.js adds a scanned
    line and keeps the total without a round trip."""

    template_name = "sales_points/dashboard/sell.html"
    section = "sell"
    title = _("Counter sale")
    max_matches = 10

    def get(self, request, *args, **kwargs):
        stock = forms.StockChoices(self.records())
        return self.render(stock, forms.line_formset(stock), forms.CounterSaleForm())

    def post(self, request, *args, **kwargs):
        stock = forms.StockChoices(self.records())
        formset = forms.line_formset(stock, data=request.POST)
        form = forms.CounterSaleForm(request.POST)
        lines = forms.formset_lines(formset)
        if request.POST.get("action") == "record":
            return self.record(stock, formset, form, lines)
        matches = []
        if product_id := request.POST.get("add_product", ""):
            if product_id.isdigit() and int(product_id) in stock.records:
                lines[int(product_id)] = lines.get(int(product_id), 0) + 1
        elif text := request.POST.get("lookup", "").strip()[:100]:
            matches = self.lookup(text)
            if len(matches) == 1:
                product_id = matches[0].product_id
                lines[product_id] = lines.get(product_id, 0) + 1
                matches = []
            elif not matches:
                messages.warning(
                    request,
                    _("Nothing in this outlet's stock matches “%(text)s”.")
                    % {"text": text},
                )
        fresh = forms.CounterSaleForm(
            initial={"payment": request.POST.get("payment") or "cash"}
        )
        formset = forms.line_formset(stock, lines=lines)
        return self.render(stock, formset, fresh, matches)

    def lookup(self, text: str) -> list:
        """The stock record with this barcode, or those whose name matches."""
        records = self.records()
        exact = list(records.filter(product__upc=text)[:2])
        if len(exact) == 1:
            return exact
        return list(records.filter(forms.product_search(text))[: self.max_matches])

    def record(self, stock, formset, form, lines):
        if formset.is_valid() and form.is_valid():
            if not lines:
                form.add_error(None, _("Add at least one product."))
            else:
                try:
                    sale = services.counter_sale_record(
                        sales_point=self.outlet,
                        lines=lines,
                        payment=form.cleaned_data["payment"],
                        user=self.request.user,
                    )
                except StockError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        self.request,
                        _("Sale recorded: receipt %(number)s.")
                        % {"number": sale.receipt_number},
                    )
                    return redirect(
                        self.outlet_url(
                            "receipt-detail", receipt_number=sale.receipt_number
                        )
                    )
        return self.render(stock, formset, form)

    def render(self, stock, formset, form, matches=()):
        records = stock.records
        total = 0
        for line in formset.forms:
            value = line["product"].value()
            line.record = records.get(int(value)) if str(value).isdigit() else None
            quantity = line["quantity"].value()
            line.line_total = None
            if (
                line.record
                and line.record.price is not None
                and str(quantity).isdigit()
            ):
                line.line_total = line.record.price * int(quantity)
                total += line.line_total
        catalogue = [
            {
                "id": record.product_id,
                "upc": record.product.upc or "",
                "title": record.product.get_title(),
                "price": int(record.price) if record.price is not None else None,
                "free": (record.num_in_stock or 0) - (record.num_allocated or 0),
            }
            for record in records.values()
        ]
        return self.render_to_response(
            self.get_context_data(
                formset=formset, form=form, matches=matches, total=total,
                catalogue=catalogue, currency=settings.OSCAR_DEFAULT_CURRENCY,
            )
        )  # fmt: skip


class ReceiptListView(OutletAccessMixin, generic.ListView):
    template_name = "sales_points/dashboard/receipt_list.html"
    context_object_name = "sales"
    paginate_by = PAGE_SIZE
    section = "receipts"
    title = _("Receipts")

    def get_queryset(self):
        self.form = forms.ReceiptFilterForm(self.request.GET or None)
        return (
            self.form.filter(self.sales())
            .select_related("user")
            .annotate(units=Sum("lines__quantity"))
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)


class ReceiptMixin(OutletAccessMixin):
    """One receipt of the outlet in the URL."""

    template_name = "sales_points/dashboard/receipt_detail.html"
    section = "receipts"

    def load_objects(self):
        self.sale  # noqa: B018

    @cached_property
    def sale(self):
        return get_object_or_404(
            self.sales()
            .select_related("sales_point", "user")
            .prefetch_related(
                Prefetch(
                    "lines", queryset=CounterSaleLine.objects.select_related("product")
                )
            ),
            receipt_number=self.kwargs["receipt_number"],
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("return_form", forms.ReturnForm(sale=self.sale))
        return super().get_context_data(
            sale=self.sale,
            lines=self.sale.lines.all(),
            page_title=_("Receipt %(number)s") % {"number": self.sale.receipt_number},
            **kwargs,
        )


class ReceiptDetailView(ReceiptMixin, generic.TemplateView):
    """The printable receipt, and the form for goods brought back."""


class ReceiptReturnView(ReceiptMixin, generic.FormView):
    form_class = forms.ReturnForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sale": self.sale}

    def get_context_data(self, **kwargs):
        kwargs["form"] = kwargs["return_form"] = kwargs.get("form") or self.get_form()
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            services.counter_sale_return(
                sale=self.sale,
                lines=form.returned(),
                reason=form.cleaned_data["reason"],
                user=self.request.user,
            )
        except StockError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Return recorded on receipt %(number)s; the goods are back in stock.")
            % {"number": self.sale.receipt_number},
        )
        return redirect(
            self.outlet_url("receipt-detail", receipt_number=self.sale.receipt_number)
        )


# --- Transfers -----------------------------------------------------------------------


class TransferListView(OutletAccessMixin, generic.ListView):
    template_name = "sales_points/dashboard/transfer_list.html"
    context_object_name = "transfers"
    paginate_by = PAGE_SIZE
    section = "transfers"
    title = _("Transfers")

    def get_queryset(self):
        self.form = forms.TransferFilterForm(self.request.GET or None)
        return (
            self.form.filter(self.transfers(), self.outlet)
            .select_related("source", "destination")
            .annotate(units=Sum("lines__quantity_sent"))
            .order_by("-sent_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        to_receive = (
            self.transfers()
            .filter(destination=self.outlet, status=Transfer.Status.IN_TRANSIT)
            .select_related("source")
            .annotate(units=Sum("lines__quantity_sent"))
            .order_by("sent_at", "pk")
        )
        return super().get_context_data(form=self.form, to_receive=to_receive, **kwargs)


class TransferSendView(OutletAccessMixin, generic.TemplateView):
    """Send goods to another outlet: destination, lines, note."""

    template_name = "sales_points/dashboard/transfer_send.html"
    section = "transfers"
    title = _("Send a transfer")
    blank_rows = 3

    def get(self, request, *args, **kwargs):
        stock = forms.StockChoices(self.records())
        return self.render(
            forms.TransferSendForm(source=self.outlet),
            forms.line_formset(stock, extra=self.blank_rows),
        )

    def post(self, request, *args, **kwargs):
        stock = forms.StockChoices(self.records())
        form = forms.TransferSendForm(request.POST, source=self.outlet)
        formset = forms.line_formset(stock, data=request.POST)
        lines = forms.formset_lines(formset)
        if request.POST.get("action") != "send":  # "more lines": no errors yet
            unbound = forms.TransferSendForm(
                source=self.outlet,
                initial={key: request.POST.get(key) for key in form.fields},
            )
            more = forms.line_formset(stock, lines=lines, extra=self.blank_rows)
            return self.render(unbound, more)
        if form.is_valid() and formset.is_valid():
            if not lines:
                form.add_error(None, _("Add at least one product."))
                return self.render(form, formset)
            try:
                transfer = services.transfer_send(
                    source=self.outlet, destination=form.cleaned_data["destination"],
                    lines=lines, user=request.user, note=form.cleaned_data["note"],
                )  # fmt: skip
            except StockError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Transfer %(number)s sent to %(outlet)s.")
                    % {"number": transfer.number, "outlet": transfer.destination.name},
                )
                return redirect(
                    self.outlet_url("transfer-detail", number=transfer.number)
                )
        return self.render(form, formset)

    def render(self, form, formset):
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset)
        )


class TransferMixin(OutletAccessMixin):
    """One transfer the outlet in the URL sent or is to receive."""

    template_name = "sales_points/dashboard/transfer_detail.html"
    section = "transfers"

    def load_objects(self):
        self.transfer  # noqa: B018

    @cached_property
    def transfer(self) -> Transfer:
        return get_object_or_404(
            self.transfers().select_related(
                "source", "destination", "sent_by", "closed_by"
            ),
            number=self.kwargs["number"],
        )

    @cached_property
    def lines(self):
        return list(self.transfer.lines.select_related("product"))

    @property
    def receives_here(self) -> bool:
        return self.transfer.destination_id == self.outlet.pk and (
            permissions.can_receive(self.request.user, self.transfer)
        )

    @property
    def cancels_here(self) -> bool:
        return self.transfer.source_id == self.outlet.pk and (
            permissions.can_cancel(self.request.user, self.transfer)
        )

    def get_context_data(self, **kwargs):
        in_transit = self.transfer.status == Transfer.Status.IN_TRANSIT
        may_receive = in_transit and self.receives_here
        if may_receive:
            kwargs.setdefault(
                "receive_form", forms.TransferReceiveForm(lines=self.lines)
            )
        return super().get_context_data(
            transfer=self.transfer,
            lines=self.lines,
            may_receive=may_receive,
            may_cancel=in_transit and self.cancels_here,
            incoming=self.transfer.destination_id == self.outlet.pk,
            page_title=_("Transfer %(number)s") % {"number": self.transfer.number},
            **kwargs,
        )


class TransferDetailView(TransferMixin, generic.TemplateView):
    pass


class TransferReceiveView(TransferMixin, generic.FormView):
    """The destination confirms what arrived, a quantity per line."""

    form_class = forms.TransferReceiveForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "lines": self.lines}

    def post(self, request, *args, **kwargs):
        if not self.receives_here:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["form"] = kwargs["receive_form"] = kwargs.get("form") or self.get_form()
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            transfer = services.transfer_receive(
                transfer=self.transfer, received=form.received(), user=self.request.user
            )
        except StockError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        missing = sum(
            line.quantity_sent - (line.quantity_received or 0)
            for line in transfer.lines.all()
        )
        if missing:
            messages.warning(
                self.request,
                _("Transfer %(number)s received with %(n)s units missing.")
                % {"number": transfer.number, "n": missing},
            )
        else:
            messages.success(
                self.request,
                _("Transfer %(number)s received in full.")
                % {"number": transfer.number},
            )
        return redirect(self.outlet_url("transfer-detail", number=transfer.number))


class TransferCancelView(TransferMixin, generic.TemplateView):
    """The sender calls a transfer back; GET asks to confirm."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(confirm_cancel=True, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.cancels_here:
            raise PermissionDenied
        try:
            services.transfer_cancel(transfer=self.transfer, user=request.user)
        except StockError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Transfer %(number)s cancelled; the goods are back in stock.")
                % {"number": self.transfer.number},
            )
        return redirect(self.outlet_url("transfer-detail", number=self.transfer.number))


# --- Count ---------------------------------------------------------------------------


class CountView(OutletAccessMixin, generic.TemplateView):
    """Enter counted quantities (some or all products), preview the adjustments, then
    confirm. A confirmation whose stock changed since the preview is shown again."""

    template_name = "sales_points/dashboard/count.html"
    section = "count"
    title = _("Stock count")

    def counted_records(self):
        records = self.records()
        q = self.request.GET.get("q", "").strip()
        if q:
            records = records.filter(forms.product_search(q))
        return records

    def get(self, request, *args, **kwargs):
        records = list(self.counted_records())
        initial = {f"{r.product_id}-expected": r.num_in_stock for r in records}
        form = forms.CountForm(records=records, initial=initial)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = forms.CountForm(request.POST, records=self.records())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        stale = form.stale()
        if request.POST.get("action") == "confirm" and not stale:
            try:
                movements = services.stock_count(
                    sales_point=self.outlet, counted=form.counted(),
                    user=request.user, reason=form.cleaned_data["reason"],
                    expected=form.expected(),  # checked again under the row locks
                )  # fmt: skip
            except StockError as error:
                form.add_error(None, str(error))
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(
                request,
                _("Count recorded: %(n)s adjustments.") % {"n": len(movements)},
            )
            return redirect(
                self.outlet_url("movement-list")
                + f"?kind={StockMovement.Kind.COUNT_ADJUSTMENT}"
            )
        if request.POST.get("action") == "confirm":
            messages.warning(
                request,
                _("Stock changed since the preview: check the differences again."),
            )
        return self.preview(form)

    def preview(self, form):
        rows = []
        for product_id, counted in form.counted().items():
            record = form.records[product_id]
            rows.append(
                {
                    "record": record,
                    "counted": counted,
                    "difference": counted - record.num_in_stock,
                }
            )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                preview=rows,
                adjustments=sum(1 for row in rows if row["difference"]),
            )
        )


# --- Ledger and reports --------------------------------------------------------------


class MovementListView(OutletAccessMixin, generic.ListView):
    template_name = "sales_points/dashboard/movement_list.html"
    context_object_name = "movements"
    paginate_by = PAGE_SIZE
    section = "movements"
    title = _("Stock movements")

    def get_queryset(self):
        self.form = forms.MovementFilterForm(
            self.request.GET or None, records=self.records()
        )
        return self.form.filter(self.movements()).select_related(
            "product", "user", "lot"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            is_filtered=any(self.request.GET.get(name) for name in self.form.fields),
            Kind=StockMovement.Kind,
            **kwargs,
        )


class ReportView(OutletAccessMixin, generic.TemplateView):
    """Counter sales and stock for a period; `?format=csv&table=<key>` downloads one."""

    template_name = "sales_points/dashboard/reports.html"
    section = "reports"
    title = _("Reports")

    def get(self, request, *args, **kwargs):
        form = forms.ReportPeriodForm(request.GET or None)
        start, end = form.period()
        builders = {
            "sales-by-day": lambda: reports.sales_by_day(self.sales(), start, end),
            "sales-by-product": lambda: reports.sales_by_product(
                self.sales(), start, end
            ),
            "stock-ledger": lambda: reports.stock_ledger(self.movements(), start, end),
            "stock-on-hand": lambda: reports.stock_on_hand(
                alerts.stock_levels(self.records())
            ),
        }
        if request.GET.get("format") == "csv":
            key = request.GET.get("table")
            table = builders.get(key, builders["sales-by-day"])()
            filename = f"{self.outlet.code}-{table.key}-{start}-{end}.csv"
            return reports.csv_response(table, filename)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                start=start,
                end=end,
                period_query=urlencode({"date_from": start, "date_to": end}),
                tables=[build() for build in builders.values()],
            )
        )
