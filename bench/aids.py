"""Devices and loans at scale over HTTP, on PostgreSQL: `make bench`.

Builds (or reuses) in the PostgreSQL bench database of bench/search.py one million
devices ('B-0000001' …) spread over every treatment-aids unit and municipal aid
depot, and two million loans (about two per device: returned ones in the past, and
one active loan for each device on loan), in a few INSERT … SELECT statements.
Then, against the app served as bench/search.py serves it:

- device lookups, GET /api/v1/devices/{serial}, as the aids staff of OUS (`ous-bhm`,
  its own devices) and as `admin` (any device);
- the depot overview, /depot/ and /depot/overview.csv, as `ous-bhm`;
  one client, one request after another; target p95 ≤ 50 ms. The depot overview's
  queries are run under EXPLAIN ANALYZE and the plans kept with the results;
- lending, POST /api/v1/loans, from 1, 4 and 8 client threads at once, against the
  server as one process and pre-forked into several; target ≥ 200 loans/s. Fresh
  CPAP devices ('T-…') are registered for it and removed afterwards, with their
  loans, so the build stays at exactly 1,000,000 devices and 2,000,000 loans.

Results go to bench/results/aids.json.

    python -m bench.aids                  reuse the build when it is there
    python -m bench.aids --rebuild-aids   build the devices and loans afresh
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import http.client
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from bench.search import (
    HOST,
    PG_ADMIN_URL,
    PG_BENCH_DB,
    REQUEST_TIMEOUT_SECONDS,
    RESULTS_DIR,
    ROOT,
    TARGET_P95_MS,
    VAR_DIR,
    BenchError,
    Client,
    Contents,
    Figures,
    PostgreSQL,
    api_client,
    app_env,
    free_port,
    overgang,
    page_client,
    prepare,
    serve,
    stop,
    wait_until_up,
)
from bench.search import parse_args as search_args

RESULTS = RESULTS_DIR / "aids.json"

DEVICES = 1_000_000
LOANS = 2_000_000
BENCH_PREFIX = "B-"  # the built devices
LEND_PREFIX = "T-"  # the devices lent during the run, removed afterwards
SEED = 0.2026  # setseed(): the build is the same every time

# How a unit's devices are spread over the statuses (cumulative thresholds in the SQL).
STATUS_SHARES = (
    ("available", 0.55),
    ("on-loan", 0.35),
    ("returned", 0.05),
    ("reprocessing", 0.03),
    ("in-repair", 0.02),
)
ON_LOAN = "on-loan"
# Who owns devices of which categories: hospital aids units lend treatment aids and shared
# equipment, municipal depots technical aids and training gear.
OWNER_CATEGORIES = {
    "aids_unit": ("treatment-aid", "shared-equipment"),
    "aid_depot": ("technical-aid", "training-gear"),
}

UNIT_USER = "ous-bhm"  # aids staff of the unit with key "ous-bhm"
UNIT_KEY = "ous-bhm"
UNIT_HOSPITAL_KEY = "ous"  # the trust whose patients the unit lends to
ADMIN_USER = "admin"
LEND_AID_TYPE = "cpap"  # needs no electrical check (home-ventilator would)

TARGET_LOANS_PER_S = 200.0
BARRIER_SECONDS = 600.0  # the longest a lending run may take
TARGET_DATABASE = "postgresql"

READ_SERVER = "Django's threaded WSGI server with TCP_NODELAY, one process (bench/search.py)"


def lend_server(processes: int) -> str:
    return (
        f"Django's threaded WSGI server with TCP_NODELAY, {processes} worker process"
        f"{'es' if processes > 1 else ''} forked after django.setup(), accepting on one "
        "listening socket, a thread per connection (the pre-fork model of gunicorn)"
    )


# The build


@dataclass
class Build:
    built: bool
    seconds: float | None
    steps: dict[str, float]
    devices: int
    loans: int
    active_loans: int
    overdue_loans: int
    statuses: dict[str, int]
    owners: int
    unit_devices: int
    unit_aid_types: int


def connect(database: PostgreSQL, *, autocommit: bool = False) -> psycopg.Connection[Any]:
    return psycopg.connect(database.url, autocommit=autocommit)


def scalar(connection: psycopg.Connection[Any], query: Any, params: Any = None) -> Any:
    row = connection.execute(query, params).fetchone()
    if row is None:
        raise BenchError(f"No answer to {query!r}")
    return row[0]


def like(prefix: str) -> str:
    return prefix + "%"


def referencing(connection: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """(table, column) of each single-column foreign key to `table`, but `table`'s own."""
    rows = connection.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND c.conrelid <> c.confrelid
          AND cardinality(c.conkey) = 1
        ORDER BY 1, 2
        """,
        (table,),
    ).fetchall()
    return [(str(t), str(c)) for t, c in rows]


def remove_devices(connection: psycopg.Connection[Any], prefix: str) -> int:
    """Remove the devices whose serial starts with `prefix`, with their loans, history and
    whatever else points at them or at their loans (found in the catalogue, so rows of
    models added later go too)."""
    devices = sql.SQL("SELECT id FROM aids_device WHERE serial LIKE {}").format(
        sql.Literal(like(prefix))
    )
    loans = sql.SQL("SELECT id FROM aids_loan WHERE device_id IN ({})").format(devices)
    for parent, ids in (("aids_loan", loans), ("aids_device", devices)):
        for table, column in referencing(connection, parent):
            if (table, column) == ("aids_loan", "device_id"):
                continue  # last: the other tables may point at the loans
            connection.execute(
                sql.SQL("DELETE FROM {} WHERE {} IN ({})").format(
                    sql.Identifier(table), sql.Identifier(column), ids
                )
            )
    connection.execute(sql.SQL("DELETE FROM aids_loan WHERE device_id IN ({})").format(devices))
    removed = connection.execute(
        "DELETE FROM aids_device WHERE serial LIKE %s", (like(prefix),)
    ).rowcount
    return removed


def ensure_catalogue(database: PostgreSQL) -> None:
    with connect(database) as connection:
        types = scalar(connection, "SELECT count(*) FROM aids_aidtype")
    if not types:
        print("No aid types in the bench database: syncing the catalogue.")
        overgang(
            database,
            "shell",
            "--no-imports",
            "-c",
            "from overgang.aids.actions import sync_catalogue; sync_catalogue()",
        )


def system_user(connection: psycopg.Connection[Any]) -> int:
    row = connection.execute(
        "SELECT id FROM auth_user ORDER BY username <> 'overgang-system', id LIMIT 1"
    ).fetchone()
    if row is None:
        raise BenchError("No user in the bench database: run `overgang demo` first.")
    return int(row[0])


def drop_foreign_keys(
    connection: psycopg.Connection[Any], tables: Sequence[str]
) -> list[tuple[str, str, str]]:
    """Drop the foreign keys of `tables`; returns (table, name, definition) to restore them."""
    found = connection.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
        ORDER BY 1, 2
        """,
        (list(tables),),
    ).fetchall()
    for table, name, _ in found:
        connection.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    return [(str(t), str(n), str(d)) for t, n, d in found]


