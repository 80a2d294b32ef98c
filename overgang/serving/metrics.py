"""gunicorn's hooks for /metrics: the worker processes keep their counts in files of one
folder, and a scrape adds them up (prometheus_client's multiprocess mode).

prometheus_client decides when it is imported whether to count in files: the folder must
be in the environment before any worker loads Overgang. gunicorn reads its settings in
the master before it starts a worker, so the settings module calls `count_in_a_folder`;
the workers inherit the variable. The folder is emptied when the master starts (the counts
of an earlier server would otherwise be added to this one's), and a worker that ends takes
its live gauges along (its counters stay, so totals never go down).

OVERGANG_METRICS_DIR   the folder (default var/metrics; PROMETHEUS_MULTIPROC_DIR if set).
                       One per server: two servers sharing it add up each other's counts.

No Django here: this runs in gunicorn's master.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROMETHEUS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
OVERGANG_VARIABLE = "OVERGANG_METRICS_DIR"
DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "var" / "metrics"


def folder() -> Path:
    return Path(
        os.environ.get(OVERGANG_VARIABLE) or os.environ.get(PROMETHEUS_VARIABLE) or DEFAULT_FOLDER
    )


def count_in_a_folder() -> Path:
    """Point prometheus_client at the folder, for this process and the workers it starts."""
    chosen = folder().resolve()
    os.environ[PROMETHEUS_VARIABLE] = str(chosen)
    return chosen


def empty_the_folder(path: Path) -> None:
    """Create the folder, or remove the count files of an earlier server from it (only
    those: whatever else someone keeps there stays)."""
    if path.exists() and not path.is_dir():
        raise SystemExit(
            f"{OVERGANG_VARIABLE}={path} is not a folder; name a folder for the counts."
        )
    path.mkdir(parents=True, exist_ok=True)
    for counts in path.glob("*.db"):
        # Gone already: a second server started on the same folder by mistake emptied it
        # first. Starting matters more than the counts, which that mistake mixes anyway.
        counts.unlink(missing_ok=True)


def on_starting(server: Any) -> None:
    """gunicorn's hook, in the master before any worker starts."""
    empty_the_folder(Path(os.environ[PROMETHEUS_VARIABLE]))


def child_exit(server: Any, worker: Any) -> None:
    """gunicorn's hook, in the master when a worker has ended."""
    from prometheus_client import multiprocess

    counts = os.environ[PROMETHEUS_VARIABLE]
    multiprocess.mark_process_dead(worker.pid, counts)  # type: ignore[no-untyped-call]
