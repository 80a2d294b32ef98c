"""What the parts of the aids benchmark share: its settings and a few SQL helpers."""

from __future__ import annotations

import os
from typing import Any

import psycopg
from psycopg import sql

from bench.search import RESULTS_DIR, BenchError, PostgreSQL

RESULTS = RESULTS_DIR / "aids.json"

# The smoke run (bench/smoke.py) builds a thousandth; 7919 must stay prime to DEVICES.
DEVICES = int(os.environ.get("OVERGANG_BENCH_DEVICES", 1_000_000))
LOANS = 2 * DEVICES
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


def connect(database: PostgreSQL, *, autocommit: bool = False) -> psycopg.Connection[Any]:
    return psycopg.connect(database.url, autocommit=autocommit)


def scalar(connection: psycopg.Connection[Any], query: Any, params: Any = None) -> Any:
    row = connection.execute(query, params).fetchone()
    if row is None:
        raise BenchError(f"No answer to {query!r}")
    return row[0]


def like(prefix: str) -> str:
    return prefix + "%"


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


def remove_lend_devices(database: PostgreSQL) -> int:
    """Remove the lending devices and their loans, and VACUUM after them (as autovacuum
    would, a little later), so the next measurement starts from the steady state."""
    with connect(database) as connection:
        removed = remove_devices(connection, LEND_PREFIX)
    if removed:
        with connect(database, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE) aids_device, aids_loan, aids_devicetransition")
    return removed
