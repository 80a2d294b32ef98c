"""URLs of the start page and of logging in and out (included from overgang.web.urls)."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from overgang.web.start import views

urlpatterns: list[URLPattern] = [
    path("", views.start, name="start"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
