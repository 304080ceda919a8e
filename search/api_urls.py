from django.urls import path

from search import api

urlpatterns = [
    path("", api.SearchApiView.as_view(), name="search"),
    path("suggest/", api.SuggestApiView.as_view(), name="search-suggest"),
]
