"""Sixteen clerks registering devices at once for twenty seconds: the server holds no more
PostgreSQL connections than its pools allow (one per process), and every registration
succeeds.

Before the pool, each request thread kept a connection of its own for a minute, so a burst
took the server's every connection and the next requests failed with "too many clients".
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections import Counter

import pytest
from django.db import connection

from overgang.organisations.tokens import issue_token
from tests.serving.served import serve, url_of_the_test_database

WRITERS = 16
SECONDS = 20
# The documented default of OVERGANG_DB_POOL_SIZE (docs/operations.md): the most connections
# one server process holds to its database.
POOL = 10
# gunicorn's processes, each with its own pool (OVERGANG_WORKERS).
PROCESSES = 2
# The worker beside the server (`make run`) keeps its pool's idle minimum open.
WORKER = 2
BOUND = PROCESSES * POOL + WORKER
# The server's connections carry this name (libpq's PGAPPNAME), the test's own do not.
APPLICATION = "overgang-under-load"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="connections are counted on PostgreSQL"
    ),
]


def _connections_of_the_server() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            [APPLICATION],
        )
        return int(cursor.fetchone()[0])


def _register_devices(
    url: str, token: str, writer: int, stop: threading.Event, seen: Counter[str]
) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        body = json.dumps({"aid_type": "cpap", "serial": f"LOAD-{writer}-{number}"}).encode()
        request = urllib.request.Request(
            f"{url}/api/v1/devices",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                seen[str(response.status)] += 1
        except urllib.error.HTTPError as error:
            seen[f"{error.code} {error.read()[:200]!r}"] += 1
        except OSError as error:
            seen[f"{type(error).__name__}: {error}"] += 1


def test_sixteen_writers_for_twenty_seconds_stay_within_the_pool_without_an_error(
    transactional_db, ous_technician
):
    token = issue_token(ous_technician).token
    with serve(
        url_of_the_test_database(), PGAPPNAME=APPLICATION, OVERGANG_WORKERS=str(PROCESSES)
    ) as server:
        stop = threading.Event()
        seen: Counter[str] = Counter()
        writers = [
            threading.Thread(target=_register_devices, args=(server.url, token, n, stop, seen))
            for n in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        most = 0
        ends = time.monotonic() + SECONDS
        while time.monotonic() < ends:
            most = max(most, _connections_of_the_server())
            if most > BOUND:
                break  # proven; more would only take connections others need
            time.sleep(0.05)
        stop.set()
        for writer in writers:
            writer.join()
    errors = {answer: count for answer, count in seen.items() if answer != "201"}
    print(f"{seen['201']} devices registered, at most {most} connections, errors: {errors}")
    assert most <= BOUND, f"{most} connections to the database, more than {BOUND}"
    assert seen["201"] > WRITERS, "every writer registered devices"
    assert errors == {}
