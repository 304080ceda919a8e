from django.urls import include, path

from shop import api

app_name = "api"

urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("", include("catalogue.api_urls")),
    path("stats/", include("catalogue.stats_api_urls")),
    path("sales-points/", include("sales_points.api_urls")),
    path("search/", include("search.api_urls")),
]
