"""The outlet CSV import pages, mounted at dashboard/outlets/ in shop/urls.py."""

from django.urls import path

from sales_points.dashboard import import_views as views

app_name = "outlet-import"

urlpatterns = [
    path("<slug:code>/import/", views.ImportView.as_view(), name="import"),
    path("<slug:code>/import/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "<slug:code>/import/template.csv",
        views.ImportTemplateView.as_view(),
        name="template",
    ),
]
