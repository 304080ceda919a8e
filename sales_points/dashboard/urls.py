"""Mounted at dashboard/outlets/ (shop/urls.py). Every URL but the index carries the
outlet code; an outlet the user does not work at is a 404."""

from django.urls import path

from sales_points.dashboard import api, order_views, views

app_name = "outlet-dashboard"

urlpatterns = [
    path("", views.OutletListView.as_view(), name="index"),
    # Before <code>/: "orders" is not an outlet code.
    path("orders/", order_views.NetworkOrderListView.as_view(), name="network-orders"),
    path("<slug:code>/", views.StockListView.as_view(), name="stock"),
    path("<slug:code>/receive/", views.ReceiveView.as_view(), name="receive"),
    path("<slug:code>/sell/", views.CounterSaleView.as_view(), name="sell"),
    path("<slug:code>/receipts/", views.ReceiptListView.as_view(), name="receipt-list"),
    path(
        "<slug:code>/receipts/<str:receipt_number>/",
        views.ReceiptDetailView.as_view(),
        name="receipt-detail",
    ),
    path(
        "<slug:code>/receipts/<str:receipt_number>/return/",
        views.ReceiptReturnView.as_view(),
        name="receipt-return",
    ),
    path("<slug:code>/write-off/", views.WriteOffView.as_view(), name="write-off"),
    path("<slug:code>/threshold/", views.ThresholdView.as_view(), name="threshold"),
    path(
        "<slug:code>/transfers/", views.TransferListView.as_view(), name="transfer-list"
    ),
    path(
        "<slug:code>/transfers/send/",
        views.TransferSendView.as_view(),
        name="transfer-send",
    ),
    path(
        "<slug:code>/transfers/<str:number>/",
        views.TransferDetailView.as_view(),
        name="transfer-detail",
    ),
    path(
        "<slug:code>/transfers/<str:number>/receive/",
        views.TransferReceiveView.as_view(),
        name="transfer-receive",
    ),
    path(
        "<slug:code>/transfers/<str:number>/cancel/",
        views.TransferCancelView.as_view(),
        name="transfer-cancel",
    ),
    path("<slug:code>/count/", views.CountView.as_view(), name="count"),
    path("<slug:code>/orders/", order_views.OrderListView.as_view(), name="order-list"),
    path(
        "<slug:code>/orders/<str:number>/",
        order_views.OrderDetailView.as_view(),
        name="order-detail",
    ),
    path(
        "<slug:code>/orders/<str:number>/<slug:action>/",
        order_views.OrderActionView.as_view(),
        name="order-action",
    ),
    path(
        "<slug:code>/movements/", views.MovementListView.as_view(), name="movement-list"
    ),
    path("<slug:code>/reports/", views.ReportView.as_view(), name="reports"),
    path("<slug:code>/api/stock/", api.StockApiView.as_view(), name="api-stock"),
    path(
        "<slug:code>/api/movements/",
        api.MovementApiView.as_view(),
        name="api-movements",
    ),
]
