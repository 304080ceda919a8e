from django.urls import path

from shop import api

app_name = "api"

urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
]
