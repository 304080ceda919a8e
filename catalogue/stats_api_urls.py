"""Mounted at /api/v1/stats/ (inside the "api" namespace: "api:stats")."""

from django.urls import path

from catalogue import stats_views

urlpatterns = [
    path("", stats_views.StatisticsApiView.as_view(), name="stats"),
]
