"""The outlets' open-data endpoints, included at /api/v1/sales-points/ (namespace "api")."""

from django.urls import path

from sales_points import api

urlpatterns = [
    path("", api.SalesPointList.as_view(), name="sales-point-list"),
    path("<slug:code>/", api.SalesPointDetail.as_view(), name="sales-point-detail"),
    path("<slug:code>/stock/", api.SalesPointStock.as_view(), name="sales-point-stock"),
]
