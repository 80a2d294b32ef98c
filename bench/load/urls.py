"""The product's routes, and the bare views under /bench-bare/ (bench/load/bare.py)."""

from django.urls import URLPattern, URLResolver

from bench.load.bare import urlpatterns as bare
from overgang.urls import handler404, handler500
from overgang.urls import urlpatterns as product

urlpatterns: list[URLPattern | URLResolver] = [*bare, *product]

__all__ = ["handler404", "handler500", "urlpatterns"]
