"""Public OCOP pages, mounted at /<lang>/ocop/."""

from django.urls import path

from catalogue import stats_views

app_name = "ocop"

urlpatterns = [
    path("statistics/", stats_views.StatisticsView.as_view(), name="statistics"),
]
