"""URLs of the dispute pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.disputes import views

urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/disputes/new/", views.dispute_new, name="dispute-new"),
    path("disputes/", views.dispute_list, name="dispute-list"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute-detail"),
    path("disputes/<int:pk>/<slug:step>/", views.dispute_step, name="dispute-step"),
]
