"""The operators' monitoring reads /metrics: every request counted by its URL pattern and
status, what the worker and the outbox have waiting, how long ago the deadlines were swept.
Only the monitoring may read it; under gunicorn the counts of every worker process add up."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from prometheus_client.parser import text_string_to_metric_families

from overgang.stays import actions
from overgang.stays.management.commands.worker import schedule_sweep, task_runner
from overgang.stays.tasks import sweep_deadlines
from tests.serving.served import ROOT, command_env, free_port
from tests.stays.conftest import (  # noqa: F401
    hnt_physician,
    levanger_patient,
    levanger_stay,
)

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parsed(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def scrape(client: Client, **extra: str) -> Samples:
    response = client.get("/metrics", **extra)  # type: ignore[arg-type]
    assert response.status_code == 200, response.status_code
    return parsed(response.content.decode())


@pytest.fixture
def scraper(settings) -> Client:
    """The monitoring on this machine, with no token set."""
    settings.METRICS_TOKEN = ""
    return Client()


# --- Requests -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_are_counted_by_route_pattern_and_status(scraper: Client):
    before = scrape(scraper)
    client = Client()
    assert client.get("/login/").status_code == 200
    assert client.get("/api/v1/patients/4711").status_code == 401
    assert client.get("/no/such/page/12345").status_code == 404
    after = scrape(scraper)

    def more(name: str, **labels: str) -> float:
        return (value(after, name, **labels) or 0) - (value(before, name, **labels) or 0)

    total = "overgang_http_requests_total"
    assert more(total, method="GET", route="/login/", status="200") == 1
    # The pattern, not the path: the patient's id is no label.
    assert more(total, method="GET", route="/api/v1/patients/<int:patient_id>", status="401") == 1
    assert more(total, method="GET", route="unmatched", status="404") == 1
    count = "overgang_http_request_duration_seconds_count"
    assert more(count, method="GET", route="/login/") == 1
    assert more(count, method="GET", route="unmatched") == 1
    assert not any("4711" in str(labels) or "12345" in str(labels) for _, labels in after)


@pytest.mark.django_db
def test_a_request_is_timed_in_the_bucket_of_its_duration(scraper: Client, monkeypatch):
    from overgang.web.metrics import requests

    before = scrape(scraper)
    ticks = iter([100.0, 100.3])  # the middleware reads the clock twice: 300 ms
    monkeypatch.setattr(requests, "perf_counter", lambda: next(ticks))
    Client().get("/healthz")
    monkeypatch.undo()
    after = scrape(scraper)
    bucket = "overgang_http_request_duration_seconds_bucket"

    def more(le: str) -> float:
        labels = {"method": "GET", "route": "/healthz", "le": le}
        return (value(after, bucket, **labels) or 0) - (value(before, bucket, **labels) or 0)

    assert more("0.25") == 0
    assert more("0.5") == 1


# --- The background work ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_queue_counts_a_task_waiting_for_the_worker(scraper: Client):
    before = value(scrape(scraper), "overgang_tasks", state="ready")
    sweep_deadlines.enqueue()
    after = value(scrape(scraper), "overgang_tasks", state="ready")
    assert before is not None and after == before + 1


@pytest.mark.django_db
def test_the_coming_minutes_sweep_is_scheduled_not_ready(scraper: Client):
    schedule_sweep(timezone.now() + datetime.timedelta(minutes=1))
    samples = scrape(scraper)
    assert value(samples, "overgang_tasks", state="scheduled") == 1
    assert value(samples, "overgang_tasks", state="ready") == 0


def _run_the_worker(monkeypatch) -> None:
    # The worker drops stale connections between tasks; inside the test's transaction that
    # would drop the test's own connection (PostgreSQL).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    task_runner("test-worker").run()


@pytest.mark.django_db
def test_the_sweep_lag_grows_while_no_sweep_runs_and_is_small_after_one(
    scraper: Client, monkeypatch
):
    lag = "overgang_deadline_sweep_lag_seconds"
    assert value(scrape(scraper), lag) is None  # no worker ever: nothing to say
    # The worker scheduled the sweep of a minute that is past, then stopped.
    started = timezone.now()
    schedule_sweep(started - datetime.timedelta(minutes=1))
    waited = value(scrape(scraper), lag)
    assert waited is not None and 60 <= waited < 120
    later = started + datetime.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    waited = value(scrape(scraper), lag)
    assert waited is not None and 360 <= waited < 420
    monkeypatch.undo()

    _run_the_worker(monkeypatch)
    swept = value(scrape(scraper), lag)
    assert swept is not None and swept < 5
    # Then nothing sweeps for three minutes: the lag says so.
    later = timezone.now() + datetime.timedelta(minutes=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    waited = value(scrape(scraper), lag)
    assert waited is not None and 180 <= waited < 190


@pytest.mark.django_db
def test_the_outbox_counts_a_message_waiting_and_its_age(
    scraper: Client,
    levanger_stay,  # noqa: F811
    hnt_physician,  # noqa: F811
    monkeypatch,
):
    before = scrape(scraper)
    assert value(before, "overgang_outbox_waiting_messages") == 0
    assert value(before, "overgang_outbox_oldest_waiting_seconds") == 0
    actions.record_message(levanger_stay, "HELSEOPPL_SOKNAD:varsel", actor=hnt_physician)
    later = timezone.now() + datetime.timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = scrape(scraper)
    assert value(after, "overgang_outbox_waiting_messages") == 1
    assert value(after, "overgang_outbox_failing_messages") == 0
    oldest = value(after, "overgang_outbox_oldest_waiting_seconds")
    assert oldest is not None and 600 <= oldest < 660


@pytest.mark.django_db
def test_without_a_database_it_says_so_and_leaves_the_rest_out(scraper: Client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused by db.internal:5432")

    monkeypatch.setattr(connections[DEFAULT_DB_ALIAS], "cursor", refused)
    response = scraper.get("/metrics")
    assert response.status_code == 200
    samples = parsed(response.content.decode())
    assert value(samples, "overgang_database_up") == 0
    assert value(samples, "overgang_outbox_waiting_messages") is None  # not a false 0
    assert value(samples, "overgang_tasks", state="ready") is None
    assert value(samples, "overgang_build_info", version="0.1.0") == 1


@pytest.mark.django_db
def test_a_reading_that_fails_leaves_out_only_its_own(scraper: Client, monkeypatch):
    from overgang.web.metrics import operations

    def too_slow(now):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(operations, "READINGS", (too_slow, operations.outbox))
    samples = scrape(scraper)
    assert value(samples, "overgang_database_up") == 1
    assert value(samples, "overgang_outbox_waiting_messages") == 0


# --- Who may read it ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_client_outside_the_networks_is_told_there_is_no_such_page(settings):
    settings.METRICS_TOKEN = ""
    client = Client()
    assert client.get("/metrics").status_code == 200  # 127.0.0.1, the default
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    unknown = client.get("/no-such-page", REMOTE_ADDR="203.0.113.9")
    assert the_page(response.content, "/metrics") == the_page(unknown.content, "/no-such-page")
    assert "overgang_" not in response.content.decode()


def the_page(page: bytes, path: str) -> bytes:
    """The page without what differs between any two: its CSRF tokens, its own address."""
    return re.sub(rb"\b[A-Za-z0-9]{64}\b", b"", page).replace(path.encode(), b"")


@pytest.mark.django_db
def test_the_token_opens_it_from_anywhere_and_a_wrong_one_does_not(settings):
    settings.METRICS_TOKEN = "s3cret-for-the-monitoring"
    client = Client(REMOTE_ADDR="203.0.113.9")
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-for-the-monitoring")
    assert right.status_code == 200
    assert b"overgang_build_info" in right.content
    assert "no-store" in right["Cache-Control"]
    assert right["Content-Type"].startswith("text/plain")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed").status_code == 404
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_the_networks_are_the_operators_choice(settings):
    from ipaddress import ip_network

    settings.METRICS_TOKEN = ""
    settings.METRICS_NETWORKS = [ip_network("10.20.0.0/16")]
    assert Client(REMOTE_ADDR="10.20.3.4").get("/metrics").status_code == 200
    assert Client().get("/metrics").status_code == 404  # not even this machine now


@pytest.mark.django_db
def test_behind_a_proxy_the_client_counts_not_the_proxy(settings):
    from ipaddress import ip_network

    settings.METRICS_TOKEN = ""
    # A reverse proxy on this machine passes on a request from the internet.
    from_outside = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    settings.TRUSTED_PROXIES = []
    assert Client().get("/metrics", **from_outside).status_code == 404  # type: ignore[arg-type]
    settings.TRUSTED_PROXIES = [ip_network("127.0.0.1")]
    assert Client().get("/metrics", **from_outside).status_code == 404  # type: ignore[arg-type]
    from_inside = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
    assert Client().get("/metrics", **from_inside).status_code == 200  # type: ignore[arg-type]


@pytest.mark.django_db
def test_reading_the_metrics_needs_no_session_and_takes_no_post(scraper: Client):
    response = scraper.get("/metrics")
    assert not response.cookies
    assert scraper.post("/metrics").status_code == 405


# --- Several processes --------------------------------------------------------------------


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def test_under_gunicorn_the_counts_of_every_worker_add_up(tmp_path: Path):
    """gunicorn as `overgang.serving.gunicorn_config` sets it up, with two workers: a scrape,
    whichever worker answers it, shows every request the two answered; counts left in the
    folder by an earlier server are gone."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_99999.db").write_bytes(b"left by an earlier server")
    port = free_port()
    env = command_env(
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        OVERGANG_SECRET_KEY="metrics-test",
        OVERGANG_BIND=f"127.0.0.1:{port}",
        OVERGANG_WORKERS="2",
        OVERGANG_THREADS="2",
        OVERGANG_METRICS_DIR=str(folder),
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "python:overgang.serving.gunicorn_config"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url + "/healthz", server, log)

            def healthz_total() -> float | None:
                samples = parsed(_get(url + "/metrics").decode())
                labels = {"method": "GET", "route": "/healthz", "status": "200"}
                return value(samples, "overgang_http_requests_total", **labels)

            before = healthz_total() or 0
            asked = 0
            # Each request on a new connection: the two workers take them in turn as they
            # come free. Ask until both have answered (each keeps its counts in a file).
            while asked < 20 or (len(list(folder.glob("counter_*.db"))) < 2 and asked < 400):
                _get(url + "/healthz")
                asked += 1
            assert len(list(folder.glob("counter_*.db"))) == 2, "one worker answered everything"
            assert not (folder / "counter_99999.db").exists()
            for _ in range(3):  # whichever worker answers the scrape
                assert healthz_total() == before + asked
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise AssertionError(f"gunicorn stopped:\n{log.read().decode(errors='replace')}")
        try:
            _get(url)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 90 s")


def test_a_metrics_folder_that_is_a_file_stops_the_server_naming_the_variable(tmp_path: Path):
    from overgang.serving.metrics import empty_the_folder

    taken = tmp_path / "metrics"
    taken.write_text("something else")
    with pytest.raises(SystemExit, match=f"OVERGANG_METRICS_DIR={taken} is not a folder"):
        empty_the_folder(taken)
    assert taken.read_text() == "something else"


def test_a_count_file_another_server_removed_first_does_not_stop_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Two servers started at once on one folder (a mistake, but a real one: the
    scale-out test did it) both empty it; the one that finds a file gone carries on."""
    from overgang.serving.metrics import empty_the_folder

    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"")
    (folder / "notes.txt").write_text("kept")
    listed = [folder / "counter_0.db", folder / "counter_1.db"]  # _0 removed meanwhile
    monkeypatch.setattr(Path, "glob", lambda self, pattern: iter(listed))
    empty_the_folder(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
