"""The catalogue's open-data endpoints, included at /api/v1/ (namespace "api")."""

from django.urls import path

from catalogue import api

urlpatterns = [
    path("products/", api.ProductList.as_view(), name="product-list"),
    path("products/<int:pk>/", api.ProductDetail.as_view(), name="product-detail"),
    path("products.csv", api.ProductCsvExport.as_view(), name="product-export"),
    # The same export under the collection, for clients that build URLs that way.
    path("products/export.csv", api.ProductCsvExport.as_view()),
    path("producers/", api.ProducerList.as_view(), name="producer-list"),
    path("producers/<int:pk>/", api.ProducerDetail.as_view(), name="producer-detail"),
    path("certificates/", api.CertificateList.as_view(), name="certificate-list"),
    path(
        "certificates/<int:pk>/",
        api.CertificateDetail.as_view(),
        name="certificate-detail",
    ),
    path("regions/", api.RegionList.as_view(), name="region-list"),
    path("regions/<slug:code>/", api.RegionDetail.as_view(), name="region-detail"),
]
