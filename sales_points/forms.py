"""The store locator's filters (a GET form: every field optional, a bad value is
reported and ignored, never a server error)."""

import math
from urllib.parse import unquote

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import AdministrativeUnit
from sales_points.models import SalesPoint
from sales_points.selectors import product_by_id_or_upc

POINT_FORMAT_ERROR = _("Give a point as latitude,longitude, e.g. 21.5925,105.8440.")
POINT_RANGE_ERROR = _(
    "Latitude must be between -90 and 90 and longitude between -180 and 180."
)
# Set by locator.js after the browser's geolocation: "lat,lng" (URL-encoded).
NEAR_COOKIE = "ocop_near"
# Provinces first, then districts (before the 2025 reform), then communes.
REGION_LEVELS = [
    (AdministrativeUnit.Level.PROVINCE, _("Provinces")),
    (AdministrativeUnit.Level.DISTRICT, _("Districts")),
    (AdministrativeUnit.Level.COMMUNE, _("Communes and wards")),
]


def parse_point(raw: str) -> tuple[float, float]:
    """'21.5925,105.8440' -> (21.5925, 105.844); ValueError with a message for people."""
    parts = (raw or "").split(",")
    try:
        lat, lng = (float(part) for part in parts)
    except ValueError:
        raise ValueError(str(POINT_FORMAT_ERROR)) from None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise ValueError(str(POINT_FORMAT_ERROR))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError(str(POINT_RANGE_ERROR))
    return lat, lng


def format_point(point: tuple[float, float]) -> str:
    """A point for a URL, to about 100 m: precise enough, and no more than that."""
    return f"{point[0]:.4f},{point[1]:.4f}"


def buyer_location(request) -> tuple[float, float] | None:
    """Where the buyer is, if they told us: ?near=lat,lng or the ocop_near cookie."""
    if request is None:
        return None
    for raw in (request.GET.get("near"), request.COOKIES.get(NEAR_COOKIE)):
        if raw:
            try:
                return parse_point(unquote(raw))
            except ValueError:
                continue
    return None


def region_label(unit: AdministrativeUnit) -> str:
    if unit.parent_id and unit.level != AdministrativeUnit.Level.PROVINCE:
        return f"{unit.full_name} ({unit.parent.full_name})"
    return unit.full_name


def region_choices(units: list[AdministrativeUnit], empty_label) -> list:
    groups = [
        (label, [(u.code, region_label(u)) for u in units if u.level == level])
        for level, label in REGION_LEVELS
    ]
    return [("", empty_label), *[(label, items) for label, items in groups if items]]


SELECT = forms.Select(attrs={"class": "form-control"})


class LocatorFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Area"), required=False, widget=SELECT)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("Any level")), *SalesPoint.Level.choices],
        widget=SELECT,
    )
    kind = forms.ChoiceField(
        label=_("Kind of place"),
        required=False,
        choices=[("", _("Any kind")), *SalesPoint.Kind.choices],
        widget=SELECT,
    )
    open_now = forms.BooleanField(
        label=_("Open now"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    # "Has product X": set by the link on a product page (id or barcode).
    product = forms.CharField(required=False, widget=forms.HiddenInput)
    # The buyer's position, added by the browser's geolocation (locator.js) ...
    near = forms.CharField(required=False, widget=forms.HiddenInput)
    # ... or, without it, a commune or district chosen to measure distances from.
    place = forms.ChoiceField(label=_("Nearest to"), required=False, widget=SELECT)

    def __init__(self, *args, regions: list[AdministrativeUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(regions, _("Everywhere"))
        self.fields["place"].choices = region_choices(regions, _("Choose your area"))

    def clean_product(self):
        raw = self.cleaned_data["product"].strip()
        if not raw:
            return None
        product = product_by_id_or_upc(raw)
        if product is None:
            raise forms.ValidationError(_("No product has this id or barcode."))
        return product

    def clean_near(self):
        raw = self.cleaned_data["near"].strip()
        if not raw:
            return None
        try:
            return parse_point(raw)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out and shown as an error)."""
        self.is_valid()
        data = self.cleaned_data
        product = data.get("product")
        return {
            "region": data.get("region") or None,
            "level": data.get("level") or None,
            "kind": data.get("kind") or None,
            "open_now": bool(data.get("open_now")),
            "product_id": product.pk if product else None,
        }
