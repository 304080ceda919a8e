"""Exchange rates kept by staff (under /dashboard/currency/)."""

from django.urls import path

from shop import currency_views

urlpatterns = [
    path("", currency_views.ExchangeRateView.as_view(), name="currency-dashboard"),
]
