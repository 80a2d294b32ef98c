"""No response of Overgang's is kept in a cache, and the browser's powers are switched off.

Every response Django makes is a page or an answer of the API about patients, or could
become one: a shared computer's cache, a proxy or the back button would keep it after the
user logged out. So each says `Cache-Control: no-store` (with `private` and friends for
old proxies). Static files keep their caching: they are served before any middleware
(by the reverse proxy in production, by the static files handler in development).

Permissions-Policy switches off the features Overgang never uses (settings.PERMISSIONS_POLICY),
so a script that got in anyway cannot turn on the camera or read the position.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """`camera=(), geolocation=(self)`: each feature with the origins it is allowed to."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