def restore_foreign_keys(
    connection: psycopg.Connection[Any], foreign_keys: Sequence[tuple[str, str, str]]
) -> None:
    for table, name, definition in foreign_keys:
        connection.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(table),
                sql.Identifier(name),
                sql.SQL(definition),
            )
        )


def status_case(column: str) -> sql.Composed:
    """CASE mapping a uniform random number in `column` to a status by STATUS_SHARES."""
    parts: list[sql.Composable] = []
    total = 0.0
    for status, share in STATUS_SHARES[:-1]:
        total += share
        parts.append(
            sql.SQL("WHEN {} < {} THEN {}").format(
                sql.Identifier(column), sql.Literal(round(total, 6)), sql.Literal(status)
            )
        )
    last = sql.Literal(STATUS_SHARES[-1][0])
    return sql.SQL("CASE {} ELSE {} END").format(sql.SQL(" ").join(parts), last)


def timed(steps: dict[str, float], name: str, action: Callable[[], object]) -> None:
    started = time.perf_counter()
    action()
    steps[name] = round(time.perf_counter() - started, 1)
    print(f"  {name:<34} {steps[name]:7.1f} s", flush=True)


def build_rows(database: PostgreSQL) -> dict[str, float]:
    """Devices and loans in one transaction, by INSERT … SELECT from generate_series."""
    steps: dict[str, float] = {}
    with connect(database) as connection:
        if bench_devices(database):

            def remove() -> None:
                remove_devices(connection, BENCH_PREFIX)
                connection.commit()

            timed(steps, "remove the earlier bench devices", remove)
            # The next rows go where these were, rather than after them.
            with connect(database, autocommit=True) as vacuuming:
                timed(
                    steps,
                    "VACUUM devices and loans",
                    lambda: vacuuming.execute("VACUUM aids_device, aids_loan"),
                )
        connection.execute("SET LOCAL work_mem = '256MB'")
        connection.execute("SELECT setseed(%s)", (SEED,))
        actor = system_user(connection)

        # Checking the foreign keys row by row would take longer than the inserts; the
        # constraints come back, validated in one pass each, before the commit.
        foreign_keys = drop_foreign_keys(connection, ("aids_device", "aids_loan"))

        def lookups() -> None:
            connection.execute(
                """
                CREATE TEMP TABLE bench_type ON COMMIT DROP AS
                SELECT owner_kind, row_number() OVER (PARTITION BY owner_kind ORDER BY slug) AS rn,
                       id
                FROM aids_aidtype
                JOIN (SELECT * FROM jsonb_each(%s::jsonb)) AS k(owner_kind, categories)
                  ON k.categories ? aids_aidtype.category
                """,
                (json.dumps(OWNER_CATEGORIES),),
            )
            connection.execute(
                """
                CREATE TEMP TABLE bench_owner ON COMMIT DROP AS
                SELECT row_number() OVER (ORDER BY o.id) AS rn, o.id, o.kind,
                       left(o.name, 120) AS name,
                       (SELECT count(*) FROM bench_type t WHERE t.owner_kind = o.kind) AS types
                FROM organisations_organisation o
                WHERE o.kind = ANY(%s)
                """,
                (list(OWNER_CATEGORIES),),
            )
            if scalar(connection, "SELECT count(*) FROM bench_owner WHERE types > 0") == 0:
                raise BenchError("No aids unit or aid depot with aid types to own.")
            connection.execute("DELETE FROM bench_owner WHERE types = 0")
            connection.execute(
                """
                CREATE TEMP TABLE bench_patient ON COMMIT DROP AS
                SELECT row_number() OVER (ORDER BY id) AS rn, id FROM patients_patient
                """
            )
            for table in ("bench_type", "bench_owner", "bench_patient"):
                connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))

        timed(steps, "lookup tables", lookups)
        owners = scalar(connection, "SELECT count(*) FROM bench_owner")
        patients = scalar(connection, "SELECT count(*) FROM bench_patient")
        if not patients:
            raise BenchError("No patients in the bench database.")

        timed(
            steps,
            f"{DEVICES:,} devices",
            lambda: connection.execute(
                sql.SQL(
                    """
                    INSERT INTO aids_device
                        (serial, aid_type_id, owner_id, location, status, created_at)
                    SELECT 'B-' || lpad(x.g::text, 7, '0'), t.id, o.id, o.name, {status},
                           now() - interval '3 years' - x.age * interval '2 years'
                    FROM (
                        SELECT g, 1 + floor(random() * {owners})::int AS owner_rn,
                               random() AS type_pick, random() AS s, random() AS age
                        FROM generate_series(1, {devices}) AS g
                    ) AS x
                    JOIN bench_owner o ON o.rn = x.owner_rn
                    JOIN bench_type t
                      ON t.owner_kind = o.kind AND t.rn = 1 + floor(x.type_pick * o.types)::int
                    ORDER BY x.g
                    """
                ).format(
                    status=status_case("s"),
                    owners=sql.Literal(owners),
                    devices=sql.Literal(DEVICES),
                )
            ),
        )

        def device_map() -> None:
            connection.execute(
                """
                CREATE TEMP TABLE bench_device ON COMMIT DROP AS
                SELECT row_number() OVER (ORDER BY id) AS rn, id, status
                FROM aids_device WHERE serial LIKE 'B-%'
                """
            )
            connection.execute("CREATE UNIQUE INDEX ON bench_device (rn)")
            connection.execute("ANALYZE bench_device")

        timed(steps, "device map", device_map)
        active = scalar(
            connection, "SELECT count(*) FROM bench_device WHERE status = %s", (ON_LOAN,)
        )
        returned = LOANS - active
        if not DEVICES <= returned <= 2 * DEVICES:
            raise BenchError(f"{active:,} devices on loan leave {returned:,} returned loans.")

        # Returned loans: every device once in [3, 2) years ago, some again in [2, 1) years
        # ago; 7919 is prime to DEVICES, so (g * 7919) mod DEVICES visits every device.
        timed(
            steps,
            f"{returned:,} returned loans",
            lambda: connection.execute(
                sql.SQL(
                    """
                    INSERT INTO aids_loan
                        (device_id, patient_id, placement, started_at, expected_end,
                         returned_at, manual_handed_over, instruction_given, lent_by_id)
                    SELECT x.device_id, p.id,
                           CASE WHEN x.inst < 0.1 THEN 'institution' ELSE 'home' END,
                           x.started,
                           CASE WHEN x.open_ended < 0.2 THEN NULL
                                ELSE (x.started + x.months * interval '1 month')::date END,
                           x.started + interval '7 days' + x.kept * interval '170 days',
                           true, true, {actor}
                    FROM (
                        SELECT d.id AS device_id,
                               now() - interval '3 years' + w.n * interval '365 days'
                                   + random() * interval '180 days' AS started,
                               1 + floor(random() * {patients})::int AS patient_rn,
                               random() AS inst, random() AS open_ended, random() AS kept,
                               3 + floor(random() * 22)::int AS months
                        FROM generate_series(0, {returned} - 1) AS g
                        CROSS JOIN LATERAL (SELECT g / {devices} AS n) AS w
                        JOIN bench_device d ON d.rn = 1 + (g::bigint * 7919) % {devices}
                    ) AS x
                    JOIN bench_patient p ON p.rn = x.patient_rn
                    ORDER BY x.started
                    """
                ).format(
                    actor=sql.Literal(actor),
                    patients=sql.Literal(patients),
                    returned=sql.Literal(returned),
                    devices=sql.Literal(DEVICES),
                )
            ),
        )
        # Active loans: one for each device on loan, lent within the last year, for 3 to
        # 24 months (a fifth open-ended); those past their expected end are overdue.
        timed(
            steps,
            f"{active:,} active loans",
            lambda: connection.execute(
                sql.SQL(
                    """
                    INSERT INTO aids_loan
                        (device_id, patient_id, placement, started_at, expected_end,
                         returned_at, manual_handed_over, instruction_given, lent_by_id)
                    SELECT x.device_id, p.id,
                           CASE WHEN x.inst < 0.1 THEN 'institution' ELSE 'home' END,
                           x.started,
                           CASE WHEN x.open_ended < 0.2 THEN NULL
                                ELSE (x.started + x.months * interval '1 month')::date END,
                           NULL, true, true, {actor}
                    FROM (
                        SELECT d.id AS device_id,
                               now() - random() * interval '365 days' AS started,
                               1 + floor(random() * {patients})::int AS patient_rn,
                               random() AS inst, random() AS open_ended,
                               3 + floor(random() * 22)::int AS months
                        FROM bench_device d WHERE d.status = {on_loan}
                    ) AS x
                    JOIN bench_patient p ON p.rn = x.patient_rn
                    ORDER BY x.started
                    """
                ).format(
                    actor=sql.Literal(actor),
                    patients=sql.Literal(patients),
                    on_loan=sql.Literal(ON_LOAN),
                )
            ),
        )
        timed(
            steps,
            f"{len(foreign_keys)} foreign keys back, validated",
            lambda: restore_foreign_keys(connection, foreign_keys),
        )
        timed(steps, "commit", connection.commit)
    with connect(database, autocommit=True) as connection:
        timed(
            steps,
            "VACUUM (ANALYZE) devices and loans",
            lambda: connection.execute("VACUUM (ANALYZE) aids_device, aids_loan"),
        )
    return steps


