from django.db.models import Q
from oscar.apps.dashboard.shipping import forms as oscar_forms

from catalogue.models import AdministrativeUnit


class WeightBasedForm(oscar_forms.WeightBasedForm):
    """Oscar's rate table form plus the English texts, the destination provinces and
    the free-delivery amount."""

    class Meta(oscar_forms.WeightBasedForm.Meta):
        fields = [
            "name",
            "name_en",
            "description",
            "description_en",
            "provinces",
            "free_above",
            "default_weight",
            "countries",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Provinces in force, plus any retired one the table still lists.
        in_force = Q(valid_to__isnull=True)
        if self.instance.pk:
            in_force |= Q(pk__in=self.instance.provinces.values("pk"))
        self.fields["provinces"].queryset = AdministrativeUnit.objects.filter(
            in_force, level=AdministrativeUnit.Level.PROVINCE
        ).order_by("name_vi")
        self.fields["provinces"].label_from_instance = _province_label


def _province_label(unit: AdministrativeUnit) -> str:
    until = f" (→ {unit.valid_to:%d/%m/%Y})" if unit.valid_to else ""
    return f"{unit.full_name}{until}"
