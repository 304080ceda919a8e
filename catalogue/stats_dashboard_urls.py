"""Mounted at /dashboard/ocop/statistics/."""

from django.urls import path

from catalogue import stats_views

app_name = "ocop-stats-dashboard"

urlpatterns = [
    path("", stats_views.DashboardStatisticsView.as_view(), name="statistics"),
]
