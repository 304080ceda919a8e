"""Staff pages to import receipts and stock counts from a CSV file into their outlet:
upload, preview exactly what will change (or every error by row and column), confirm.

Between the preview and the confirmation the uploaded bytes wait in the session under
a random token with their sha256, so what is applied is the file that was previewed;
sales_points.imports checks again and writes everything or nothing."""

import base64
import hashlib
import os
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from sales_points import imports, permissions

SESSION_KEY = "outlet_imports"
KEEP_PENDING = 3  # previews awaiting confirmation per session; older ones are dropped
PREVIEW_TEMPLATE = "sales_points/dashboard/import/preview.html"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=list(imports.KINDS.items()),
        initial=imports.RECEIPT,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "CSV in UTF-8 (with or without BOM) or UTF-16 (Excel's Unicode text); "
            "comma, semicolon or tab between columns."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.raw = upload.read(imports.MAX_BYTES + 1)
        try:
            self.rows = imports.import_read(self.raw)
        except imports.ImportRefused as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class OutletStaffMixin:
    """Signed in (else the dashboard login), working at some outlet (else 403), and
    at this one (else 404: another outlet looks like no outlet)."""

    login_url = reverse_lazy("dashboard:login")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), self.login_url)
        if not permissions.is_outlet_worker(request.user):
            raise PermissionDenied
        self.outlet = permissions.outlet_for(request.user, kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(outlet=self.outlet, **kwargs)

    def import_url(self) -> str:
        return reverse("outlet-import:import", kwargs={"code": self.outlet.code})


class ImportView(OutletStaffMixin, generic.FormView):
    """GET: the upload form. POST: the dry run, nothing written."""

    form_class = ImportForm
    template_name = "sales_points/dashboard/import/form.html"

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in imports.KINDS else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=imports.KINDS,
            max_rows=imports.MAX_ROWS,
            max_mb=imports.MAX_BYTES // (1024 * 1024),
            **kwargs,
        )

    def form_valid(self, form):
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        plan = imports.import_check(sales_point=self.outlet, kind=kind, rows=form.rows)
        filename = os.path.basename(upload.name or "")[:100]
        token = (
            _keep(self.request, self.outlet, kind, filename, form.raw)
            if plan.ok
            else ""
        )
        context = self.get_context_data(
            form=ImportForm(initial={"kind": kind}),
            plan=plan,
            token=token,
            filename=filename,
        )
        return TemplateResponse(self.request, PREVIEW_TEMPLATE, context)


class ConfirmView(OutletStaffMixin, generic.TemplateView):
    """POST: apply the previewed file, all rows or none."""

    template_name = PREVIEW_TEMPLATE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        token = request.POST.get("token", "")
        pending = request.session.get(SESSION_KEY, {}).get(token)
        if not pending or pending["outlet"] != self.outlet.code:
            messages.error(
                request,
                _("This preview has expired or was already imported: upload the file."),
            )
            return HttpResponseRedirect(self.import_url())
        raw = base64.b64decode(pending["content"])
        if hashlib.sha256(raw).hexdigest() != pending["sha256"]:
            _forget(request, token)
            raise PermissionDenied
        plan = imports.import_apply(
            sales_point=self.outlet,
            kind=pending["kind"],
            rows=imports.import_read(raw),
            user=request.user,
            filename=pending["filename"],
            reference=imports.import_reference(token),
            # No fingerprint is no preview: it will not match, so a new one is shown.
            expected=request.POST.get("fingerprint") or "none",
        )
        codes = {error.code for error in plan.errors}
        if plan.ok:
            _forget(request, token)
            messages.success(
                request,
                _(
                    "%(rows)s rows of %(file)s imported into %(outlet)s: "
                    "%(written)s stock changes written (reference %(reference)s)."
                )
                % {
                    "rows": len(plan.changes),
                    "file": pending["filename"],
                    "outlet": self.outlet.code,
                    "written": len(plan.movements),
                    "reference": plan.reference,
                },
            )
            return HttpResponseRedirect(self.import_url())
        if codes == {"stale"}:  # the new plan is valid: preview it again
            messages.warning(request, plan.errors[0].message)
            plan.errors = []
        elif "imported" in codes:
            _forget(request, token)
            messages.error(request, plan.errors[0].message)
            return HttpResponseRedirect(self.import_url())
        else:
            _forget(request, token)
            token = ""
        return self.render_to_response(
            self.get_context_data(
                form=ImportForm(initial={"kind": pending["kind"]}),
                plan=plan,
                token=token,
                filename=pending["filename"],
            )
        )


class ImportTemplateView(OutletStaffMixin, generic.View):
    """A CSV to fill in, in UTF-8 with a BOM so Excel shows Vietnamese right."""

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("kind")
        kind = kind if kind in imports.KINDS else imports.RECEIPT
        content = imports.import_template(sales_point=self.outlet, kind=kind)
        response = HttpResponse(
            ("\ufeff" + content).encode(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.outlet.code}-{kind}.csv"'
        )
        return response


def _keep(request, outlet, kind: str, filename: str, raw: bytes) -> str:
    """Keep the previewed bytes until confirmed; the token names them."""
    token = uuid.uuid4().hex
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending[token] = {
        "outlet": outlet.code,
        "kind": kind,
        "filename": filename,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "content": base64.b64encode(raw).decode("ascii"),
    }
    request.session[SESSION_KEY] = dict(list(pending.items())[-KEEP_PENDING:])
    return token


def _forget(request, token: str) -> None:
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
