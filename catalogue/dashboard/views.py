"""The catalogue managers' pages for OCOP producers and certificates, in Oscar's
dashboard. Thin: forms validate, catalogue.services writes, these views route."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.views.generic import ObjectLookupView

from catalogue import services
from catalogue.dashboard import forms
from catalogue.models import Certificate, Producer
from catalogue.selectors import product_is_certified

EXPIRING_WITHIN_DAYS = 90


class DashboardPermissionMixin(PermissionRequiredMixin):
    """Anonymous visitors go to the dashboard's login page; signed-in users without
    the model permission get 403 (Django's mixin does both)."""

    login_url = reverse_lazy("dashboard:login")


def is_filtered(request, form) -> bool:
    return any(request.GET.get(name) for name in form.fields)


# --- Producers ----------------------------------------------------------------


class ProducerListView(DashboardPermissionMixin, generic.ListView):
    permission_required = "catalogue.view_producer"
    template_name = "catalogue/dashboard/producer_list.html"
    context_object_name = "producers"
    paginate_by = settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE

    def get_queryset(self):
        self.form = forms.ProducerSearchForm(self.request.GET or None)
        producers = (
            Producer.objects.select_related("region", "region__parent")
            .annotate(num_products=Count("products", distinct=True))
            .order_by("name_vi", "pk")  # GROUP BY drops Meta.ordering
        )
        if not self.form.is_valid():
            return producers
        data = self.form.cleaned_data
        if q := data["q"].strip():
            producers = producers.filter(
                Q(name_vi__icontains=q)
                | Q(name_en__icontains=q)
                | Q(registration_number__icontains=q)
            )
        if data["kind"]:
            producers = producers.filter(kind=data["kind"])
        if data["region"]:
            producers = producers.filter(region=data["region"])
        return producers

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form, is_filtered=is_filtered(self.request, self.form), **kwargs
        )


class ProducerSaveMixin:
    """Create and edit both save through the service and go back to the list."""

    success_message = ""

    def form_valid(self, form):
        self.object = services.producer_save(
            producer=form.save(commit=False),
            representatives=form.cleaned_data.get("representatives"),
        )
        messages.success(
            self.request, self.success_message % {"name": self.object.name}
        )
        return HttpResponseRedirect(reverse("ocop-dashboard:producer-list"))


class ProducerCreateView(
    ProducerSaveMixin, DashboardPermissionMixin, generic.CreateView
):
    permission_required = "catalogue.add_producer"
    model = Producer
    form_class = forms.ProducerForm
    template_name = "catalogue/dashboard/producer_form.html"

    success_message = _("Producer “%(name)s” created.")


class ProducerUpdateView(
    ProducerSaveMixin, DashboardPermissionMixin, generic.UpdateView
):
    permission_required = ("catalogue.view_producer", "catalogue.change_producer")
    model = Producer
    form_class = forms.ProducerForm
    template_name = "catalogue/dashboard/producer_form.html"
    context_object_name = "producer"

    def get_context_data(self, **kwargs):
        certificates = self.object.certificates.select_related(
            "product", "authority"
        ).order_by("-signed_on", "-pk")[:20]
        return super().get_context_data(certificates=certificates, **kwargs)

    success_message = _("Producer “%(name)s” saved.")


class ProducerLookupView(DashboardPermissionMixin, ObjectLookupView):
    """JSON for the producer select (select2): there are thousands of producers."""

    permission_required = "catalogue.view_producer"
    model = Producer

    def lookup_filter(self, qs, term):
        return qs.filter(
            Q(name_vi__icontains=term)
            | Q(name_en__icontains=term)
            | Q(registration_number__icontains=term)
        )