def census(database: PostgreSQL) -> dict[str, Any]:
    with connect(database) as connection:
        unit = unit_ids(connection)
        statuses = dict(
            connection.execute(
                "SELECT status, count(*) FROM aids_device WHERE serial LIKE 'B-%' "
                "GROUP BY status ORDER BY count(*) DESC"
            ).fetchall()
        )
        loans, active, overdue = connection.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE l.returned_at IS NULL),
                   count(*) FILTER (WHERE l.returned_at IS NULL AND l.expected_end < current_date)
            FROM aids_loan l JOIN aids_device d ON d.id = l.device_id
            WHERE d.serial LIKE 'B-%'
            """
        ).fetchone() or (0, 0, 0)
        owners, unit_devices, unit_types = connection.execute(
            """
            SELECT count(DISTINCT owner_id), count(*) FILTER (WHERE owner_id = %s),
                   count(DISTINCT aid_type_id) FILTER (WHERE owner_id = %s)
            FROM aids_device WHERE serial LIKE 'B-%%'
            """,
            (unit["unit"], unit["unit"]),
        ).fetchone() or (0, 0, 0)
    return {
        "devices": sum(statuses.values()),
        "loans": loans,
        "active_loans": active,
        "overdue_loans": overdue,
        "statuses": statuses,
        "owners": owners,
        "unit_devices": unit_devices,
        "unit_aid_types": unit_types,
    }


def bench_devices(database: PostgreSQL) -> int:
    with connect(database) as connection:
        return int(scalar(connection, "SELECT count(*) FROM aids_device WHERE serial LIKE 'B-%'"))


def previous_build_seconds() -> tuple[float | None, dict[str, float]]:
    try:
        build = json.loads(RESULTS.read_text())["build"]
        return build.get("seconds"), build.get("steps", {})
    except (OSError, ValueError, KeyError, TypeError):
        return None, {}


def prepare_aids(database: PostgreSQL, *, rebuild: bool) -> Build:
    ensure_catalogue(database)
    removed = remove_lend_devices(database)
    if removed:
        print(f"Removed {removed:,} devices of an earlier lending run ({LEND_PREFIX}…).")
    found = bench_devices(database)
    if found == DEVICES and not rebuild:
        print(f"Reusing the {DEVICES:,} bench devices and their loans.")
        seconds, steps = previous_build_seconds()
        return Build(built=False, seconds=seconds, steps=steps, **census(database))
    why = "asked to" if rebuild else f"{found:,} bench devices, not {DEVICES:,}"
    print(f"Building {DEVICES:,} devices and {LOANS:,} loans ({why}):", flush=True)
    started = time.perf_counter()
    steps = build_rows(database)
    seconds = round(time.perf_counter() - started, 1)
    print(f"Built in {seconds:.0f} s.")
    build = Build(built=True, seconds=seconds, steps=steps, **census(database))
    if build.devices != DEVICES or build.loans != LOANS:
        raise BenchError(f"Built {build.devices:,} devices and {build.loans:,} loans.")
    return build


def unit_ids(connection: psycopg.Connection[Any]) -> dict[str, int]:
    rows = dict(
        connection.execute(
            "SELECT key, id FROM organisations_organisation WHERE key = ANY(%s)",
            ([UNIT_KEY, UNIT_HOSPITAL_KEY],),
        ).fetchall()
    )
    if len(rows) != 2:
        raise BenchError(f"No organisations {UNIT_KEY!r} and {UNIT_HOSPITAL_KEY!r}: no demo?")
    return {"unit": rows[UNIT_KEY], "hospital": rows[UNIT_HOSPITAL_KEY]}


# Reading: one client, one request after another


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


def run_reads(
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
    client = page_client(port, UNIT_USER, password)
    try:
        for name, path, marker in (
            ("depot overview (page)", "/depot/", b"<table"),
            ("depot overview (CSV)", "/depot/overview.csv", b"owner;aid_type"),
        ):

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


# Lending: several clients at once


def serve_prefork(port: int, processes: int) -> None:
    """Django's threaded WSGI server with TCP_NODELAY, in `processes` forked workers that
    accept on one listening socket (the pre-fork model of gunicorn, with the stdlib)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings")
    import socketserver

    import django

    django.setup()
    from django.core.servers.basehttp import (
        WSGIRequestHandler,
        WSGIServer,
        get_internal_wsgi_application,
    )

    parent = os.getpid()

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True
        request_queue_size = 128

        def get_request(self) -> tuple[socket.socket, Any]:
            connection, address = super().get_request()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return connection, address

        def service_actions(self) -> None:
            if os.getppid() != parent:  # the parent is gone: so are we
                os._exit(0)

    server = Server((HOST, port), WSGIRequestHandler)
    server.set_app(get_internal_wsgi_application())
    # No database connection is open yet: each worker opens its own.
    children: list[int] = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            try:
                server.serve_forever(poll_interval=0.5)
            finally:
                os._exit(0)
        children.append(pid)
    server.server_close()

    def end(signum: int, _: Any) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    signal.signal(signal.SIGINT, end)
    os.wait()  # a worker died: stop them all
    end(signal.SIGTERM, None)


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds used so far: by the server's processes, by this process (the client
    threads), and by the whole machine (busy, of all cores)."""

    server: float
    client: float
    machine: float

    def __sub__(self, other: CpuSample) -> CpuSample:
        return CpuSample(
            self.server - other.server, self.client - other.client, self.machine - other.machine
        )


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def machine_busy() -> float:
    try:
        values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICKS


class PreforkServer:
    """serve_prefork in a subprocess, for the `with` statement."""

    def __init__(self, database: PostgreSQL, processes: int, log_path: Path) -> None:
        self.database = database
        self.processes = processes
        self.log_path = log_path
        self.port = free_port()

    def __enter__(self) -> PreforkServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = self.log_path.open("wb")
        code = f"from bench.aids import serve_prefork; serve_prefork({self.port}, {self.processes})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=app_env(self.database),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(self.process, self.port, self.log_path)
        except BaseException:
            self.__exit__()
            raise
        self.pids = [self.process.pid, *children_of(self.process.pid)]
        return self

    def cpu(self) -> CpuSample:
        return CpuSample(
            server=sum(process_cpu(pid) for pid in self.pids),
            client=time.process_time(),
            machine=machine_busy(),
        )

    def __exit__(self, *_: object) -> None:
        stop(self.process)
        self.log.close()


@dataclass
class LendRun:
    server: str
    processes: int
    threads: int
    loans_per_thread: int
    seconds: float
    timings_ms: list[float] = field(repr=False)
    statuses: dict[str, int]
    cpu: CpuSample
    first_error: str = ""

    @property
    def created(self) -> int:
        return self.statuses.get("201", 0)

    def cpu_per_loan(self) -> dict[str, float]:
        """CPU milliseconds per request: the server's, the client's, the rest (PostgreSQL,
        mostly), and the machine's share busy (of all its cores)."""
        n = len(self.timings_ms) or 1
        rest = max(0.0, self.cpu.machine - self.cpu.server - self.cpu.client)
        return {
            "server_ms": round(self.cpu.server * 1000 / n, 2),
            "client_ms": round(self.cpu.client * 1000 / n, 2),
            "database_and_rest_ms": round(rest * 1000 / n, 2),
            "machine_busy_percent": round(
                100 * self.cpu.machine / (self.seconds * (os.cpu_count() or 1)), 1
            ),
        }

    @property
    def loans_per_s(self) -> float:
        return round(self.created / self.seconds, 1) if self.seconds else 0.0

    @property
    def figures(self) -> Figures:
        return Figures.of(self.timings_ms, self.seconds)

    @property
    def verdict(self) -> str:
        all_created = self.created == len(self.timings_ms)
        return "PASS" if all_created and self.loans_per_s >= TARGET_LOANS_PER_S else "FAIL"


