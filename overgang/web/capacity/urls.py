"""URLs of the shared capacity overview (included from overgang.web.urls)."""

from django.urls import path

from overgang.web.capacity import views

urlpatterns = [path("capacity/", views.capacity_overview, name="capacity")]
