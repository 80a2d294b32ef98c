"""URLs of the depot overview (included from overgang.web.urls)."""

from django.urls import path

from overgang.web.depot import views

urlpatterns = [
    path("depot/", views.depot, name="depot"),
    path("depot/overview.csv", views.depot_csv, name="depot-csv"),
    path("depot/minimum/", views.depot_minimum, name="depot-minimum"),
]
