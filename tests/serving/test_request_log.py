"""Every request is logged on one line with an id the response carries back, so a user's
"it failed at 10:32" and a proxy's log lead to the same lines; the line never holds the
query string (searches hold national ID numbers) and costs no database query."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pythonjsonlogger.json import JsonFormatter

from overgang.serving import request_id
from overgang.serving.logs import JSON_FORMATTER, RequestIdFilter

REQUESTS = "overgang.requests"
MIDDLEWARE = "overgang.serving.middleware.RequestLogMiddleware"


def _request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == REQUESTS]


def test_a_sane_request_id_comes_back_and_names_the_log_line(client: Client, caplog):
    caplog.set_level(logging.INFO, logger=REQUESTS)
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response["X-Request-ID"] == "lb-7f3a.42"
    (line,) = _request_lines(caplog)
    assert line.request_id == "lb-7f3a.42"  # type: ignore[attr-defined]
    assert (line.method, line.path, line.route, line.status) == (  # type: ignore[attr-defined]
        "GET",
        "/healthz",
        "healthz",
        200,
    )
    assert line.duration_ms >= 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "offered",
    ["", "a" * 65, "abc def", "abc\r\nSet-Cookie: x=1", "<script>", "ok;rm"],
)
def test_an_insane_request_id_is_replaced_by_a_new_one(client: Client, offered: str):
    response = client.get("/healthz", headers={"X-Request-ID": offered})
    made = response["X-Request-ID"]
    assert made != offered
    assert len(made) == 32 and int(made, 16) >= 0  # a uuid4 in hex


def test_each_request_without_an_id_gets_its_own(client: Client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


@pytest.mark.django_db
def test_the_line_has_the_path_without_its_query_and_the_user(
    client: Client, caplog, frogner_case_worker
):
    client.force_login(frogner_case_worker)
    caplog.set_level(logging.INFO, logger=REQUESTS)
    client.get("/patients/", {"q": "15108695088"})
    (line,) = _request_lines(caplog)
    assert line.path == "/patients/"  # type: ignore[attr-defined]
    assert "15108695088" not in line.getMessage()
    assert "15108695088" not in json.dumps(line.__dict__, default=str)
    assert line.user_id == frogner_case_worker.pk  # type: ignore[attr-defined]
    assert line.status == 200  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/worklist/"])
def test_the_log_line_costs_no_query(frogner_case_worker, settings, path):
    """The same logged-in request asks the database as often with the log as without it."""

    def queries_of_a_request() -> tuple[int, bool]:
        client = Client()  # a client loads the middleware at its first request
        client.force_login(frogner_case_worker)
        client.get(path)  # first-request work (caches) out of the way
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries), "X-Request-ID" in response

    with_log, logged = queries_of_a_request()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    without_log, not_logged = queries_of_a_request()
    assert (logged, not_logged) == (True, False)
    assert with_log == without_log


@pytest.mark.django_db
def test_a_warning_logged_during_the_request_carries_its_id(client: Client, caplog, monkeypatch):
    """/readyz logs why it is not ready; that line names the request it was written in."""

    def refused(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(MigrationExecutor, "migration_plan", refused)
    caplog.handler.addFilter(RequestIdFilter())
    response = client.get("/readyz", headers={"X-Request-ID": "trace-1"})
    assert response.status_code == 503
    warning = next(r for r in caplog.records if r.getMessage().startswith("Not ready"))
    assert warning.request_id == "trace-1"
    assert request_id.current.get() is None  # nothing is left once it is answered


def test_the_json_line_is_one_object_with_the_fields(client: Client, caplog):
    caplog.set_level(logging.INFO, logger=REQUESTS)
    client.get("/healthz?national_id=15108695088", headers={"X-Request-ID": "r-1"})
    (line,) = _request_lines(caplog)
    options = {k: v for k, v in JSON_FORMATTER.items() if k != "()"}
    text = JsonFormatter(**options).format(line)
    assert "\n" not in text
    logged = json.loads(text)
    assert logged["request_id"] == "r-1"
    assert logged["path"] == "/healthz"
    assert logged["level"] == "INFO"
    assert logged["logger"] == REQUESTS
    assert {"method", "route", "status", "duration_ms", "user_id", "time"} <= logged.keys()
    assert "15108695088" not in text
