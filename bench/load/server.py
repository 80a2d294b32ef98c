"""The app as production serves it: gunicorn with overgang/serving/gunicorn_config.py,
with the bench's settings (the product's routes and the bare views)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.search import HOST, ROOT, PostgreSQL, app_env, free_port, stop, wait_until_up

# For 2 cores: 4 processes × 4 threads. A process runs Python on one core at a time (the
# GIL), so at least one per core; two per core keep both cores busy while a process waits
# for PostgreSQL (on the same machine) or the network. Four threads each let the 16
# connections all be served at once, without more threads per process fighting for its
# GIL. It is also what gunicorn_config.py chooses by itself on 2 cores (2 per core, 4).
WORKERS = 4
THREADS = 4


def server_text(workers: int, threads: int) -> str:
    return (
        f"gunicorn (gthread) with overgang/serving/gunicorn_config.py, {workers} workers × "
        f"{threads} threads, settings bench.load.settings (the product's + /bench-bare/)"
    )


@contextmanager
def gunicorn(database: PostgreSQL, log_path: Path, *, workers: int, threads: int) -> Iterator[int]:
    """gunicorn on a free port; yields the port once it answers, and stops it after."""
    port = free_port()
    env = {
        **app_env(database),
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "OVERGANG_BIND": f"{HOST}:{port}",
        "OVERGANG_WORKERS": str(workers),
        "OVERGANG_THREADS": str(threads),
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        *("-c", "python:overgang.serving.gunicorn_config"),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
        try:
            wait_until_up(process, port, log_path)
            yield port
        finally:
            stop(process)
