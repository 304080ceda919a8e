from django.urls import path

from shop.payment import views

urlpatterns = [
    path("webhook/", views.stripe_webhook, name="stripe-webhook"),
]
