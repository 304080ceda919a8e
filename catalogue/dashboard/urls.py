from django.urls import path

from catalogue.dashboard import views

app_name = "ocop-dashboard"

urlpatterns = [
    path("producers/", views.ProducerListView.as_view(), name="producer-list"),
    path(
        "producers/create/", views.ProducerCreateView.as_view(), name="producer-create"
    ),
    path(
        "producers/<int:pk>/",
        views.ProducerUpdateView.as_view(),
        name="producer-update",
    ),
    path(
        "producers/lookup/", views.ProducerLookupView.as_view(), name="producer-lookup"
    ),
    path("users/lookup/", views.UserLookupView.as_view(), name="user-lookup"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate-list"),
    path(
        "certificates/expiring/",
        views.CertificateListView.as_view(view="expiring"),
        name="certificate-expiring",
    ),
    path(
        "certificates/expired/",
        views.CertificateListView.as_view(view="expired"),
        name="certificate-expired",
    ),
    path(
        "certificates/create/",
        views.CertificateCreateView.as_view(),
        name="certificate-create",
    ),
    path(
        "certificates/<int:pk>/",
        views.CertificateDetailView.as_view(),
        name="certificate-detail",
    ),
    path(
        "certificates/<int:pk>/renew/",
        views.CertificateRenewView.as_view(),
        name="certificate-renew",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        views.CertificateRevokeView.as_view(),
        name="certificate-revoke",
    ),
    path(
        "certificates/<int:pk>/reassess/",
        views.CertificateReassessView.as_view(),
        name="certificate-reassess",
    ),
]
