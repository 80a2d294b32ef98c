"""What the background work has waiting, read from the database when /metrics is asked:
the worker's queue, how long ago the deadlines were last swept, the outbox.

A few counts and one-row aggregates, each bounded to a couple of seconds on PostgreSQL.
When the database does not answer, `overgang_database_up` is 0 and the rest is left out
(an absent series, not a false 0: "no messages waiting" would be a lie). A reading that
fails on its own (too slow, a table not yet migrated) leaves out only its own series, and
says why in the log. Counts and ages only: no label names a patient, a stay or a message.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version

from django.db import DEFAULT_DB_ALIAS, Error, connections, transaction
from django.db.models import Count, Max, Min, Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from overgang import clock
from overgang.exchange.models import Delivery, DeliveryState
from overgang.stays.tasks import sweep_deadlines

logger = logging.getLogger(__name__)

# PostgreSQL stops a reading after this long; a scrape must answer within Prometheus's
# scrape timeout (10 s by default), however large the tables have grown.
STATEMENT_TIMEOUT_MS = 2000
SWEEP_PATH = sweep_deadlines.module_path

Reading = Callable[[datetime.datetime], list[Metric]]


def _version() -> str:
    try:
        return version("overgang")
    except PackageNotFoundError:
        return "unknown"


VERSION = _version()


@contextmanager
def _bounded() -> Iterator[None]:
    """One reading in a transaction of its own, stopped by PostgreSQL if it runs long."""
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        yield


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def build_info() -> Metric:
    info = GaugeMetricFamily(
        "overgang_build_info", "The version of Overgang serving; always 1.", labels=["version"]
    )
    info.add_metric([VERSION], 1)
    return info


def database_answers() -> bool:
    try:
        with _bounded(), connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Error as error:
        logger.warning("Metrics: the database does not answer: %s", error)
        return False


def tasks(now: datetime.datetime) -> list[Metric]:
    """The worker's queue: due and not yet taken, taken and not yet finished, and set for
    later (the sweep of the coming minute is always there)."""
    due = Q(status=TaskResultStatus.READY) & (Q(run_after__lte=now) | Q(run_after=get_date_max()))
    counts = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).aggregate(
        ready=Count("pk", filter=due),
        scheduled=Count("pk", filter=Q(status=TaskResultStatus.READY) & ~due),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
    )
    family = GaugeMetricFamily(
        "overgang_tasks",
        "Background tasks by state: ready (due, waiting for a worker), running, "
        "scheduled (for later).",
        labels=["state"],
    )
    for state in ("ready", "running", "scheduled"):
        family.add_metric([state], counts[state])
    return [family]


def sweep_lag(now: datetime.datetime) -> list[Metric]:
    """Seconds since the deadlines were last swept: since the newest sweep that succeeded
    finished. Before any has, since the oldest sweep waiting became due; with neither (a
    worker never started), no value. The worker sweeps every minute, so this stays under
    about 70 s while all is well."""
    sweeps = DBTaskResult.objects.filter(task_path=SWEEP_PATH)
    since = sweeps.filter(status=TaskResultStatus.SUCCESSFUL).aggregate(at=Max("finished_at"))["at"]
    if since is None:
        since = sweeps.filter(status=TaskResultStatus.READY, run_after__lte=now).aggregate(
            at=Min("run_after")
        )["at"]
    if since is None:
        return []
    lag = max(0.0, (now - since).total_seconds())
    return [
        _gauge(
            "overgang_deadline_sweep_lag_seconds",
            "Seconds since the newest successful deadline sweep finished "
            "(before the first: since the oldest waiting sweep became due).",
            lag,
        )
    ]


def outbox(now: datetime.datetime) -> list[Metric]:
    """Standard messages not yet delivered, those of them whose last attempt failed, the
    age of the oldest, and those recorded that cannot be sent electronically."""
    waiting = Delivery.objects.filter(state=DeliveryState.QUEUED).aggregate(
        waiting=Count("pk"), failing=Count("pk", filter=Q(attempts__gt=0)), oldest=Min("created_at")
    )
    not_sent = Delivery.objects.filter(state=DeliveryState.NOT_SENT).count()
    oldest = waiting["oldest"]
    return [
        _gauge(
            "overgang_outbox_waiting_messages",
            "Standard messages in the outbox not yet delivered.",
            waiting["waiting"],
        ),
        _gauge(
            "overgang_outbox_failing_messages",
            "Of the messages waiting, those whose last delivery attempt failed.",
            waiting["failing"],
        ),
        _gauge(
            "overgang_outbox_oldest_waiting_seconds",
            "Age of the oldest message not yet delivered (0 when none waits).",
            max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        ),
        _gauge(
            "overgang_outbox_not_sent_messages",
            "Messages recorded without a standard document or an address to send it to.",
            not_sent,
        ),
    ]


READINGS: tuple[Reading, ...] = (tasks, sweep_lag, outbox)


class OperationsCollector(Collector):
    """Reads the database at each scrape; registered only in /metrics's own registry."""

    def collect(self) -> Iterator[Metric]:
        yield build_info()
        up = database_answers()
        yield _gauge(
            "overgang_database_up", "1 if the database answered this scrape, else 0.", int(up)
        )
        if not up:
            return
        now = clock.now()
        for reading in READINGS:
            try:
                with _bounded():
                    found = reading(now)
            except Error as error:
                logger.warning("Metrics: %s left out: %s", reading.__name__, error)
                continue
            yield from found