def register_lend_devices(database: PostgreSQL, count: int) -> list[str]:
    """`count` fresh, available CPAP devices of the unit: T-0000001 …"""
    with connect(database) as connection:
        unit = unit_ids(connection)["unit"]
        remove_devices(connection, LEND_PREFIX)
        aid_type = scalar(
            connection, "SELECT id FROM aids_aidtype WHERE slug = %s", (LEND_AID_TYPE,)
        )
        connection.execute(
            """
            INSERT INTO aids_device (serial, aid_type_id, owner_id, location, status, created_at)
            SELECT %s || lpad(g::text, 7, '0'), %s, %s, 'bench', 'available', now()
            FROM generate_series(1, %s) AS g
            """,
            (LEND_PREFIX, aid_type, unit, count),
        )
    return [f"{LEND_PREFIX}{n:07d}" for n in range(1, count + 1)]


def unit_patients(database: PostgreSQL) -> list[int]:
    """The patients the unit lends to: those its trust is responsible for."""
    with connect(database) as connection:
        hospital = unit_ids(connection)["hospital"]
        rows = connection.execute(
            "SELECT id FROM patients_patient WHERE responsible_hospital_id = %s ORDER BY id",
            (hospital,),
        ).fetchall()
    if not rows:
        raise BenchError(f"No patients of {UNIT_HOSPITAL_KEY!r}.")
    return [int(row[0]) for row in rows]