class UserLookupView(DashboardPermissionMixin, ObjectLookupView):
    """JSON for choosing a producer's representatives among the active users."""

    permission_required = "catalogue.change_producer"

    def get_queryset(self):
        return get_user_model().objects.filter(is_active=True).order_by("email")

    def lookup_filter(self, qs, term):
        return qs.filter(
            Q(email__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )

    def format_object(self, obj):
        name = obj.get_full_name()
        return {"id": obj.pk, "text": f"{name} <{obj.email}>" if name else obj.email}


# --- Certificates -------------------------------------------------------------


def certificates_with_effective_status(certificates, status: str, day: dt.date):
    """Filter on the status as of `day`: an active certificate past its expiry counts
    as expired before the nightly job has marked it."""
    Status = Certificate.Status
    if status == Status.ACTIVE:
        return certificates.filter(status=Status.ACTIVE, expires_on__gt=day)
    if status == Status.EXPIRED:
        return certificates.filter(
            Q(status=Status.EXPIRED) | Q(status=Status.ACTIVE, expires_on__lte=day)
        )
    return certificates.filter(status=status)


class CertificateListView(DashboardPermissionMixin, generic.ListView):
    """All certificates, or one of the quick views (`view`: "expiring" or "expired")."""

    permission_required = "catalogue.view_certificate"
    template_name = "catalogue/dashboard/certificate_list.html"
    context_object_name = "certificates"
    paginate_by = settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE
    view = None
    titles = {
        None: _("OCOP certificates"),
        "expiring": _("Certificates expiring within 90 days"),
        "expired": _("Expired certificates not renewed"),
    }

    def get_queryset(self):
        today = timezone.localdate()
        certificates = Certificate.objects.select_related(
            "product", "producer", "authority", "renewal"
        )
        if self.view == "expiring":
            # Already renewed ones need no action, as for the reminder e-mails.
            certificates = (
                certificates.valid_on(today)
                .filter(
                    expires_on__lte=today + dt.timedelta(days=EXPIRING_WITHIN_DAYS),
                    renewal__isnull=True,
                )
                .order_by("expires_on", "pk")
            )
        elif self.view == "expired":
            certificates = certificates_with_effective_status(
                certificates, Certificate.Status.EXPIRED, today
            ).filter(renewal__isnull=True)
            certificates = certificates.order_by("-expires_on", "-pk")

        self.form = forms.CertificateSearchForm(self.request.GET or None)
        if not self.form.is_valid():
            return certificates
        data = self.form.cleaned_data
        if q := data["q"].strip():
            certificates = certificates.filter(
                Q(product__title__icontains=q)
                | Q(product__title_en__icontains=q)
                | Q(decision_number__icontains=q)
            )
        if data["status"]:
            certificates = certificates_with_effective_status(
                certificates, data["status"], today
            )
        if data["stars"]:
            certificates = certificates.filter(stars=data["stars"])
        return certificates

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            is_filtered=is_filtered(self.request, self.form),
            view=self.view,
            title=self.titles[self.view],
            expiring_within_days=EXPIRING_WITHIN_DAYS,
            **kwargs,
        )


class CertificateDetailView(DashboardPermissionMixin, generic.DetailView):
    permission_required = "catalogue.view_certificate"
    model = Certificate
    template_name = "catalogue/dashboard/certificate_detail.html"
    context_object_name = "certificate"

    def get_queryset(self):
        return Certificate.objects.select_related(
            "product",
            "producer",
            "group",
            "authority",
            "authority__region",
            "renews",
            "renewal",
        )

    def get_context_data(self, **kwargs):
        certificate = self.object
        is_renewed = hasattr(certificate, "renewal")
        Status = Certificate.Status
        return super().get_context_data(
            history=certificate_history(certificate),
            product_is_certified=product_is_certified(certificate.product),
            is_renewed=is_renewed,
            may_reassess=not is_renewed
            and certificate.status in (Status.ACTIVE, Status.EXPIRED),
            revoke_form=forms.CertificateRevokeForm(certificate=certificate),
            reassess_form=forms.CertificateReassessForm(certificate=certificate),
            can_change=self.request.user.has_perm("catalogue.change_certificate"),
            can_renew=self.request.user.has_perms(
                CertificateRenewView.permission_required
            ),
            **kwargs,
        )


def certificate_history(certificate: Certificate) -> list[Certificate]:
    """The renewal chain the certificate belongs to, oldest first (one query a link:
    chains are a few 36-month periods long)."""
    chain = [certificate]
    older = certificate.renews
    while older is not None:
        chain.insert(0, older)
        older = older.renews
    newer = getattr(certificate, "renewal", None)
    while newer is not None:
        chain.append(newer)
        newer = getattr(newer, "renewal", None)
    return chain


