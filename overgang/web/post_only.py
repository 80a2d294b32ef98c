"""An action's address answers a GET with the page the action belongs to.

A form that comes back with an error leaves its action's address (…/lend/, …/discard/) in
the address bar. Reloading the page, switching the language or opening the address in a new
tab then sends a GET there, which the action refuses (405): a blank page. For a person, the
answer to that GET is the page the action belongs to: the nearest address above it that
exists. The API keeps its 405: a program is told what it did wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path

# The API's URL namespace (overgang/api/urls.py); the pages may not import the API.
API_NAMESPACE = "api"


def page_above(path: str) -> str:
    """The nearest address above `path` (a decoded path, as Django reads it) that exists."""
    segments = path.strip("/").split("/")
    while segments:
        segments.pop()
        candidate = "/" + "".join(f"{segment}/" for segment in segments)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"


class PostOnlyRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD"):
            return response
        match = request.resolver_match
        if match is None or API_NAMESPACE in match.namespaces:
            return response
        prefix = request.path.removesuffix(request.path_info)
        # The page above may itself be an action: the next GET climbs on from there.
        return HttpResponseRedirect(escape_uri_path(prefix + page_above(request.path_info)))
