"""Province statistics: the public page, the dashboard page and the JSON endpoint. All
three show `catalogue.stats.province_stats`; they only choose the day and the layout."""

import datetime as dt

from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.views.decorators import permissions_required
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.models import Producer
from catalogue.stats import province_stats


def _template_context(stats: dict) -> dict:
    """The JSON-able stats plus what templates cannot do: real dates for the date
    filter and the producer kinds with their translated labels."""
    for row in stats["certificates_expiring_soonest"]:
        row["expires_on_date"] = dt.date.fromisoformat(row["expires_on"])
    stats["as_of"] = dt.date.fromisoformat(stats["date"])
    kinds = [
        (Producer.Kind(kind).label, count)
        for kind, count in stats["producers_by_kind"].items()
    ]
    return {"stats": stats, "producer_kind_rows": kinds}


class StatisticsView(TemplateView):
    """The public page: headline numbers and the breakdowns."""

    template_name = "catalogue/stats/statistics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_template_context(province_stats()), **kwargs)


# Staff, or anyone Oscar lets into its dashboard (sales-point staff, managers);
# anonymous visitors go to the dashboard's login page, others get 403.
dashboard_access = permissions_required(
    (["is_staff"], ["partner.dashboard_access"]),
    login_url=reverse_lazy("dashboard:login"),
)


@method_decorator(dashboard_access, name="dispatch")
class DashboardStatisticsView(StatisticsView):
    template_name = "catalogue/stats/dashboard.html"


class StatisticsApiView(APIView):
    """GET /api/v1/stats/[?date=YYYY-MM-DD]: the province statistics as JSON."""

    def get(self, request):
        raw = request.query_params.get("date")
        day = None
        if raw:
            try:
                day = dt.datetime.strptime(raw, "%Y-%m-%d").date()
            except ValueError:
                return Response(
                    {"detail": _("Give the date as YYYY-MM-DD, e.g. 2025-07-01.")},
                    status=400,
                )
        return Response(province_stats(today=day))
