from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from shop import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("cms.urls")),  # /sitemap.xml, /robots.txt
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("dashboard/ocop/statistics/", include("catalogue.stats_dashboard_urls")),
    path("dashboard/ocop/", include("catalogue.dashboard.urls")),
    path("dashboard/outlets/", include("sales_points.dashboard.import_urls")),
    path("dashboard/outlets/", include("sales_points.dashboard.urls")),
    path("dashboard/currency/", include("shop.currency_dashboard_urls")),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    # Short, language-neutral traceability links for QR codes on stamps.
    path("t/", include("catalogue.trace_urls")),
    path("api/v1/", include("shop.api_urls")),
    path("payments/stripe/", include("shop.payment.urls")),
]

urlpatterns += i18n_patterns(
    # Oscar under shop/: its "" route would otherwise hide the Wagtail home page.
    path("shop/currency/", include("shop.currency_urls")),
    path("shop/order-status/", include("shop.order.status_urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("ocop/", include("catalogue.urls")),
    path("sales-points/", include("sales_points.urls")),
    # Wagtail's catch-all stays last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = (
        static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
    )
