"""URLs of the NAV-application pages (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.nav import views

urlpatterns: list[URLPattern] = [
    path("patients/<int:pk>/nav/new/", views.nav_new, name="nav-new"),
    path("nav/", views.nav_list, name="nav-list"),
    path("nav/<int:pk>/", views.nav_detail, name="nav-detail"),
    path("nav/<int:pk>/<slug:step>/", views.nav_step, name="nav-step"),
]
