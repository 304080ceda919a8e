"""The order-status page for guests, under /<lang>/shop/order-status/."""

from django.urls import path

from shop.order.status_views import OrderStatusLookupView, order_status_detail

urlpatterns = [
    path("", OrderStatusLookupView.as_view(), name="order-status"),
    path("<str:number>/<str:token>/", order_status_detail, name="order-status-detail"),
]