def lend_body(serial: str, patient: int) -> str:
    return json.dumps({"device": serial, "patient": patient})


def lend_concurrently(
    port: int,
    token_headers: dict[str, str],
    batches: Sequence[Sequence[tuple[str, int]]],
    *,
    warmup: Sequence[Sequence[tuple[str, int]]],
    sample: Callable[[], CpuSample],
) -> tuple[float, list[float], collections.Counter[str], str, CpuSample]:
    """One thread per batch, each on its own kept-alive connection, started together after
    its warm-up loans; returns the wall time, the timings, the statuses, the first error and
    the CPU time used meanwhile."""
    timings: list[float] = []
    statuses: collections.Counter[str] = collections.Counter()
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(batches) + 1)
    done = threading.Barrier(len(batches) + 1)

    def worker(batch: Sequence[tuple[str, int]], first: Sequence[tuple[str, int]]) -> None:
        client = Client(port)
        client.headers.update(token_headers)
        mine: list[float] = []
        seen: collections.Counter[str] = collections.Counter()
        problem = ""
        try:
            try:
                for serial, patient in first:
                    client.request(
                        "POST", "/api/v1/loans", lend_body(serial, patient), "application/json"
                    )
            except (OSError, http.client.HTTPException) as error:
                problem = f"in the warm-up: {error}"
                start.abort()
                return
            start.wait(timeout=BARRIER_SECONDS)
            for serial, patient in batch:
                before = time.perf_counter()
                try:
                    answer = client.request(
                        "POST", "/api/v1/loans", lend_body(serial, patient), "application/json"
                    )
                    status = str(answer.status)
                    if answer.status != 201 and not problem:
                        problem = f"{serial}: HTTP {answer.status} {answer.body[:200]!r}"
                except (OSError, http.client.HTTPException) as error:
                    status = type(error).__name__
                    problem = problem or f"{serial}: {error}"
                mine.append((time.perf_counter() - before) * 1000)
                seen[status] += 1
        finally:
            client.close()
            with lock:
                timings.extend(mine)
                statuses.update(seen)
                if problem:
                    errors.append(problem)
            if not start.broken:
                done.wait(timeout=BARRIER_SECONDS)

    threads = [
        threading.Thread(target=worker, args=(batch, first), daemon=True)
        for batch, first in zip(batches, warmup, strict=True)
    ]
    for thread in threads:
        thread.start()
    try:
        start.wait(timeout=BARRIER_SECONDS)
        started, before = time.perf_counter(), sample()
        done.wait(timeout=BARRIER_SECONDS)
        seconds, used = time.perf_counter() - started, sample() - before
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT_SECONDS)
        raise BenchError(f"A lending client failed: {errors[0] if errors else 'timeout'}") from None
    for thread in threads:
        thread.join()
    return seconds, timings, statuses, errors[0] if errors else "", used


