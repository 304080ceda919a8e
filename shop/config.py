from django.urls import path
from oscar.config import Shop
from oscar.core.loading import get_class


class OcopShop(Shop):
    """Oscar's storefront with two changes: /<lang>/shop/ shows the catalogue itself
    (Oscar redirects it), and the dashboard is left out here because shop.urls mounts it
    at /dashboard/, outside the language prefix."""

    def get_urls(self):
        catalogue_view = get_class("search.views", "CatalogueView")
        urls = [
            url
            for url in super().get_urls()
            if str(url.pattern) not in ("", "dashboard/")
        ]
        return [path("", catalogue_view.as_view(), name="home"), *urls]
