"""gunicorn's settings for Overgang: `gunicorn -c python:overgang.serving.gunicorn_config
overgang.wsgi:application`. Each may be overridden on the command line or by the
environment variables below (docs/deployment.md sizes them).

OVERGANG_BIND      address:port to listen on (default 127.0.0.1:8000)
OVERGANG_WORKERS   processes (default: 2 per core, at most 8)
OVERGANG_THREADS   threads per process (default 4)
OVERGANG_METRICS_DIR  the folder the workers keep their /metrics counts in (default var/metrics)

With OVERGANG_LOG_FORMAT=json gunicorn's own lines are JSON objects too, like the app's.
"""

from __future__ import annotations

import os
from typing import Any

from overgang.env import env_int
from overgang.serving import metrics
from overgang.serving.logs import JSON_FORMATTER

bind = os.environ.get("OVERGANG_BIND", "127.0.0.1:8000")
workers = env_int("OVERGANG_WORKERS", min(8, 2 * (os.cpu_count() or 1)))
threads = env_int("OVERGANG_THREADS", 4)
worker_class = "gthread"
# Ten seconds more than the database pool waits for a connection, so that a request
# waiting for one is answered 503 by the app rather than killed by the server.
timeout = 30
graceful_timeout = 20
keepalive = 5
wsgi_app = "overgang.wsgi:application"

# /metrics adds up the counts of every worker: they count in one folder, chosen before any
# worker starts, emptied when the server starts, tidied when a worker ends.
metrics.count_in_a_folder()
on_starting = metrics.on_starting
child_exit = metrics.child_exit
# gunicorn's control socket (gunicornc) is not used: systemd and container runtimes stop and
# reload the server by signals. Its default path is one per user (~/.gunicorn/gunicorn.ctl),
# so two servers on one host would take it from each other, and a hardened unit has no
# writable home to put it in.
control_socket_disable = True


def _json_logging() -> dict[str, Any]:
    """gunicorn's lines as JSON; no access log, the app logs each request itself
    (overgang.serving.middleware) with its request id."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "WARNING", "handlers": []},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "formatters": {"json": JSON_FORMATTER},
    }


if os.environ.get("OVERGANG_LOG_FORMAT") == "json":
    logconfig_dict = _json_logging()