class CertificateCreateView(DashboardPermissionMixin, generic.FormView):
    permission_required = "catalogue.add_certificate"
    form_class = forms.CertificateIssueForm
    template_name = "catalogue/dashboard/certificate_form.html"

    def get_initial(self):
        # "Certify a product" links from a producer's or product's page prefill these.
        initial = super().get_initial()
        for name in ("product", "producer"):
            if (value := self.request.GET.get(name, "")).isdigit():
                initial[name] = value
        return initial

    def form_valid(self, form):
        try:
            certificate = services.certificate_issue(**form.decision())
        except ValidationError as error:
            forms.add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Certificate %(number)s recorded; it expires on %(date)s.")
            % {"number": certificate.decision_number, "date": certificate.expires_on},
        )
        return HttpResponseRedirect(certificate_url(certificate))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record a certificate"), **kwargs)


class CertificateActionMixin(DashboardPermissionMixin):
    """Views acting on one certificate, loaded after the permission check."""

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(
            Certificate.objects.select_related("product", "producer", "group"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(certificate=self.certificate, **kwargs)


class CertificateRenewView(CertificateActionMixin, generic.FormView):
    """Re-recognition: a new decision for the same product, linked to this one."""

    # Renewing may also close the old certificate's re-assessment.
    permission_required = ("catalogue.add_certificate", "catalogue.change_certificate")
    form_class = forms.CertificateDecisionForm
    template_name = "catalogue/dashboard/certificate_form.html"

    def get(self, request, *args, **kwargs):
        if hasattr(self.certificate, "renewal"):
            messages.warning(request, _("This certificate has already been renewed."))
            return HttpResponseRedirect(certificate_url(self.certificate.renewal))
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"stars": self.certificate.stars, "group": self.certificate.group}

    def form_valid(self, form):
        try:
            renewal = services.certificate_renew(
                certificate=self.certificate, **form.decision()
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Certificate %(old)s renewed by %(new)s; it expires on %(date)s.")
            % {
                "old": self.certificate.decision_number,
                "new": renewal.decision_number,
                "date": renewal.expires_on,
            },
        )
        return HttpResponseRedirect(certificate_url(renewal))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Renew certificate %(number)s")
            % {"number": self.certificate.decision_number},
            **kwargs,
        )


class CertificateStatusView(CertificateActionMixin, generic.FormView):
    """A status change confirmed on its own page (the detail page posts here too, and
    errors come back here with the input kept)."""

    permission_required = ("catalogue.view_certificate", "catalogue.change_certificate")
    template_name = "catalogue/dashboard/certificate_status_form.html"
    service = None
    success_message = ""
    title = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "certificate": self.certificate}

    def form_valid(self, form):
        try:
            self.service(
                certificate=self.certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            self.success_message % {"number": self.certificate.decision_number},
        )
        return HttpResponseRedirect(certificate_url(self.certificate))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title % {"number": self.certificate.decision_number},
            action=self.action,
            **kwargs,
        )


class CertificateRevokeView(CertificateStatusView):
    form_class = forms.CertificateRevokeForm
    action = "revoke"
    title = _("Revoke certificate %(number)s")
    success_message = _(
        "Certificate %(number)s revoked: the product is no longer for sale unless "
        "another certificate is in force."
    )

    @staticmethod
    def service(**kwargs):
        return services.certificate_revoke(**kwargs)


class CertificateReassessView(CertificateStatusView):
    form_class = forms.CertificateReassessForm
    action = "reassess"
    title = _("Start the re-assessment of certificate %(number)s")
    success_message = _(
        "Certificate %(number)s is under re-assessment: the product is not for sale "
        "until it is re-recognised."
    )

    @staticmethod
    def service(**kwargs):
        return services.certificate_start_reassessment(**kwargs)


def certificate_url(certificate: Certificate) -> str:
    return reverse("ocop-dashboard:certificate-detail", kwargs={"pk": certificate.pk})
