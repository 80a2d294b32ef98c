"""The build: 1,000,000 devices and 2,000,000 loans, by INSERT … SELECT from
generate_series, in one transaction; or the earlier build, when it is there."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from bench.aids.common import (
    BENCH_PREFIX,
    DEVICES,
    LEND_PREFIX,
    LOANS,
    ON_LOAN,
    OWNER_CATEGORIES,
    RESULTS,
    SEED,
    STATUS_SHARES,
    connect,
    remove_devices,
    remove_lend_devices,
    scalar,
    unit_ids,
)
from bench.search import BenchError, PostgreSQL, overgang


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


# The statements of the build

LOOKUP_TYPES = """
    CREATE TEMP TABLE bench_type ON COMMIT DROP AS
    SELECT owner_kind, row_number() OVER (PARTITION BY owner_kind ORDER BY slug) AS rn,
           id
    FROM aids_aidtype
    JOIN (SELECT * FROM jsonb_each(%s::jsonb)) AS k(owner_kind, categories)
      ON k.categories ? aids_aidtype.category
"""
LOOKUP_OWNERS = """
    CREATE TEMP TABLE bench_owner ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY o.id) AS rn, o.id, o.kind,
           left(o.name, 120) AS name,
           (SELECT count(*) FROM bench_type t WHERE t.owner_kind = o.kind) AS types
    FROM organisations_organisation o
    WHERE o.kind = ANY(%s)
"""
LOOKUP_PATIENTS = """
    CREATE TEMP TABLE bench_patient ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY id) AS rn, id FROM patients_patient
"""
INSERT_DEVICES = """
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
DEVICE_MAP = """
    CREATE TEMP TABLE bench_device ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY id) AS rn, id, status
    FROM aids_device WHERE serial LIKE 'B-%'
"""
# Loans have columns with no database default (Django's model fills them in): these
# are single loans ('main'), fetched by the patient, with no address or purpose.
# Returned loans: every device once in [3, 2) years ago, some again in [2, 1) years
# ago; 7919 is prime to DEVICES, so (g * 7919) mod DEVICES visits every device.
INSERT_RETURNED_LOANS = """
    INSERT INTO aids_loan
        (device_id, patient_id, placement, started_at, expected_end,
         returned_at, manual_handed_over, instruction_given, lent_by_id,
         role, delivery, address, purpose)
    SELECT x.device_id, p.id,
           CASE WHEN x.inst < 0.1 THEN 'institution' ELSE 'home' END,
           x.started,
           CASE WHEN x.open_ended < 0.2 THEN NULL
                ELSE (x.started + x.months * interval '1 month')::date END,
           x.started + interval '7 days' + x.kept * interval '170 days',
           true, true, {actor}, 'main', 'fetched', '', ''
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
# Active loans: one for each device on loan, lent within the last year, for 3 to
# 24 months (a fifth open-ended); those past their expected end are overdue.
INSERT_ACTIVE_LOANS = """
    INSERT INTO aids_loan
        (device_id, patient_id, placement, started_at, expected_end,
         returned_at, manual_handed_over, instruction_given, lent_by_id,
         role, delivery, address, purpose)
    SELECT x.device_id, p.id,
           CASE WHEN x.inst < 0.1 THEN 'institution' ELSE 'home' END,
           x.started,
           CASE WHEN x.open_ended < 0.2 THEN NULL
                ELSE (x.started + x.months * interval '1 month')::date END,
           NULL, true, true, {actor}, 'main', 'fetched', '', ''
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


# The steps of the build


def remove_earlier(
    database: PostgreSQL, connection: psycopg.Connection[Any], steps: dict[str, float]
) -> None:
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


def make_lookups(connection: psycopg.Connection[Any]) -> None:
    """Numbered aid types per owner kind, owners and patients, to draw from by number."""
    connection.execute(LOOKUP_TYPES, (json.dumps(OWNER_CATEGORIES),))
    connection.execute(LOOKUP_OWNERS, (list(OWNER_CATEGORIES),))
    if scalar(connection, "SELECT count(*) FROM bench_owner WHERE types > 0") == 0:
        raise BenchError("No aids unit or aid depot with aid types to own.")
    connection.execute("DELETE FROM bench_owner WHERE types = 0")
    connection.execute(LOOKUP_PATIENTS)
    for table in ("bench_type", "bench_owner", "bench_patient"):
        connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))


def insert_devices(connection: psycopg.Connection[Any], owners: int) -> None:
    connection.execute(
        sql.SQL(INSERT_DEVICES).format(
            status=status_case("s"),
            owners=sql.Literal(owners),
            devices=sql.Literal(DEVICES),
        )
    )


def map_devices(connection: psycopg.Connection[Any]) -> None:
    connection.execute(DEVICE_MAP)
    connection.execute("CREATE UNIQUE INDEX ON bench_device (rn)")
    connection.execute("ANALYZE bench_device")


def insert_returned_loans(
    connection: psycopg.Connection[Any], actor: int, patients: int, returned: int
) -> None:
    connection.execute(
        sql.SQL(INSERT_RETURNED_LOANS).format(
            actor=sql.Literal(actor),
            patients=sql.Literal(patients),
            returned=sql.Literal(returned),
            devices=sql.Literal(DEVICES),
        )
    )


def insert_active_loans(connection: psycopg.Connection[Any], actor: int, patients: int) -> None:
    connection.execute(
        sql.SQL(INSERT_ACTIVE_LOANS).format(
            actor=sql.Literal(actor),
            patients=sql.Literal(patients),
            on_loan=sql.Literal(ON_LOAN),
        )
    )


def build_rows(database: PostgreSQL) -> dict[str, float]:
    """Devices and loans in one transaction, by INSERT … SELECT from generate_series."""
    steps: dict[str, float] = {}
    with connect(database) as connection:
        if bench_devices(database):
            remove_earlier(database, connection, steps)
        connection.execute("SET LOCAL work_mem = '256MB'")
        connection.execute("SELECT setseed(%s)", (SEED,))
        actor = system_user(connection)

        # Checking the foreign keys row by row would take longer than the inserts; the
        # constraints come back, validated in one pass each, before the commit.
        foreign_keys = drop_foreign_keys(connection, ("aids_device", "aids_loan"))
        timed(steps, "lookup tables", lambda: make_lookups(connection))
        owners = scalar(connection, "SELECT count(*) FROM bench_owner")
        patients = scalar(connection, "SELECT count(*) FROM bench_patient")
        if not patients:
            raise BenchError("No patients in the bench database.")
        timed(steps, f"{DEVICES:,} devices", lambda: insert_devices(connection, owners))
        timed(steps, "device map", lambda: map_devices(connection))
        active = scalar(
            connection, "SELECT count(*) FROM bench_device WHERE status = %s", (ON_LOAN,)
        )
        returned = LOANS - active
        if not DEVICES <= returned <= 2 * DEVICES:
            raise BenchError(f"{active:,} devices on loan leave {returned:,} returned loans.")
        timed(
            steps,
            f"{returned:,} returned loans",
            lambda: insert_returned_loans(connection, actor, patients, returned),
        )
        timed(
            steps,
            f"{active:,} active loans",
            lambda: insert_active_loans(connection, actor, patients),
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


# What there is


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
