"""Checkout forms for contact details and a Vietnamese delivery address.

The delivery address is the two-level form in force since 1 July 2025: province or
city, then commune or ward, then street. The commune is a list of the communes we know
in the chosen province plus a text box for the others (we know only some; both work
without JavaScript). A buyer who only knows the older three-level address fills the
"before 1 July 2025" fields instead; it is mapped to today's units and the cleaned data
carries a note to show them ("Your older address was mapped to …: please check it")."""

import datetime as dt

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit
from catalogue.reference_data import REFORM_DAY
from shop.addresses import (
    address_resolve,
    communes_in_force,
    phone_normalize,
    provinces_in_force,
    unit_postal_name,
    vietnamese_sort_key,
)

Level = AdministrativeUnit.Level

CURRENT_FIELDS = ("province", "commune")
OLDER_FIELDS = ("old_province", "old_district", "old_commune")


class MobilePhoneField(forms.CharField):
    """A Vietnamese mobile number, cleaned to E.164 ('+84912345678')."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault(
            "help_text",
            _("A Vietnamese mobile number, for example 0912 345 678."),
        )
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return phone_normalize(value) if value else value


class _VietnameseOrderIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = sorted(
            self.queryset, key=lambda u: (vietnamese_sort_key(u.name_vi), u.code)
        )
        for unit in units:
            yield self.choice(unit)


class UnitChoiceField(forms.ModelChoiceField):
    """Administrative units in Vietnamese order, labelled with their full names (and
    those of the units above them when `with_parents`: 'xã Thịnh Đức, thành phố
    Thái Nguyên, tỉnh Thái Nguyên')."""

    iterator = _VietnameseOrderIterator

    def __init__(self, queryset, *, with_parents: bool = False, **kwargs):
        self.with_parents = with_parents
        kwargs.setdefault("empty_label", _("Choose…"))
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, unit):
        names = [unit.full_name]
        parent = unit.parent if self.with_parents else None
        while parent is not None:
            names.append(parent.full_name)
            parent = parent.parent
        return ", ".join(names)


class ContactForm(forms.Form):
    """How to reach a guest buyer about the order."""

    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = MobilePhoneField()


