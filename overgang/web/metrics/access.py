"""Who may read /metrics: the monitoring, not the public. A client from one of
OVERGANG_METRICS_NETWORKS (default: this machine), or one that shows
`Authorization: Bearer <OVERGANG_METRICS_TOKEN>` when a token is set. Everyone else is
told there is no such page.

The client's address is the one the login throttle believes (client_address): behind a
reverse proxy on this machine every request comes from 127.0.0.1, so a request that a
proxy passed on (it has X-Forwarded-For) counts by its address only when that proxy is
one of OVERGANG_TRUSTED_PROXIES, and then by the address the proxies name.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

from overgang.organisations.logins import client_address

BEARER = "bearer "


def may_read_metrics(request: HttpRequest) -> bool:
    return _shows_the_token(request) or _from_a_metrics_network(request)


def _shows_the_token(request: HttpRequest) -> bool:
    token: str = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not given.lower().startswith(BEARER):
        return False
    return hmac.compare_digest(given[len(BEARER) :].strip().encode(), token.encode())


def _from_a_metrics_network(request: HttpRequest) -> bool:
    if "HTTP_X_FORWARDED_FOR" in request.META and not _passed_by_a_trusted_proxy(request):
        # A proxy we do not know passed this on: its own address says nothing of the client.
        return False
    address = client_address(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in settings.METRICS_NETWORKS)


def _passed_by_a_trusted_proxy(request: HttpRequest) -> bool:
    try:
        remote = ipaddress.ip_address(str(request.META.get("REMOTE_ADDR", "")).strip())
    except ValueError:
        return False
    return any(remote in network for network in settings.TRUSTED_PROXIES)
