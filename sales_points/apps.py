from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesPointsConfig(AppConfig):
    name = "sales_points"
    verbose_name = _("Sales points")
