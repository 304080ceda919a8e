"""The buyer's currency for approximate prices (under /<lang>/shop/currency/)."""

from django.urls import path

from shop import currency_views

urlpatterns = [
    path("set/", currency_views.currency_set, name="currency-set"),
]
