"""Reading, one client, one request after another: device lookups through the API and
the depot overview (page and CSV); and the plans of the depot overview's queries."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.aids.common import (
    ADMIN_USER,
    DEVICES,
    ON_LOAN,
    UNIT_KEY,
    UNIT_USER,
    connect,
    unit_ids,
)
from bench.search import (
    TARGET_P95_MS,
    BenchError,
    Client,
    Figures,
    PostgreSQL,
    api_client,
    overgang,
    page_client,
)


@dataclass
class Line:
    name: str
    user: str
    path: str
    seconds: float
    timings_ms: list[float] = field(repr=False)
    errors: int = 0
    first_error: str = ""
    note: str = ""

    @property
    def figures(self) -> Figures:
        return Figures.of(self.timings_ms, self.seconds)

    @property
    def verdict(self) -> str:
        return "PASS" if self.errors == 0 and self.figures.p95_ms <= TARGET_P95_MS else "FAIL"


def measure(
    client: Client,
    name: str,
    user: str,
    paths: Sequence[str],
    *,
    warmup: int,
    requests: int,
    check: Callable[[str, bytes], str] | None = None,
) -> Line:
    """Time `requests` GETs of `paths` in turn, after `warmup` untimed ones."""
    for i in range(warmup):
        path = paths[i % len(paths)]
        answer = client.get(path)
        if answer.status != 200:
            raise BenchError(f"{name} {user} {path}: HTTP {answer.status} in the warm-up")
    line = Line(name, user, paths[0] if len(set(paths)) == 1 else f"{len(paths)} paths", 0.0, [])
    started = time.perf_counter()
    for i in range(requests):
        path = paths[(warmup + i) % len(paths)]
        before = time.perf_counter()
        answer = client.get(path)
        line.timings_ms.append((time.perf_counter() - before) * 1000)
        problem = f"HTTP {answer.status}" if answer.status != 200 else ""
        if not problem and check is not None:
            problem = check(path, answer.body)
        if problem:
            line.errors += 1
            line.first_error = line.first_error or f"{path}: {problem}"
    line.seconds = time.perf_counter() - started
    figures = line.figures
    print(
        f"  {name:<22} {user:<8} p95 {figures.p95_ms:7.1f} ms  "
        f"({figures.requests_per_s:.0f} req/s)",
        flush=True,
    )
    return line


# Device lookups


def device_check(path: str, body: bytes) -> str:
    serial = path.rsplit("/", 1)[1]
    found = json.loads(body)
    if found.get("serial") != serial:
        return f"answered for {found.get('serial')!r}"
    if found.get("status") == ON_LOAN and not found.get("current_loan"):
        return "on loan without current_loan"
    return ""


def serials(database: PostgreSQL, count: int, rng: random.Random) -> dict[str, list[str]]:
    """Serials to look up: the unit's own devices, and any device (for admin)."""
    with connect(database) as connection:
        unit = unit_ids(connection)["unit"]
        own = [
            row[0]
            for row in connection.execute(
                "SELECT serial FROM aids_device WHERE owner_id = %s AND serial LIKE 'B-%%' "
                "ORDER BY serial",
                (unit,),
            )
        ]
    if not own:
        raise BenchError(f"No bench devices owned by {UNIT_KEY}.")
    return {
        UNIT_USER: rng.sample(own, min(count, len(own))),
        ADMIN_USER: [f"B-{rng.randrange(1, DEVICES + 1):07d}" for _ in range(count)],
    }


def device_lookups(
    port: int, database: PostgreSQL, password: str, *, warmup: int, requests: int
) -> list[Line]:
    rng = random.Random(2026)
    picked = serials(database, warmup + requests, rng)
    lines: list[Line] = []
    for user in (UNIT_USER, ADMIN_USER):
        client = api_client(port, user, password)
        try:
            paths = [f"/api/v1/devices/{serial}" for serial in picked[user]]
            line = measure(
                client,
                "device lookup (API)",
                user,
                paths,
                warmup=warmup,
                requests=requests,
                check=device_check,
            )
            lent = sum(
                client.get(path).json()["current_loan"] is not None
                for path in paths[warmup : warmup + 50]
            )
            line.note = f"{lent} of 50 sampled on loan"
            lines.append(line)
        finally:
            client.close()
    return lines


# The depot overview

DEPOT_PAGES = (
    ("depot overview (page)", "/depot/", b"<table"),
    # The lists' one export dialect (docs/exports.md): UTF-8 with its byte-order mark, the
    # headings in the user's language.
    ("depot overview (CSV)", "/depot/overview.csv", b"\xef\xbb\xbf"),
)


def depot_overview(port: int, password: str, *, warmup: int, requests: int) -> list[Line]:
    lines: list[Line] = []
    client = page_client(port, UNIT_USER, password)
    try:
        for name, path, marker in DEPOT_PAGES:

            def check(_: str, body: bytes, marker: bytes = marker) -> str:
                return "" if marker in body else f"no {marker!r} in the answer"

            line = measure(
                client, name, UNIT_USER, [path], warmup=warmup, requests=requests, check=check
            )
            csv = client.get("/depot/overview.csv").body.decode()
            line.note = f"{len(csv.splitlines()) - 1} rows"
            lines.append(line)
    finally:
        client.close()
    return lines


def run_reads(
    port: int, database: PostgreSQL, password: str, *, warmup: int, requests: int
) -> list[Line]:
    return [
        *device_lookups(port, database, password, warmup=warmup, requests=requests),
        *depot_overview(port, password, warmup=warmup, requests=requests),
    ]


# The plans of the depot overview

PLAN_MARK = "BENCH-PLANS "
PLAN_SCRIPT = f"""
import json, time
from django.contrib.auth.models import User
from django.db import connection
from overgang.aids.access import managing_units
from overgang.aids.overview import depot_overview

units = managing_units(User.objects.get(username={UNIT_USER!r}))
captured = []

def capture(execute, sql, params, many, context):
    captured.append((sql, params))
    return execute(sql, params, many, context)

depot_overview(units)  # warm
with connection.execute_wrapper(capture):
    depot_overview(units)
plans = []
with connection.cursor() as cursor:
    for statement, params in captured:
        started = time.perf_counter()
        cursor.execute(statement, params)
        cursor.fetchall()
        ms = (time.perf_counter() - started) * 1000
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
        plans.append({{
            "sql": connection.ops.last_executed_query(cursor, statement, params)
                .removeprefix("EXPLAIN (ANALYZE, BUFFERS) "),
            "ms": round(ms, 2),
            "plan": [row[0] for row in cursor.fetchall()],
        }})
print({PLAN_MARK!r} + json.dumps(plans))
"""


def depot_plans(database: PostgreSQL) -> list[dict[str, Any]]:
    """EXPLAIN ANALYZE of each query of depot_overview for the unit's staff."""
    output = overgang(database, "shell", "--no-imports", "-c", PLAN_SCRIPT, capture=True)
    for line in output.splitlines():
        if line.startswith(PLAN_MARK):
            plans: list[dict[str, Any]] = json.loads(line.removeprefix(PLAN_MARK))
            return plans
    raise BenchError(f"No plans from the depot overview: {output[-500:]!r}")
