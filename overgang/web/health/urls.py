"""URLs of the process's health (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.health import views

urlpatterns: list[URLPattern] = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
