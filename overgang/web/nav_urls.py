"""URLs of the NAV-application and dispute pages (included from overgang/web/urls.py)."""

from django.urls import URLPattern, path

from overgang.web import nav_views as views

urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/nav/new/", views.nav_new, name="nav-new"),
    path("nav/", views.nav_list, name="nav-list"),
    path("nav/<int:pk>/", views.nav_detail, name="nav-detail"),
    path("nav/<int:pk>/<slug:step>/", views.nav_step, name="nav-step"),
    path("patients/<int:pk>/disputes/new/", views.dispute_new, name="dispute-new"),
    path("disputes/", views.dispute_list, name="dispute-list"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute-detail"),
    path("disputes/<int:pk>/<slug:step>/", views.dispute_step, name="dispute-step"),
]