@dataclass
class Contention:
    threads: int
    devices: int
    attempts: int
    statuses: dict[str, int]
    serials: list[str] = field(repr=False)
    active_loans: int = 0

    @property
    def verdict(self) -> str:
        return (
            "PASS"
            if self.statuses.get("201", 0) == self.devices == self.active_loans
            and self.statuses.get("409", 0) == self.attempts - self.devices
            else "FAIL"
        )


def run_lending(
    database: PostgreSQL,
    password: str,
    *,
    processes: Sequence[int],
    threads: Sequence[int],
    loans_per_thread: int,
    warmup_per_thread: int,
    race_devices: int,
) -> tuple[list[LendRun], Contention]:
    per_server = sum(t * (loans_per_thread + warmup_per_thread) for t in threads)
    needed = per_server * len(processes) + race_devices
    print(f"Registering {needed:,} {LEND_AID_TYPE} devices for {UNIT_KEY} ({LEND_PREFIX}…).")
    fresh = iter(register_lend_devices(database, needed))
    patients = unit_patients(database)
    rng = random.Random(4)
    runs: list[LendRun] = []
    contention: Contention | None = None
    for count in processes:
        label = lend_server(count)
        log_path = VAR_DIR / f"bench-server-aids-{count}.log"
        print(f"Lending: {label}", flush=True)
        with PreforkServer(database, count, log_path) as server_process:
            port = server_process.port
            token = api_client(port, UNIT_USER, password)
            headers = dict(token.headers)
            token.close()
            for n in threads:

                def take(k: int) -> list[tuple[str, int]]:
                    return [(next(fresh), rng.choice(patients)) for _ in range(k)]

                warm = [take(warmup_per_thread) for _ in range(n)]
                batches = [take(loans_per_thread) for _ in range(n)]
                seconds, timings, statuses, first_error, cpu = lend_concurrently(
                    port, headers, batches, warmup=warm, sample=server_process.cpu
                )
                run = LendRun(
                    server=label,
                    processes=count,
                    threads=n,
                    loans_per_thread=loans_per_thread,
                    seconds=seconds,
                    timings_ms=timings,
                    statuses=dict(statuses),
                    cpu=cpu,
                    first_error=first_error,
                )
                runs.append(run)
                used = run.cpu_per_loan()
                print(
                    f"  {count} process(es), {n} client thread(s): {run.loans_per_s:6.1f} loans/s"
                    f"  p95 {run.figures.p95_ms:6.1f} ms  {dict(statuses)}; CPU per loan: "
                    f"server {used['server_ms']:.1f} ms, client {used['client_ms']:.1f} ms, "
                    f"database and rest {used['database_and_rest_ms']:.1f} ms; "
                    f"machine {used['machine_busy_percent']:.0f}% busy",
                    flush=True,
                )
            if count == processes[-1] and race_devices:
                contention = race(
                    server_process, headers, fresh, race_devices, patients, max(threads), rng
                )
    assert contention is not None or not race_devices
    return runs, contention or Contention(0, 0, 0, {}, [])


def race(
    server: PreforkServer,
    headers: dict[str, str],
    fresh: Any,
    count: int,
    patients: Sequence[int],
    threads: int,
    rng: random.Random,
) -> Contention:
    """Every thread tries to lend the same devices (each in its own order): one loan per
    device may succeed, the others must get 409."""
    shared = [next(fresh) for _ in range(count)]
    batches = []
    for _ in range(threads):
        order = shared[:]
        rng.shuffle(order)
        batches.append([(serial, rng.choice(patients)) for serial in order])
    statuses = lend_concurrently(
        server.port, headers, batches, warmup=[[]] * threads, sample=server.cpu
    )[2]
    contention = Contention(threads, count, count * threads, dict(statuses), shared)
    print(f"  race: {threads} threads × the same {count} devices: {dict(statuses)}", flush=True)
    return contention


def verify(database: PostgreSQL, contention: Contention) -> dict[str, Any]:
    """After the lending: no device with two active loans anywhere; each lent T- device on
    loan with exactly one active loan; in the race, one loan per device."""
    with connect(database) as connection:
        doubled = scalar(
            connection,
            "SELECT count(*) FROM (SELECT device_id FROM aids_loan WHERE returned_at IS NULL "
            "GROUP BY device_id HAVING count(*) > 1) AS twice",
        )
        row = connection.execute(
            """
            SELECT count(l.id), count(DISTINCT l.device_id),
                   count(l.id) FILTER (WHERE d.status <> 'on-loan'),
                   count(DISTINCT d.id) FILTER (WHERE d.status = 'on-loan' AND l.id IS NULL)
            FROM aids_device d LEFT JOIN aids_loan l
              ON l.device_id = d.id AND l.returned_at IS NULL
            WHERE d.serial LIKE 'T-%'
            """
        ).fetchone()
        contention.active_loans = scalar(
            connection,
            "SELECT count(*) FROM aids_loan l JOIN aids_device d ON d.id = l.device_id "
            "WHERE d.serial = ANY(%s) AND l.returned_at IS NULL",
            (contention.serials,),
        )
    loans, devices, off_loan, without_loan = row or (0, 0, 0, 0)
    return {
        "devices_with_two_active_loans": doubled,
        "lent_active_loans": loans,
        "lent_devices": devices,
        "active_loans_on_devices_not_on_loan": off_loan,
        "devices_on_loan_without_active_loan": without_loan,
        "race_active_loans": contention.active_loans,
        "ok": doubled == 0 and loans == devices and off_loan == 0 and without_loan == 0,
    }


