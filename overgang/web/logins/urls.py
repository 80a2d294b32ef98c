"""URLs of the paused logins (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.logins import views

urlpatterns: list[URLPattern] = [
    path("logins/paused/", views.paused_logins, name="paused-logins"),
    path("logins/paused/lift/", views.lift, name="lift-login-pause"),
]
