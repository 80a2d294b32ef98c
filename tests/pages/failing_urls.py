"""The site's addresses, and three pages that fail: in the code, in the database, in a
template. For the tests of the error page."""

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, URLResolver, path

from overgang.urls import handler404, handler500
from overgang.urls import urlpatterns as site

__all__ = ["handler404", "handler500", "urlpatterns"]


def code_fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_fails(request: HttpRequest) -> HttpResponse:
    raise DatabaseError("the connection is lost")


def template_fails(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string("{% url 'no-such-page' %}")
    return HttpResponse(template.render({}, request))


urlpatterns: list[URLPattern | URLResolver] = [
    path("fails/code/", code_fails),
    path("fails/database/", database_fails),
    path("fails/template/", template_fails),
    *site,
]