# Output


def line_record(line: Line) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": line.name,
        "user": line.user,
        "path": line.path,
        **asdict(line.figures),
        "errors": line.errors,
        "target": line.verdict,
    }
    if line.first_error:
        record["first_error"] = line.first_error
    if line.note:
        record["note"] = line.note
    return record


def lend_record(run: LendRun) -> dict[str, Any]:
    figures = run.figures
    record: dict[str, Any] = {
        "server": run.server,
        "processes": run.processes,
        "client_threads": run.threads,
        "loans_per_thread": run.loans_per_thread,
        "loans_per_s": run.loans_per_s,
        "seconds": round(run.seconds, 2),
        **{k: v for k, v in asdict(figures).items() if k != "requests_per_s"},
        "statuses": run.statuses,
        "cpu_per_loan": run.cpu_per_loan(),
        "target": run.verdict,
    }
    if run.first_error:
        record["first_error"] = run.first_error
    return record


def write_results(
    database: PostgreSQL,
    contents: Contents,
    build: Build,
    lines: Sequence[Line],
    plans: Sequence[dict[str, Any]],
    runs: Sequence[LendRun],
    contention: Contention,
    checks: dict[str, Any],
    args: argparse.Namespace,
) -> Path:
    result = {
        "benchmark": "devices and loans over HTTP: lookups and the depot overview one request "
        "after another, lending from several client threads at once",
        "database": database.name,
        "database_version": database.version(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "patients": contents.patients,
        "build": asdict(build),
        "target": {
            "p95_ms": TARGET_P95_MS,
            "loans_per_s": TARGET_LOANS_PER_S,
            "database": TARGET_DATABASE,
        },
        "reads": {
            "server": READ_SERVER,
            "warmup_per_line": args.warmup,
            "requests_per_line": args.requests,
            "lines": [line_record(x) for x in lines],
            "depot_overview_plans": list(plans),
        },
        "lending": {
            "aid_type": LEND_AID_TYPE,
            "unit": UNIT_KEY,
            "patients": f"responsible hospital {UNIT_HOSPITAL_KEY!r}, drawn at random",
            "warmup_per_thread": args.lend_warmup,
            "runs": [lend_record(x) for x in runs],
            "race": {
                "client_threads": contention.threads,
                "devices": contention.devices,
                "attempts": contention.attempts,
                "statuses": contention.statuses,
                "active_loans": contention.active_loans,
                "target": contention.verdict,
            },
            "checks": checks,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    partial = RESULTS.with_suffix(".json.tmp")
    partial.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    partial.replace(RESULTS)
    return RESULTS


def print_table(
    database: PostgreSQL,
    contents: Contents,
    build: Build,
    lines: Sequence[Line],
    runs: Sequence[LendRun],
    contention: Contention,
    checks: dict[str, Any],
) -> None:
    print()
    how = f"built in {build.seconds:.0f} s" if build.built else "reused"
    if not build.built and build.seconds is not None:
        how += f" (built in {build.seconds:.0f} s)"
    print(
        f"{database.label} {database.version()}, {contents.patients:,} patients, "
        f"{build.devices:,} devices, {build.loans:,} loans ({build.active_loans:,} active, "
        f"{build.overdue_loans:,} overdue), {how}; {os.cpu_count()} cores"
    )
    print(
        f"{UNIT_KEY} owns {build.unit_devices:,} of them, of {build.unit_aid_types} aid types; "
        f"owners: {build.owners}"
    )
    print(f"Reads, one client, one request after another; target p95 ≤ {TARGET_P95_MS:.0f} ms")
    print(f"Server: {READ_SERVER}")
    header = (
        f"{'line':<22} {'user':<8} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} "
        f"{'req/s':>7}  {'':4}  note"
    )
    print(header)
    print("-" * len(header))
    for line in lines:
        f = line.figures
        errors = f"  {line.errors} errors ({line.first_error})" if line.errors else ""
        print(
            f"{line.name:<22} {line.user:<8} {f.requests:>5} {f.p50_ms:>7.1f} {f.p95_ms:>7.1f} "
            f"{f.p99_ms:>7.1f} {f.max_ms:>7.1f} {f.requests_per_s:>7.0f}  {line.verdict:4}  "
            f"{line.note}{errors}"
        )
    print("-" * len(header))
    print()
    print(
        f"Lending, POST /api/v1/loans as {UNIT_USER}, client threads at once; "
        f"target ≥ {TARGET_LOANS_PER_S:.0f} loans/s, every answer 201"
    )
    header = (
        f"{'processes':>9} {'threads':>7} {'loans':>6} {'loans/s':>8} {'p50':>7} {'p95':>7} "
        f"{'p99':>7} {'max':>7}  {'':4}  {'app':>5} {'db+':>5} {'busy':>5}  statuses"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        f = run.figures
        cpu = run.cpu_per_loan()
        print(
            f"{run.processes:>9} {run.threads:>7} {f.requests:>6} {run.loans_per_s:>8.1f} "
            f"{f.p50_ms:>7.1f} {f.p95_ms:>7.1f} {f.p99_ms:>7.1f} {f.max_ms:>7.1f}  "
            f"{run.verdict:4}  {cpu['server_ms']:>5.1f} {cpu['database_and_rest_ms']:>5.1f} "
            f"{cpu['machine_busy_percent']:>4.0f}%  {run.statuses}"
        )
    print("-" * len(header))
    print(
        "app, db+: CPU ms per loan of the app server's processes and of the rest of the "
        "machine (PostgreSQL, mostly; the client's own is left out); busy: of all cores."
    )
    print(
        f"Race: {contention.threads} threads lending the same {contention.devices} devices: "
        f"{contention.statuses}, {contention.active_loans} active loans  {contention.verdict}"
    )
    print(
        f"Checks: {checks['devices_with_two_active_loans']} devices with two active loans; "
        f"{checks['lent_active_loans']} active loans on {checks['lent_devices']} lent devices  "
        f"{'PASS' if checks['ok'] else 'FAIL'}"
    )
    print("Times in milliseconds, from sending the request to the last byte of the answer.")


def print_plans(plans: Sequence[dict[str, Any]]) -> None:
    print()
    print("The depot overview's queries, EXPLAIN (ANALYZE, BUFFERS):")
    for number, plan in enumerate(plans, 1):
        print(f"-- query {number}, {plan['ms']:.1f} ms: {plan['sql']}")
        for row in plan["plan"]:
            print(f"   {row}")


# Main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.aids", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--rebuild-aids", action="store_true", help="build the devices and loans afresh"
    )
    parser.add_argument(
        "--patients",
        type=int,
        default=search_args([]).patients,
        metavar="N",
        help="patients beyond the demo's in the bench database, as bench.search (100000)",
    )
    parser.add_argument(
        "--requests", type=int, default=300, metavar="N", help="timed requests per line (300)"
    )
    parser.add_argument(
        "--warmup", type=int, default=30, metavar="N", help="untimed requests per line first (30)"
    )
    parser.add_argument(
        "--threads",
        default="1,4,8",
        help="client threads lending at once, comma-separated (1,4,8)",
    )
    parser.add_argument(
        "--processes",
        default=f"1,{os.cpu_count() or 1},{2 * (os.cpu_count() or 1) + 1}",
        help="server processes for the lending, comma-separated (1,<cores>,<2×cores+1>)",
    )
    parser.add_argument(
        "--loans-per-thread", type=int, default=200, metavar="N", help="timed loans (200)"
    )
    parser.add_argument(
        "--lend-warmup", type=int, default=20, metavar="N", help="untimed loans per thread (20)"
    )
    parser.add_argument(
        "--race-devices", type=int, default=50, metavar="N", help="devices in the race (50)"
    )
    parser.add_argument("--plans", action="store_true", help="print the depot overview's plans")
    parser.add_argument(
        "--strict", action="store_true", help="exit 2 when a line misses the target"
    )
    args = parser.parse_args(argv)
    try:
        args.threads = sorted({int(x) for x in args.threads.split(",")})
        args.processes = sorted({int(x) for x in args.processes.split(",")})
    except ValueError:
        parser.error("--threads and --processes take comma-separated numbers")
    if min(args.threads) < 1 or max(args.threads) > 32 or min(args.processes) < 1:
        parser.error("--threads: 1 to 32 each; --processes: at least 1")
    if args.requests < 200 or args.warmup < 0 or args.loans_per_thread < 1:
        parser.error("--requests: at least 200; --warmup ≥ 0; --loans-per-thread ≥ 1")
    return args


def remove_lend_devices(database: PostgreSQL) -> int:
    """Remove the lending devices and their loans, and VACUUM after them (as autovacuum
    would, a little later), so the next measurement starts from the steady state."""
    with connect(database) as connection:
        removed = remove_devices(connection, LEND_PREFIX)
    if removed:
        with connect(database, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE) aids_device, aids_loan, aids_devicetransition")
    return removed


def cleanup(database: PostgreSQL) -> None:
    removed = remove_lend_devices(database)
    print(f"Removed the {removed:,} lending devices ({LEND_PREFIX}…) and their loans.")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database = PostgreSQL(PG_ADMIN_URL, PG_BENCH_DB)
    if (why := database.unreachable()) is not None:
        print(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {why}\n"
            "Start it (user postgres, trust authentication on 127.0.0.1:5432).",
            file=sys.stderr,
        )
        return 1
    try:
        contents = prepare(database, patients=args.patients, rebuild=False)
        build = prepare_aids(database, rebuild=args.rebuild_aids)
        print("Reading:", flush=True)
        with serve(database, "wsgi", VAR_DIR / "bench-server-aids.log") as port:
            lines = run_reads(
                port, database, contents.password, warmup=args.warmup, requests=args.requests
            )
        plans = depot_plans(database)
        try:
            runs, contention = run_lending(
                database,
                contents.password,
                processes=args.processes,
                threads=args.threads,
                loans_per_thread=args.loans_per_thread,
                warmup_per_thread=args.lend_warmup,
                race_devices=args.race_devices,
            )
            checks = verify(database, contention)
        finally:
            cleanup(database)
    except (BenchError, OSError, http.client.HTTPException, psycopg.Error) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    path = write_results(database, contents, build, lines, plans, runs, contention, checks, args)
    print_table(database, contents, build, lines, runs, contention, checks)
    depot_missed = any(x.verdict == "FAIL" for x in lines if x.name.startswith("depot"))
    if args.plans or depot_missed:
        print_plans(plans)
    print(f"Written to {path.relative_to(ROOT)}")
    errors = sum(x.errors for x in lines) + sum(len(x.timings_ms) - x.created for x in runs)
    if errors or not checks["ok"] or contention.verdict == "FAIL":
        print(f"{errors} requests failed or a check failed.", file=sys.stderr)
        return 1
    misses = sum(x.verdict == "FAIL" for x in lines) + sum(x.verdict == "FAIL" for x in runs)
    if misses:
        print(f"{misses} lines miss their target.")
        return 2 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
