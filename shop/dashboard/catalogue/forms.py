from django import forms
from oscar.apps.dashboard.catalogue import forms as oscar_forms

from catalogue.models import AdministrativeUnit

OCOP_PRODUCT_FIELDS = [
    "title_en",
    "description_en",
    "producer",
    "group",
    "origin",
    "growing_area_code",
    "net_quantity",
    "net_unit",
    "ingredients_vi",
    "ingredients_en",
    "storage_vi",
    "storage_en",
    "shelf_life_days",
]


class ProductForm(oscar_forms.ProductForm):
    """Oscar's product form plus the OCOP product data, in both languages."""

    class Meta(oscar_forms.ProductForm.Meta):
        fields = [*oscar_forms.ProductForm.Meta.fields, *OCOP_PRODUCT_FIELDS]
        widgets = {
            **oscar_forms.ProductForm.Meta.widgets,
            "description_en": forms.Textarea(
                attrs={"class": "no-widget-init", "rows": 6}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "origin" in self.fields:
            # Retired units stay choosable: a product keeps the origin true when made.
            self.fields["origin"].queryset = AdministrativeUnit.objects.select_related(
                "parent"
            )
            self.fields["origin"].label_from_instance = _unit_label


def _unit_label(unit: AdministrativeUnit) -> str:
    parent = f", {unit.parent.full_name}" if unit.parent_id else ""
    until = f" (→ {unit.valid_to:%d/%m/%Y})" if unit.valid_to else ""
    return f"{unit.full_name}{parent}{until}"


class StockRecordForm(oscar_forms.StockRecordForm):
    """Prices and SKUs are edited with the product; quantities are not: they change only
    through sales_points.services (the outlet pages), so the stock ledger adds up."""

    class Meta(oscar_forms.StockRecordForm.Meta):
        fields = [
            f for f in oscar_forms.StockRecordForm.Meta.fields if f != "num_in_stock"
        ]
