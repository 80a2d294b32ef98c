"""URL of the header's search (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.search import views

urlpatterns: list[URLPattern] = [
    path("search/", views.search, name="search"),
]
