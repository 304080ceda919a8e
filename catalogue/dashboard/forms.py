"""Forms of the OCOP dashboard. They validate input; the writes of certificates happen
in catalogue.services, whose rule errors the views put back on these forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse_lazy
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_class
from oscar.forms.widgets import MultipleRemoteSelect, RemoteSelect

from catalogue.models import (
    AdministrativeUnit,
    Certificate,
    IssuingAuthority,
    Producer,
    Product,
    ProductGroup,
)
from shop.text import slugify_vietnamese

# Thousands of products, producers and users: selects load their options as you type.
ProductSelect = get_class("dashboard.catalogue.widgets", "ProductSelect")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_for_choice():
    """Every unit, retired ones too: a producer keeps the unit that was true when it
    was recorded. Provinces first, then districts, then communes."""
    Level = AdministrativeUnit.Level
    return (
        AdministrativeUnit.objects.select_related("parent")
        .annotate(
            level_rank=Case(
                When(level=Level.PROVINCE, then=Value(0)),
                When(level=Level.DISTRICT, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("level_rank", "name_vi", "valid_from", "pk")
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names (on the form itself when
    the field is not shown, e.g. "renews")."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class UnitChoiceField(forms.ModelChoiceField):
    """Names are reused across the 2025 reform ("xã Tân Cương" before and after), so
    the label adds the parent and the period the unit was valid."""

    def label_from_instance(self, unit):
        label = unit.full_name
        if unit.parent_id:
            label = f"{label}, {unit.parent.full_name}"
        if unit.valid_to:
            label = "{} ({})".format(
                label,
                _("until %(date)s")
                % {"date": formats.date_format(unit.valid_to, "SHORT_DATE_FORMAT")},
            )
        elif unit.valid_from:
            label = "{} ({})".format(
                label,
                _("since %(date)s")
                % {"date": formats.date_format(unit.valid_from, "SHORT_DATE_FORMAT")},
            )
        return label


class ProducerForm(forms.ModelForm):
    region = UnitChoiceField(queryset=units_for_choice(), label=capfirst(_("region")))
    representatives = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("email"),
        widget=MultipleRemoteSelect(
            lookup_url=reverse_lazy("ocop-dashboard:user-lookup"),
            attrs={"class": "select2"},
        ),
        required=False,
        label=capfirst(_("representatives")),
        help_text=_("Users who may speak for this producer."),
    )

    class Meta:
        model = Producer
        fields = [
            "name_vi",
            "name_en",
            "slug",
            "kind",
            "registration_number",
            "region",
            "address",
            "phone",
            "email",
            "description_vi",
            "description_en",
            "logo",
            "representatives",
        ]
        widgets = {
            "description_vi": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "slug": _("Leave blank to make it from the Vietnamese name."),
        }
        error_messages = {
            "registration_number": {
                "unique": _(
                    "A producer with this business registration number is already "
                    "recorded."
                ),
            },
            "slug": {"unique": _("Another producer already uses this slug.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name_vi"):
            cleaned["slug"] = self._free_slug(slugify_vietnamese(cleaned["name_vi"]))
        return cleaned

    def _free_slug(self, base: str) -> str:
        """An automatic slug must not fail on a namesake: number it instead."""
        base = base[:190] or "producer"
        taken = Producer.objects.exclude(pk=self.instance.pk).filter(
            slug__startswith=base
        )
        taken = set(taken.values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug


class ProducerSearchForm(forms.Form):
    q = forms.CharField(
        required=False, label=_("Name or registration number"), max_length=200
    )
    kind = forms.ChoiceField(
        required=False,
        label=capfirst(_("kind")),
        choices=[("", _("All kinds")), *Producer.Kind.choices],
    )
    region = UnitChoiceField(
        queryset=units_for_choice(),
        required=False,
        label=capfirst(_("region")),
        empty_label=_("All regions"),
    )


class CertificateSearchForm(forms.Form):
    q = forms.CharField(
        required=False, label=_("Product or decision number"), max_length=200
    )
    status = forms.ChoiceField(
        required=False,
        label=capfirst(_("status")),
        choices=[("", _("All statuses")), *Certificate.Status.choices],
    )
    stars = forms.TypedChoiceField(
        required=False,
        label=capfirst(_("stars")),
        coerce=int,
        empty_value=None,
        choices=[("", _("All stars")), *Certificate.Stars.choices],
    )


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, group):
        return f"{group.scheme.name}: {group.name}"


class AuthorityChoiceField(forms.ModelChoiceField):
    """The provincial committee before and after the 2025 merger share a name: tell
    them apart by the period their region existed."""

    def label_from_instance(self, authority):
        label = f"{authority.name} – {authority.get_level_display()}"
        region = authority.region
        if region and (region.valid_from or region.valid_to):
            start = region.valid_from.year if region.valid_from else ""
            end = region.valid_to.year if region.valid_to else ""
            label = f"{label} ({start}–{end})"
        return label


class CertificateDecisionForm(forms.Form):
    """A recognition decision as typed from the paper. No expiry: the model computes
    it (signing date plus 36 months)."""

    stars = forms.TypedChoiceField(
        label=capfirst(_("stars")), coerce=int, choices=Certificate.Stars.choices
    )
    score = forms.IntegerField(label=capfirst(_("score")), min_value=0, max_value=100)
    decision_number = forms.CharField(
        label=capfirst(_("decision number")), max_length=64
    )
    authority = AuthorityChoiceField(
        queryset=IssuingAuthority.objects.select_related("region"),
        label=capfirst(_("issuer")),
    )
    signed_on = forms.DateField(label=capfirst(_("signed on")), widget=DATE_INPUT)
    group = GroupChoiceField(
        queryset=ProductGroup.objects.select_related("scheme"),
        required=False,
        label=capfirst(_("product group")),
        help_text=_("Leave blank to use the product's group."),
    )
    evidence = forms.FileField(
        label=capfirst(_("evidence document")),
        required=False,
        help_text=_("A scan of the signed decision."),
    )

    def decision(self) -> dict:
        """The keyword arguments of the issuing service."""
        data = self.cleaned_data
        return {
            "stars": data["stars"],
            "score": data["score"],
            "decision_number": data["decision_number"],
            "authority": data["authority"],
            "signed_on": data["signed_on"],
            "group": data.get("group"),
            "evidence": data.get("evidence"),
        }


class CertificateIssueForm(CertificateDecisionForm):
    field_order = ["product", "producer"]

    product = forms.ModelChoiceField(
        queryset=Product.objects.all(),
        widget=ProductSelect,
        label=capfirst(_("product")),
    )
    producer = forms.ModelChoiceField(
        queryset=Producer.objects.all(),
        widget=RemoteSelect(
            lookup_url=reverse_lazy("ocop-dashboard:producer-lookup"),
            attrs={"class": "select2"},
        ),
        required=False,
        label=capfirst(_("producer")),
        help_text=_("Leave blank to use the product's producer."),
    )

    def decision(self) -> dict:
        return {
            **super().decision(),
            "product": self.cleaned_data["product"],
            "producer": self.cleaned_data.get("producer"),
        }


class CertificateRevokeForm(forms.Form):
    prefix = "revoke"  # the detail page shows both status forms
    reason = forms.CharField(
        label=_("Reason for revoking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept with the certificate's history."),
    )

    def __init__(self, *args, certificate: Certificate, **kwargs):
        self.certificate = certificate
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.certificate.status == Certificate.Status.REVOKED:
            raise ValidationError(_("This certificate is already revoked."))
        return super().clean()


class CertificateReassessForm(forms.Form):
    prefix = "reassess"
    reason = forms.CharField(
        label=_("Reason for the re-assessment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, certificate: Certificate, **kwargs):
        self.certificate = certificate
        super().__init__(*args, **kwargs)

    def clean(self):
        if hasattr(self.certificate, "renewal"):
            raise ValidationError(_("This certificate has already been renewed."))
        if self.certificate.status in (
            Certificate.Status.REVOKED,
            Certificate.Status.UNDER_REASSESSMENT,
        ):
            raise ValidationError(
                _("A %(status)s certificate cannot be put under re-assessment.")
                % {"status": self.certificate.get_status_display()}
            )
        return super().clean()
