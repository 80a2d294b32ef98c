"""URL of the indicators page (included from overgang.web.urls)."""

from django.urls import URLPattern, path

from overgang.web.indicators import views

urlpatterns: list[URLPattern] = [path("indicators/", views.indicators, name="indicators")]
