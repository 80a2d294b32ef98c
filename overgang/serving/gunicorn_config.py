"""gunicorn's settings for Overgang: `gunicorn -c python:overgang.serving.gunicorn_config
overgang.wsgi:application`. Each may be overridden on the command line or by the
environment variables below (docs/deployment.md sizes them).

OVERGANG_BIND      address:port to listen on (default 127.0.0.1:8000)
OVERGANG_WORKERS   processes (default: 2 per core, at most 8)
OVERGANG_THREADS   threads per process (default 4)
OVERGANG_METRICS_DIR  the folder the workers keep their /metrics counts in (default var/metrics)
"""

from __future__ import annotations

import os

from overgang.env import env_int
from overgang.serving import metrics

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
