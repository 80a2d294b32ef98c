"""Logging in through an identity provider (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.sso import views

urlpatterns: list[URLPattern] = [
    path("sso/<slug:name>/login/", views.start, name="sso-login"),
    path("sso/<slug:name>/callback/", views.callback, name="sso-callback"),
]
