"""When the database cannot be reached: the API answers a JSON 503, the pages a 503 page in
the user's language, both with Retry-After, and a command says so in one line.

"Cannot be reached" is what the database driver calls an OperationalError or an
InterfaceError: the server refuses or drops the connection, the database is missing, the
pool found no free connection in time (overgang.database). All of these pass; a bug does
not, and keeps its 500 and its traceback.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext

UNAVAILABLE = (OperationalError, InterfaceError)  # the API registers its handler for each
RETRY_AFTER_SECONDS = 30
TEMPLATE = "503.html"

logger = logging.getLogger(__name__)


def is_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, UNAVAILABLE)


def api_response() -> HttpResponse:
    """The API's 503, in the shape of its other errors: {"detail": "..."}."""
    detail = gettext("The database cannot be reached at the moment. Try again shortly.")
    return _retry_later(JsonResponse({"detail": detail}, status=503))


def page_response() -> HttpResponse:
    """The pages' 503. Drawn without the request: its menu and user need the database."""
    html: str
    try:
        html = loader.render_to_string(TEMPLATE)
    except Exception:
        logger.exception("The page for an unreachable database could not be drawn")
        title = escape(gettext("Overgang cannot reach its database"))
        html = f"<!doctype html><title>{title}</title><h1>Overgang</h1><p>{title}</p>"
    return _retry_later(HttpResponse(html, status=503))


def response_for(request: HttpRequest) -> HttpResponse:
    return api_response() if request.path.startswith("/api/") else page_response()


def _retry_later(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unreachable_because(error: BaseException) -> str | None:
    """Why the database cannot be used, in one line, or None if it can after all (then
    `error` was something else and deserves its traceback).

    On PostgreSQL a connection of its own asks the server, past the pool: the pool only
    says it waited in vain, the server says why (refused, no such database, password).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return _one_line(error)
    import psycopg

    try:
        params = {**connection.get_connection_params(), "connect_timeout": 5}
        psycopg.connect(**params).close()
    except psycopg.Error as refused:
        return _one_line(refused)
    return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
