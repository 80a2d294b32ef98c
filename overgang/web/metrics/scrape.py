"""What one scrape shows. Under gunicorn every worker process counts its own requests;
prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, which
overgang.serving.metrics sets before the workers start) keeps each process's counts in a
file of that folder, and a scrape, whichever process answers it, adds them all up. Without
it (runserver, the tests) the counts of this one process are shown."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from overgang.web.metrics.operations import OperationsCollector
from overgang.web.metrics.requests import DURATION, REQUESTS

# prometheus_client's own switch, read when it is imported: the counters above write to
# that folder exactly when it is set.
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def registry() -> CollectorRegistry:
    registry = CollectorRegistry()  # no auto_describe: it would read the database twice
    if folder := os.environ.get(MULTIPROCESS_VARIABLE):
        MultiProcessCollector(registry, path=folder)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUESTS)
        registry.register(DURATION)
    registry.register(OperationsCollector())
    return registry


def exposition() -> bytes:
    return generate_latest(registry())
