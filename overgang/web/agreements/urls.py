"""URLs of an agreement's case catalogue (N1), included from overgang.web.urls."""

from django.urls import URLPattern, path

from overgang.web.agreements import views

urlpatterns: list[URLPattern] = [
    path("agreements/catalogue/", views.catalogue_index, name="case-catalogue-index"),
    path("agreements/<str:key>/catalogue/", views.catalogue_page, name="case-catalogue"),
]
