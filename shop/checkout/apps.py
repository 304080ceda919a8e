import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout app with our steps: contact, delivery or pickup, payment
    method, review, card payment (shop.checkout.views)."""

    name = "shop.checkout"

    def get_urls(self):
        from shop.checkout import views

        urls = [
            path("", views.ContactView.as_view(), name="index"),
            path("delivery/", views.DeliveryView.as_view(), name="delivery"),
            path(
                "shipping/", views.ShippingMethodView.as_view(), name="shipping-method"
            ),
            path("payment/", views.PaymentMethodView.as_view(), name="payment-method"),
            path("review/", views.PreviewView.as_view(), name="preview"),
            path("pay/<str:number>/", views.PayView.as_view(), name="pay"),
            path(
                "pay/<str:number>/confirm/",
                views.PayConfirmView.as_view(),
                name="pay-confirm",
            ),  # fmt: skip
            path(
                "pay/<str:number>/return/",
                views.PayReturnView.as_view(),
                name="pay-return",
            ),  # fmt: skip
            path("pay/<str:number>/cancel/", views.pay_cancel, name="pay-cancel"),
            path("done/<str:number>/", views.DoneView.as_view(), name="done"),
        ]
        return self.post_process_urls(urls)
