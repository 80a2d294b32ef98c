"""URLs of the rules pages: who is responsible, and the agreements' text (included from
overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.rules import views

urlpatterns: list[URLPattern] = [
    path("rules/", views.responsibility, name="responsibility"),
    path("rules/seeds/<str:prefix>/", views.seed_text, name="seed-text"),
]