class DeliveryAddressForm(forms.Form):
    """A delivery address in Vietnam. After `is_valid()`, cleaned_data holds the units
    in force ("province", "commune" or None), "commune_name" (the text to print),
    "was_mapped", "mapping_note" and "resolved" (shop.addresses.ResolvedAddress)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = MobilePhoneField(
        help_text=_(
            "A Vietnamese mobile number, for example 0912 345 678: the courier "
            "calls or texts it about the delivery."
        )
    )
    province = UnitChoiceField(
        AdministrativeUnit.objects.none(), label=_("Province or city"), required=False
    )
    commune = UnitChoiceField(
        AdministrativeUnit.objects.none(),
        label=_("Commune or ward"),
        required=False,
        help_text=_("If yours is not in the list, type its name in the next box."),
    )
    commune_name = forms.CharField(
        label=_("Commune or ward, if not in the list"), max_length=128, required=False
    )
    street = forms.CharField(
        label=_("House number, street, hamlet or village"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    notes = forms.CharField(
        label=_("Notes for the courier"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    old_province = UnitChoiceField(
        AdministrativeUnit.objects.none(),
        label=_("Province or city (before 1 July 2025)"),
        required=False,
    )
    old_district = UnitChoiceField(
        AdministrativeUnit.objects.none(),
        label=_("District (before 1 July 2025)"),
        required=False,
        with_parents=True,
    )
    old_commune = UnitChoiceField(
        AdministrativeUnit.objects.none(),
        label=_("Commune or ward (before 1 July 2025)"),
        required=False,
        with_parents=True,
    )

    def __init__(self, *args, on: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on or timezone.localdate()
        self.fields["province"].queryset = provinces_in_force(self.on)
        communes = communes_in_force(self.on)
        chosen = self._chosen_province()
        if chosen is not None:  # a province was chosen already: only its communes
            communes = communes.filter(parent=chosen)
        else:
            self.fields["commune"].with_parents = True
        self.fields["commune"].queryset = communes
        # The older form: units that existed before the reform of 1 July 2025,
        # provinces the reform left whole included (their districts were abolished).
        older = AdministrativeUnit.objects.exclude(valid_from__gte=REFORM_DAY)
        self.fields["old_province"].queryset = older.filter(level=Level.PROVINCE)
        self.fields["old_district"].queryset = older.filter(
            level=Level.DISTRICT
        ).select_related("parent")
        self.fields["old_commune"].queryset = older.filter(
            level=Level.COMMUNE
        ).select_related("parent__parent")

    def _chosen_province(self) -> AdministrativeUnit | None:
        if self.is_bound:
            value = self.data.get(self.add_prefix("province"))
        else:
            value = self.initial.get("province")
        value = getattr(value, "pk", value)
        if not value or not str(value).isdigit():
            return None
        return self.fields["province"].queryset.filter(pk=value).first()

    def clean(self):
        data = super().clean()
        current = any(data.get(f) for f in CURRENT_FIELDS)
        older = any(data.get(f) for f in OLDER_FIELDS)
        if any(f in self.errors for f in (*CURRENT_FIELDS, *OLDER_FIELDS)):
            return data
        if current and older:
            raise ValidationError(
                _(
                    "Fill in either your address as it is today or your address "
                    "before 1 July 2025, not both."
                ),
                code="both_forms",
            )
        if current:
            if not data.get("province"):
                self.add_error("province", _("Choose your province or city."))
                return data
            names = {"province": "province", "commune": "commune"}
            kwargs = {"province": data["province"], "commune": data.get("commune")}
        elif older:
            if not data.get("old_province"):
                self.add_error(
                    "old_province",
                    _(
                        "Choose the province or city of your address before 1 July 2025."
                    ),
                )
                return data
            names = {
                "province": "old_province",
                "district": "old_district",
                "commune": "old_commune",
            }
            kwargs = {
                "province": data["old_province"],
                "district": data.get("old_district"),
                "commune": data.get("old_commune"),
            }
        else:
            self.add_error("province", _("Choose your province or city."))
            return data
        try:
            resolved = address_resolve(
                **kwargs, commune_name=data.get("commune_name", ""), on=self.on
            )
        except ValidationError as error:
            for argument, errors in error.error_dict.items():
                self.add_error(names.get(argument), errors)
            return data
        if resolved.commune is None and not resolved.commune_text:
            self.add_error(
                "commune_name",
                _("Choose your commune or ward from the list, or type its name."),
            )
            return data
        data.update(
            province=resolved.province,
            commune=resolved.commune,
            commune_name=resolved.commune_text,
            was_mapped=resolved.was_mapped,
            mapping_note=resolved.note,
            resolved=resolved,
        )
        return data


def to_shipping_address_fields(cleaned_data: dict) -> dict:
    """Keyword arguments for our ShippingAddress (shop.order.models) from a valid
    DeliveryAddressForm's cleaned data.

    Oscar's `line4` (its "city", which integrations read as the locality) holds the
    commune or ward and `state` the province or city, as Vietnamese addresses put them;
    both in Vietnamese, the language the courier reads. The full name goes in
    first_name: Vietnamese names do not split into first and last the Western way."""
    Country = get_model("address", "Country")
    try:
        vietnam = Country.objects.get(pk="VN")
    except Country.DoesNotExist as missing:
        raise ImproperlyConfigured(
            "Oscar's address.Country has no 'VN' row: create it (is_shipping_country="
            "True) before taking delivery addresses."
        ) from missing
    province = cleaned_data["province"]
    return {
        "first_name": cleaned_data["full_name"],
        "last_name": "",
        "line1": cleaned_data["street"],
        "line2": "",
        "line3": "",
        "line4": cleaned_data["commune_name"],
        "state": unit_postal_name(province),
        "postcode": "",
        "country": vietnam,
        "phone_number": cleaned_data["phone"],
        "notes": cleaned_data.get("notes", ""),
        "province": province,
        "commune": cleaned_data.get("commune"),
    }
