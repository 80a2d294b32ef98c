"""Login throttling, on django-axes: the login page, the admin's login and POST
/api/v1/auth/token all go through `authenticate`, which axes watches.

Two limits, counted over the cool-off (docs/security.md):

- an account: `LOGIN_ACCOUNT_LIMIT` wrong passwords, from any address, pause that account;
- an address: `LOGIN_ADDRESS_LIMIT` wrong passwords, for any accounts, pause that address.

A hospital ward signs in through one NAT address: the address limit is many times the
account limit, so a colleague's typos never lock the rest of the ward, and a paused account
pauses only itself. While paused, the password is not even checked, and the attempt is not
counted (so hammering one paused account cannot push its address over its limit).

The client address is REMOTE_ADDR; X-Forwarded-For is believed only when the request came
from a proxy named in OVERGANG_TRUSTED_PROXIES, and then only the hops those proxies added.
"""

from __future__ import annotations

import datetime
import ipaddress
import math
from dataclasses import dataclass
from typing import Any, Literal

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from overgang.audit.history import record_change, snapshot
from overgang.audit.models import ChangeAction


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _is_trusted_proxy(address: str | None) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str | None:
    """The address a login came from (None where the server was given none, as over a unix
    socket: such logins share one count). Behind trusted proxies, the first hop from the
    right of X-Forwarded-For that is not one of them: each proxy appends the address it was
    called from, so everything left of that hop is what the client claimed and is not
    believed."""
    remote = _address(str(request.META.get("REMOTE_ADDR", "")))
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            # A trusted proxy passed on something that is no address: count the proxy.
            return remote
        if not _is_trusted_proxy(address):
            return address
    return remote


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class LoginThrottle(AxesDatabaseHandler):
    """axes' database handler, with a limit of its own for the account and for the address.

    axes compares one number with one limit (AXES_FAILURE_LIMIT, the account's). The
    address's failures are counted towards it only past what the address may have more than
    an account: the number reaches the limit exactly when the account or the address does."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # In the order of AXES_LOCKOUT_PARAMETERS: ["username", "ip_address"].
        by_account, by_address = self.get_user_attempts(request, credentials)
        allowance = settings.LOGIN_ADDRESS_LIMIT - settings.LOGIN_ACCOUNT_LIMIT
        return max(_failures(by_account), _failures(by_address) - allowance)

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        forget_failures(request, user.get_username())


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a paused account or address before any password is checked. A login without
    a request comes from code (a test, the shell), not from a client: nothing to throttle."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, *args, **kwargs)
        return None


def forget_failures(request: HttpRequest, username: str) -> None:
    """A correct password: this account's wrong ones from this address were typos. Others'
    failures from the same address stay counted."""
    AccessAttempt.objects.filter(username=username, ip_address=client_address(request)).delete()


def _seconds_left(request: HttpRequest, credentials: dict[str, Any] | None) -> tuple[int, bool]:
    """How long until the pause surely ends, and whether it is the address's (not only the
    account's): the newest counted failure of what is over its limit, plus the cool-off."""
    now = timezone.now()
    cool_off = get_cool_off(request)
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    by_account = recent.filter(username=get_client_username(request, credentials))
    by_address = recent.filter(ip_address=client_address(request))
    address_paused = _failures(by_address) >= settings.LOGIN_ADDRESS_LIMIT
    paused = [by_address] if address_paused else []
    if _failures(by_account) >= settings.LOGIN_ACCOUNT_LIMIT:
        paused.append(by_account)
    newest = [found for qs in paused if (found := qs.aggregate(at=Max("attempt_time"))["at"])]
    ends = max(newest, default=now) + cool_off
    return max(1, math.ceil((ends - now).total_seconds())), address_paused


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a paused login: 429 with Retry-After; JSON in the API's error shape for
    the API, a page in the user's language otherwise (AXES_LOCKOUT_CALLABLE)."""
    seconds, address_paused = _seconds_left(request, credentials)
    minutes = math.ceil(seconds / 60)
    if address_paused:
        message = ngettext(
            "Too many wrong passwords from this network. Signing in from it is paused for "
            "%(minutes)d minute.",
            "Too many wrong passwords from this network. Signing in from it is paused for "
            "%(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = ngettext(
            "Too many wrong passwords for this account. Signing in to it is paused for "
            "%(minutes)d minute. Other accounts can still sign in.",
            "Too many wrong passwords for this account. Signing in to it is paused for "
            "%(minutes)d minutes. Other accounts can still sign in.",
            minutes,
        ) % {"minutes": minutes}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {
                "message": message,
                "help": _("An administrator can lift the pause sooner."),
            },
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


# -- what an administrator sees and lifts ----------------------------------------------------

Kind = Literal["account", "address"]
_FIELD: dict[Kind, str] = {"account": "username", "address": "ip_address"}


@dataclass(frozen=True)
class Pause:
    kind: Kind
    who: str  # the username or the address
    failures: int
    until: datetime.datetime


def current_pauses(*, now: datetime.datetime | None = None) -> list[Pause]:
    """The accounts and addresses paused now, the longest-lasting first."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off).order_by()
    limits: dict[Kind, int] = {
        "account": settings.LOGIN_ACCOUNT_LIMIT,
        "address": settings.LOGIN_ADDRESS_LIMIT,
    }
    pauses = [
        Pause(
            kind=kind, who=str(row[field]), failures=row["failures"], until=row["newest"] + cool_off
        )
        for kind, field in _FIELD.items()
        for row in recent.values(field)
        .annotate(failures=Sum("failures_since_start"), newest=Max("attempt_time"))
        .filter(failures__gte=limits[kind])
    ]
    return sorted(pauses, key=lambda pause: pause.until, reverse=True)


def lift_pause(kind: Kind, who: str, *, actor: User) -> int:
    """Forget the counted wrong passwords of an account or an address: it may sign in at once.
    Each forgotten row leaves a history row. Returns how many rows there were."""
    with transaction.atomic():
        rows = list(AccessAttempt.objects.select_for_update().filter(**{_FIELD[kind]: who}))
        for row in rows:
            record_change(
                row,
                actor=actor,
                action=ChangeAction.DELETED,
                before=snapshot(row, ["username", "ip_address", "failures_since_start"]),
                reason=f"login pause of the {kind} lifted",
            )
            row.delete()
    return len(rows)
