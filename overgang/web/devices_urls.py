"""URLs of the devices pages (included from overgang/web/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
