"""URLs of the organisation register (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.organisations import views

urlpatterns: list[URLPattern] = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:key>/", views.organisation_detail, name="organisation-detail"),
]
