"""No response of Overgang's is kept in a cache, and the browser's powers are switched off.

Every response Django makes is a page or an answer of the API about patients, or could
become one: a shared computer's cache, a proxy or the back button would keep it after the
user logged out. So each says `Cache-Control: no-store` (with `private` and friends for
old proxies). Static files keep their caching: they are served before any middleware
(by the reverse proxy in production, by the static files handler in development).

Permissions-Policy switches off the features Overgang never uses (settings.PERMISSIONS_POLICY),
so a script that got in anyway cannot turn on the camera or read the position.

The Content-Security-Policy (settings.SECURE_CSP) lets forms post to Overgang only, with one
addition: logging out of single sign-on posts the logout form, and Overgang answers with a
redirect to the identity provider's end-session address. A browser holds a form's redirects
to `form-action` too, so the configured providers' origins (their issuers') are added there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """`camera=(), geolocation=(self)`: each feature with the origins it is allowed to."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


def policy_with_providers(policy: dict[str, Any], issuers: list[str]) -> dict[str, Any]:
    """The policy with the providers' origins allowed as a form's target (see above)."""
    origins = sorted({f"{p.scheme}://{p.netloc}" for p in map(urlsplit, issuers) if p.netloc})
    if not origins:
        return policy
    return {**policy, "form-action": [*policy.get("form-action", []), *origins]}


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        if not hasattr(response, "_csp_config") and settings.SSO_PROVIDERS:
            # Read by Django's ContentSecurityPolicyMiddleware, which runs after this one.
            response._csp_config = policy_with_providers(  # type: ignore[attr-defined]
                settings.SECURE_CSP, [p.issuer for p in settings.SSO_PROVIDERS]
            )
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
