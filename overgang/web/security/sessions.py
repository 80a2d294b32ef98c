"""A login lasts a working day at most, and ends sooner when nobody uses it.

Two clocks, both in the session: when the user logged in (absolute: after
settings.SESSION_HOURS they log in again, however busy) and when they last did something
(sliding: after settings.SESSION_IDLE_MINUTES without a request they log in again, so a
screen left open in a ward does not stay open to the next person).

A page that refreshes itself (the worklist, the start page's figures) is not someone
using Overgang: those requests carry the header X-Overgang-Poll and do not move the idle
clock. They do end an expired login, and the page then goes to the login page.

When a login has ended the user lands on the login page with a message that says why, in
the language they read, and logging in takes them back to where they were. The API has no
login page: its request goes on without the user, and is refused like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from overgang import clock

LOGGED_IN_AT = "overgang_logged_in_at"
SEEN_AT = "overgang_seen_at"
POLL_HEADER = "X-Overgang-Poll"
# The idle clock is written at most once a minute: saving the session on every request
# would be a database write each, for a precision nobody needs.
SEEN_RESOLUTION_SECONDS = 60
# The API's URL namespace (overgang/api/urls.py); the pages may not import the API.
API_NAMESPACE = "api"


def _now() -> int:
    return int(clock.now().timestamp())


def stamp_login(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Start both clocks (connected to user_logged_in)."""
    now = _now()
    request.session[LOGGED_IN_AT] = now
    request.session[SEEN_AT] = now


def why_ended(session: SessionBase, now: int) -> str | None:
    """Why this login is over, in the active language; None while it lasts."""
    hours, minutes = settings.SESSION_HOURS, settings.SESSION_IDLE_MINUTES
    if now - session.get(LOGGED_IN_AT, now) >= hours * 3600:
        return ngettext(
            "You were logged out: a login lasts %(hours)d hour at most. "
            "Log in again to go on where you were.",
            "You were logged out: a login lasts %(hours)d hours at most. "
            "Log in again to go on where you were.",
            hours,
        ) % {"hours": hours}
    if now - session.get(SEEN_AT, now) >= minutes * 60:
        return ngettext(
            "You were logged out after %(minutes)d minute without activity. "
            "Log in again to go on where you were.",
            "You were logged out after %(minutes)d minutes without activity. "
            "Log in again to go on where you were.",
            minutes,
        ) % {"minutes": minutes}
    return None


def _is_api(request: HttpRequest) -> bool:
    try:
        return API_NAMESPACE in resolve(request.path_info).namespaces
    except Resolver404:
        return False


def _where_they_were(request: HttpRequest, htmx: HtmxDetails) -> str | None:
    """The page to come back to after logging in again."""
    if htmx:
        # A part of a page asked: come back to the page, not to the part.
        return htmx.current_url_abs_path
    if request.path in (reverse("login"), reverse("logout")):
        return None  # nothing to come back to
    # After a form's POST, this is the action's address: a GET there leads to its page
    # (overgang.web.post_only).
    return request.get_full_path()


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = _now()
            if reason := why_ended(request.session, now):
                return self.ended(request, reason) or self.get_response(request)
            self.seen(request, now)
        return self.get_response(request)

    def ended(self, request: HttpRequest, reason: str) -> HttpResponse | None:
        htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]
        where = _where_they_were(request, htmx)
        logout(request)
        if _is_api(request):
            return None
        messages.warning(request, reason)
        if where:
            to_login = redirect_to_login(where)["Location"]
        else:
            to_login = resolve_url(settings.LOGIN_URL)
        if htmx:
            # A part of a page asked: the whole page goes to the login page.
            return HttpResponseClientRedirect(to_login)
        return HttpResponseRedirect(to_login)

    def seen(self, request: HttpRequest, now: int) -> None:
        session = request.session
        session.setdefault(LOGGED_IN_AT, now)  # a login from before these clocks
        if request.headers.get(POLL_HEADER):
            return
        if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
