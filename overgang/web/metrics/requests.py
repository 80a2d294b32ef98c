"""Every request counted and timed, by method, route and status.

The route is the URL pattern the request resolved to (`/patients/<int:pk>/`), never the
path it asked for: a path holds ids and serials, and one label value per id would grow the
monitoring's storage without end. A request no pattern answers (a 404 for an unknown
address, a redirect given before resolving) is "unmatched". Methods outside HTTP's usual
ones are "other", for the same reason: a client chooses them.

The middleware stands first, so that its time includes every other middleware. It costs a
clock read and two label look-ups; it touches no database and no session.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Histogram, disable_created_metrics

UNMATCHED = "unmatched"
OTHER_METHOD = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# From a page drawn from memory (5 ms) to the server's own limit on a request (30 s is
# gunicorn's timeout; past 10 s a user has given up anyway).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# A *_created series beside every counter doubles what is stored and tells an operator
# nothing here (the server's start time does); multiprocess mode never shows them.
disable_created_metrics()  # type: ignore[no-untyped-call]

# registry=None: /metrics chooses what to show (overgang.web.metrics.scrape), so these are
# registered nowhere at import, and a second import in tests does not collide.
REQUESTS = Counter(
    "overgang_http_requests",
    "HTTP requests answered, by method, route (URL pattern) and status.",
    ["method", "route", "status"],
    registry=None,
)
DURATION = Histogram(
    "overgang_http_request_duration_seconds",
    "Time from the request's arrival at Django to its response, by method and route.",
    ["method", "route"],
    buckets=DURATION_BUCKETS,
    registry=None,
)


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    # The whole pattern, from the root: "" is the start page, "/".
    return f"/{match.route}"


def method_of(request: HttpRequest) -> str:
    method = request.method or ""
    return method if method in METHODS else OTHER_METHOD


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = perf_counter()
        # An exception that escapes every handler reaches the server as a 500.
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            elapsed = perf_counter() - started
            count, timing = _series(method_of(request), route_of(request), status)
            count.inc()
            timing.observe(elapsed)


# prometheus_client's labels() checks and converts its arguments under a lock each time, two
# thirds of what counting a request costs. The combinations are few (the routes times the
# methods and statuses they answer), so each pair of series is looked up once. Two threads
# that miss at once store the same pair: labels() hands both the same series.
_SERIES: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}


def _series(method: str, route: str, status: int) -> tuple[Counter, Histogram]:
    key = (method, route, status)
    found = _SERIES.get(key)
    if found is None:
        found = _SERIES[key] = (
            REQUESTS.labels(method, route, str(status)),
            DURATION.labels(method, route),
        )
    return found
