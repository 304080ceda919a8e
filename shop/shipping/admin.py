from django.contrib import admin
from oscar.apps.shipping.admin import *  # noqa: F403
from oscar.apps.shipping.admin import WeightBasedAdmin as OscarWeightBasedAdmin
from oscar.core.loading import get_model

WeightBased = get_model("shipping", "WeightBased")


class WeightBasedAdmin(OscarWeightBasedAdmin):
    filter_horizontal = ("countries", "provinces")
    list_display = ("name", "code", "free_above", "default_weight")


admin.site.unregister(WeightBased)
admin.site.register(WeightBased, WeightBasedAdmin)
