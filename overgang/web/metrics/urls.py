"""The monitoring's address (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.metrics import views

urlpatterns: list[URLPattern] = [
    path("metrics", views.metrics, name="metrics"),
]
