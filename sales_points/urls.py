"""The public store locator, mounted at /<lang>/sales-points/."""

from django.urls import path

from sales_points import alert_views, views

app_name = "sales_points"

urlpatterns = [
    path("", views.outlet_list, name="list"),
    path(
        "back-in-stock/", alert_views.back_in_stock_request, name="back-in-stock"
    ),  # before <code>/: it is a valid code too
    path("<slug:code>/", views.outlet_detail, name="detail"),
]
