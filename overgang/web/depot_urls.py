"""URLs of the depot overview (included from overgang/web/urls.py)."""

from django.urls import path

from overgang.web import depot_views

urlpatterns = [
    path("depot/", depot_views.depot, name="depot"),
    path("depot/overview.csv", depot_views.depot_csv, name="depot-csv"),
    path("depot/minimum/", depot_views.depot_minimum, name="depot-minimum"),
]
