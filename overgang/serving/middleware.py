"""One log line per request, with the request id the response carries back.

First in MIDDLEWARE, so the id is set before anything else logs and the line is written
for every answer, static files and refusals included. The line names the path without its
query string (a search holds national ID numbers), the route, the status, the time taken
and the user. It costs no query: the user is named only if the request already looked them
up (the session or the API token did); a request that never did is logged without one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from overgang.serving import request_id

logger = logging.getLogger("overgang.requests")


def _user_id(request: HttpRequest) -> int | None:
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None  # never looked up: looking now would cost a query
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        rid = request_id.accepted(request.headers.get(request_id.HEADER))
        token = request_id.current.set(rid)
        try:
            response = self.get_response(request)
            response[request_id.HEADER] = rid
            self._log(request, response.status_code, started)
            return response
        finally:
            request_id.current.reset(token)

    @staticmethod
    def _log(request: HttpRequest, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        match = request.resolver_match
        route = match.view_name if match else None
        logger.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "route": route,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": _user_id(request),
            },
        )
