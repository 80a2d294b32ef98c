"""URLs of the start page and of logging in and out (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.sso import views as sso_views
from overgang.web.start import views

urlpatterns: list[URLPattern] = [
    path("", views.start, name="start"),
    # Local passwords and the identity providers' buttons; logging out ends both (web/sso/).
    path("login/", sso_views.Login.as_view(), name="login"),
    path("logout/", sso_views.log_out, name="logout"),
]
