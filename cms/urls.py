"""Language-neutral addresses of the content site (mounted outside i18n_patterns)."""

from django.urls import path

from cms import views

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
]
