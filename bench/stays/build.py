"""The build: 100,000 open stays, their admission events and 1,000,000 open deadlines, by
INSERT … SELECT in one transaction; or the earlier build, when it is there and its clock is
close enough to now. And the reset of the notification state between sweeps."""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from bench.aids.build import drop_foreign_keys, restore_foreign_keys, timed
from bench.aids.common import referencing
from bench.search import PostgreSQL
from bench.stays.common import (
    CLOCK_SLACK_MINUTES,
    DEADLINES,
    DEADLINES_PER_STAY,
    DUE_FROM_HOURS,
    DUE_TO_HOURS,
    RESULTS,
    SEED,
    STAYS,
    BenchError,
    Setup,
    bench_stays_sql,
    build_clock,
    connect,
    scalar,
)

TABLES = ("stays_stay", "stays_stayevent", "stays_deadline", "stays_pendingnotice")


@dataclass
class Build:
    built: bool
    seconds: float | None
    steps: dict[str, float]
    clock: str  # the build's "now": what its due and notice times are relative to
    clock_age_minutes: float
    stays: int
    events: int
    deadlines: int
    overdue_at_clock: int
    to_notify_at_clock: int
    hospital_held: int
    municipality_held: int
    holders: int
    agreements: dict[str, int]


# The statements of the build

LOOKUP_AGREEMENTS = """
    CREATE TEMP TABLE bench_agreement ON COMMIT DROP AS
    SELECT * FROM jsonb_to_recordset(%s::jsonb)
        AS a(municipality_id bigint, agreement text, country text, time_zone text)
"""
LOOKUP_TEMPLATES = """
    CREATE TEMP TABLE bench_template ON COMMIT DROP AS
    SELECT t.*, count(*) OVER (PARTITION BY t.country, t.party) AS n
    FROM jsonb_to_recordset(%s::jsonb)
        AS t(country text, party text, rn int, duty text, cites jsonb, text jsonb)
"""
# Each responsible trust (or Danish region), its hospitals' departments, numbered.
LOOKUP_UNITS = """
    CREATE TEMP TABLE bench_unit ON COMMIT DROP AS
    SELECT t.id AS trust_id, h.id AS hospital_id, d.id AS department_id,
           row_number() OVER (PARTITION BY t.id ORDER BY d.id) AS rn,
           count(*) OVER (PARTITION BY t.id) AS n
    FROM organisations_organisation d
    JOIN organisations_organisation h ON h.id = d.parent_id AND h.kind = 'hospital'
    JOIN organisations_organisation t ON t.id = h.parent_id
    WHERE d.kind = 'department'
"""
# The allocation office of each district or municipality, as holder_for finds it (by name).
LOOKUP_OFFICES = """
    CREATE TEMP TABLE bench_office ON COMMIT DROP AS
    SELECT DISTINCT ON (parent_id) parent_id AS home_id, id AS office_id
    FROM organisations_organisation
    WHERE kind = 'allocation_office'
    ORDER BY parent_id, name, id
"""
# Patients without an open stay, whose trust has departments, in a random order.
LOOKUP_PATIENTS = """
    CREATE TEMP TABLE bench_patient ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY random(), p.id) AS rn, p.id,
           p.responsible_hospital_id AS trust_id,
           coalesce(p.district_id, p.municipality_id) AS home_id,
           p.municipality_id, p.district_id,
           a.agreement, a.country, a.time_zone
    FROM patients_patient p
    JOIN bench_agreement a ON a.municipality_id = p.municipality_id
    WHERE p.responsible_hospital_id IN (SELECT trust_id FROM bench_unit)
      AND NOT EXISTS (
          SELECT 1 FROM stays_stay s WHERE s.patient_id = p.id AND s.ended_at IS NULL
      )
"""
# Stays: admitted in the nine days before the clock, most of them still admitted, some
# discharge-ready or ready to leave; planned ones with an expected length.
INSERT_STAYS = """
    INSERT INTO stays_stay
        (patient_id, municipality_id, district_id, trust_id, hospital_id, department_id,
         admission, admitted_at,
         expected_stay_hours, expected_discharge, agreement, country, time_zone, status,
         documented, override_reason, discharge_ready_at, service, needs_from_hospital,
         prepared, exit_note, force_majeure, relatives_note, individual_plan, coordinator,
         responsibility_group, care, early_reason, documented_texts, coordinator_needed,
         created_by_id, created_at)
    SELECT x.id, x.municipality_id, x.district_id, x.trust_id, u.hospital_id, u.department_id,
           CASE WHEN x.planned < 0.3 THEN 'planned' ELSE 'emergency' END,
           x.admitted,
           CASE WHEN x.planned < 0.3 THEN x.hours END,
           CASE WHEN x.planned < 0.3 THEN x.admitted + x.hours * interval '1 hour' END,
           x.agreement, x.country, x.time_zone,
           CASE WHEN x.s < 0.85 THEN 'admitted'
                WHEN x.s < 0.95 THEN 'discharge-ready' ELSE 'departure-ready' END,
           '[]'::jsonb, '',
           CASE WHEN x.s >= 0.85 THEN x.admitted + ({clock} - x.admitted) * x.ready END,
           '', '', '[]'::jsonb, '', '', '', '', '', false, 'somatic', '', '{{}}'::jsonb, false,
           {actor}, {clock}
    FROM (
        SELECT p.*, random() AS planned, random() AS s, random() AS ready,
               random() AS unit_pick, 24 * (2 + floor(random() * 12)::int) AS hours,
               {clock} - interval '1 hour' - random() * interval '9 days' AS admitted
        FROM bench_patient p WHERE p.rn <= {stays}
    ) AS x
    JOIN bench_unit u
      ON u.trust_id = x.trust_id AND u.rn = 1 + floor(x.unit_pick * u.n)::int
    ORDER BY x.rn
"""
STAY_MAP = """
    CREATE TEMP TABLE bench_stay ON COMMIT DROP AS
    SELECT s.id, s.department_id, s.hospital_id, s.country, s.agreement, s.admitted_at,
           p.home_id
    FROM stays_stay s JOIN bench_patient p ON p.id = s.patient_id
    WHERE s.created_by_id = {actor} AND s.ended_at IS NULL
"""
INSERT_EVENTS = """
    INSERT INTO stays_stayevent (stay_id, name, at, note, recorded_at, actor_id)
    SELECT id, 'admitted', admitted_at, '', {clock}, {actor} FROM bench_stay ORDER BY id
"""
EVENT_MAP = """
    CREATE TEMP TABLE bench_event ON COMMIT DROP AS
    SELECT e.stay_id, e.id FROM stays_stayevent e JOIN bench_stay s ON s.id = e.stay_id
"""
# Ten deadlines per stay, every other one the hospital's (held by the department) and the
# municipality's (held by the allocation office of the patient's district or
# municipality); duties drawn in turn from the deadline rules of the stay's country; due
# at random from DUE_FROM_HOURS to DUE_TO_HOURS around the clock.
INSERT_DEADLINES = """
    INSERT INTO stays_deadline
        (stay_id, event_id, duty, party, holder_id, due, at_once, rule, cites, text, outcome,
         done_note)
    SELECT x.id, x.event_id, t.duty, t.party,
           CASE WHEN t.party = 'hospital' THEN coalesce(x.department_id, x.hospital_id)
                ELSE coalesce(o.office_id, x.home_id) END,
           x.due, false, x.agreement || '.' || t.duty, t.cites, t.text, '', ''
    FROM (
        SELECT s.*, e.id AS event_id, k,
               CASE WHEN k % 2 = 0 THEN 'hospital' ELSE 'municipality' END AS party,
               {clock} + ({due_from} + random() * ({due_to} - {due_from})) * interval '1 hour'
                   AS due
        FROM bench_stay s
        JOIN bench_event e ON e.stay_id = s.id
        CROSS JOIN generate_series(0, {per_stay} - 1) AS k
    ) AS x
    JOIN bench_template t
      ON t.country = x.country AND t.party = x.party AND t.rn = 1 + (x.k / 2 + x.id) % t.n
    LEFT JOIN bench_office o ON o.home_id = x.home_id
    ORDER BY x.id, x.k
"""
# Each open deadline's first notice, as first_notice says at the build's clock; a notice
# already in place is put back where it was (the rounds of the sweep move them on).
PENDING_NOTICES = """
    INSERT INTO stays_pendingnotice (deadline_id, holder_id, due, at)
    SELECT id, holder_id, due, {notify_at} FROM stays_deadline
    WHERE stay_id IN ({stays}) AND done_at IS NULL
    ORDER BY id
    ON CONFLICT (deadline_id) DO UPDATE SET at = excluded.at
    WHERE stays_pendingnotice.at IS DISTINCT FROM excluded.at
"""


def first_notice(due: str, clock: sql.Composable, warning_minutes: int) -> sql.Composed:
    """overgang.stays.actions.deadlines.first_notice in SQL, at the build's clock."""
    return sql.SQL(
        "CASE WHEN {due} <= {clock} THEN {due} "
        "ELSE greatest({due} - {minutes} * interval '1 minute', {clock}) END"
    ).format(due=sql.SQL(due), clock=clock, minutes=sql.Literal(warning_minutes))


def bench_stays() -> sql.SQL:
    return sql.SQL(bench_stays_sql())


# The steps of the build


def remove_stays(connection: psycopg.Connection[Any]) -> int:
    """Remove the bench's stays with their deadlines, events and whatever else points at
    them (found in the catalogue, so rows of models added later go too)."""
    stays = bench_stays()
    children = {
        "stays_deadline": sql.SQL("SELECT id FROM stays_deadline WHERE stay_id IN ({})"),
        "stays_stayevent": sql.SQL("SELECT id FROM stays_stayevent WHERE stay_id IN ({})"),
    }
    # Notifications have no constraint to find them by (see their model).
    connection.execute(
        sql.SQL("DELETE FROM stays_notification WHERE deadline_id IN ({})").format(
            children["stays_deadline"].format(stays)
        )
    )
    # The foreign keys are deferred: the order only matters for finding the rows.
    for parent, ids in (*children.items(), ("stays_stay", sql.SQL("{}"))):
        for table, column in referencing(connection, parent):
            connection.execute(
                sql.SQL("DELETE FROM {} WHERE {} IN ({})").format(
                    sql.Identifier(table), sql.Identifier(column), ids.format(stays)
                )
            )
    removed = connection.execute(sql.SQL("DELETE FROM stays_stay WHERE id IN ({})").format(stays))
    return removed.rowcount


def make_lookups(connection: psycopg.Connection[Any], setup: Setup) -> int:
    connection.execute(LOOKUP_AGREEMENTS, (json.dumps(setup.agreements),))
    connection.execute(LOOKUP_TEMPLATES, (json.dumps(setup.templates),))
    connection.execute(LOOKUP_UNITS)
    connection.execute(LOOKUP_OFFICES)
    connection.execute(LOOKUP_PATIENTS)
    for table in ("bench_agreement", "bench_template", "bench_unit", "bench_office"):
        connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
    connection.execute("CREATE UNIQUE INDEX ON bench_patient (rn)")
    connection.execute("ANALYZE bench_patient")
    return int(scalar(connection, "SELECT count(*) FROM bench_patient"))


def build_rows(database: PostgreSQL, setup: Setup, clock: datetime.datetime) -> dict[str, float]:
    steps: dict[str, float] = {}
    with connect(database) as connection:

        def remove() -> None:
            removed = remove_stays(connection)
            connection.commit()
            if removed:
                print(f"  (removed {removed:,} earlier bench stays)", flush=True)

        timed(steps, "remove the earlier bench stays", remove)
        with connect(database, autocommit=True) as vacuuming:
            timed(
                steps,
                "VACUUM stays, events, deadlines",
                lambda: vacuuming.execute(
                    "VACUUM stays_stay, stays_stayevent, stays_deadline, stays_pendingnotice, "
                    "stays_notification"
                ),
            )
        connection.execute("SET LOCAL work_mem = '256MB'")
        connection.execute("SELECT setseed(%s)", (SEED,))
        values = {
            "clock": sql.Literal(clock),
            "actor": sql.Literal(setup.actor),
            "stays": sql.Literal(STAYS),
            "per_stay": sql.Literal(DEADLINES_PER_STAY),
            "due_from": sql.Literal(DUE_FROM_HOURS),
            "due_to": sql.Literal(DUE_TO_HOURS),
        }

        def run(statement: str, **extra: sql.Composable) -> int:
            # A statement's own part wins over the shared one of the same name ({stays} is
            # the count in most statements, the bench's stays in PENDING_NOTICES).
            return connection.execute(sql.SQL(statement).format(**{**values, **extra})).rowcount

        # Checking the foreign keys row by row would take longer than the inserts; the
        # constraints come back, validated in one pass each, before the commit.
        foreign_keys = drop_foreign_keys(connection, TABLES)
        patients: list[int] = []
        timed(steps, "lookup tables", lambda: patients.append(make_lookups(connection, setup)))
        if patients[0] < STAYS:
            raise BenchError(
                f"Only {patients[0]:,} patients without an open stay at a trust with "
                f"departments; {STAYS:,} needed."
            )
        timed(steps, f"{STAYS:,} stays", lambda: run(INSERT_STAYS))
        timed(steps, "stay map", lambda: run(STAY_MAP))
        timed(steps, f"{STAYS:,} admission events", lambda: run(INSERT_EVENTS))
        timed(steps, "event map", lambda: run(EVENT_MAP))
        connection.execute("ANALYZE bench_stay")
        connection.execute("ANALYZE bench_event")
        timed(steps, f"{DEADLINES:,} deadlines", lambda: run(INSERT_DEADLINES))
        timed(
            steps,
            f"{DEADLINES:,} pending notices",
            lambda: run(
                PENDING_NOTICES,
                notify_at=first_notice("due", values["clock"], setup.warning_minutes),
                stays=bench_stays(),
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
            "VACUUM (ANALYZE) stays, events, deadlines",
            lambda: connection.execute(
                "VACUUM (ANALYZE) stays_stay, stays_stayevent, stays_deadline, stays_pendingnotice"
            ),
        )
    return steps


# What there is


def census(database: PostgreSQL) -> dict[str, Any]:
    stays = bench_stays()
    with connect(database) as connection:
        clock = build_clock(connection)
        row = connection.execute(
            sql.SQL(
                """
                SELECT count(*), count(*) FILTER (WHERE d.due <= {clock}),
                       count(*) FILTER (WHERE n.at <= {clock}),
                       count(*) FILTER (WHERE d.party = 'hospital'),
                       count(*) FILTER (WHERE d.party = 'municipality'),
                       count(DISTINCT d.holder_id)
                FROM stays_deadline d
                LEFT JOIN stays_pendingnotice n ON n.deadline_id = d.id
                WHERE d.stay_id IN ({stays}) AND d.done_at IS NULL
                """
            ).format(clock=sql.Literal(clock), stays=stays)
        ).fetchone() or (0, 0, 0, 0, 0, 0)
        open_stays = scalar(
            connection,
            sql.SQL("SELECT count(*) FROM stays_stay WHERE id IN ({}) AND ended_at IS NULL").format(
                stays
            ),
        )
        events = scalar(
            connection,
            sql.SQL("SELECT count(*) FROM stays_stayevent WHERE stay_id IN ({})").format(stays),
        )
        agreements = dict(
            connection.execute(
                sql.SQL(
                    "SELECT agreement, count(*) FROM stays_stay WHERE id IN ({}) "
                    "GROUP BY agreement ORDER BY count(*) DESC"
                ).format(stays)
            ).fetchall()
        )
    deadlines, overdue, to_notify, hospital, municipality, holders = row
    age = (datetime.datetime.now(datetime.UTC) - clock).total_seconds() / 60 if clock else 0.0
    return {
        "clock": clock.isoformat() if clock else "",
        "clock_age_minutes": round(age, 1),
        "stays": open_stays,
        "events": events,
        "deadlines": deadlines,
        "overdue_at_clock": overdue,
        "to_notify_at_clock": to_notify,
        "hospital_held": hospital,
        "municipality_held": municipality,
        "holders": holders,
        "agreements": agreements,
    }


def previous_build_seconds() -> tuple[float | None, dict[str, float]]:
    try:
        build = json.loads(RESULTS.read_text())["build"]
        return build.get("seconds"), build.get("steps", {})
    except (OSError, ValueError, KeyError, TypeError):
        return None, {}


def prepare_stays(database: PostgreSQL, setup: Setup, *, rebuild: bool) -> Build:
    found = census(database)
    fresh = found["clock_age_minutes"] <= CLOCK_SLACK_MINUTES
    if found["stays"] == STAYS and found["deadlines"] == DEADLINES and fresh and not rebuild:
        print(
            f"Reusing the {STAYS:,} bench stays and their {DEADLINES:,} deadlines "
            f"(built {found['clock_age_minutes']:.0f} minutes ago)."
        )
        reset_notices(database, setup)
        seconds, steps = previous_build_seconds()
        return Build(built=False, seconds=seconds, steps=steps, **found)
    if rebuild:
        why = "asked to"
    elif not fresh:
        why = (
            f"built {found['clock_age_minutes'] / 60:.1f} hours ago; its due times are "
            f"relative to then, and more than {CLOCK_SLACK_MINUTES} minutes have passed"
        )
    else:
        why = f"{found['stays']:,} bench stays and {found['deadlines']:,} deadlines"
    print(f"Building {STAYS:,} stays and {DEADLINES:,} deadlines ({why}):", flush=True)
    started = time.perf_counter()
    clock = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    steps = build_rows(database, setup, clock)
    seconds = round(time.perf_counter() - started, 1)
    print(f"Built in {seconds:.0f} s.")
    build = Build(built=True, seconds=seconds, steps=steps, **census(database))
    if build.stays != STAYS or build.deadlines != DEADLINES:
        raise BenchError(f"Built {build.stays:,} stays and {build.deadlines:,} deadlines.")
    return build


# Between sweeps


def reset_notices(database: PostgreSQL, setup: Setup) -> dict[str, int]:
    """The build's notification state: no notifications for its deadlines, and each open
    deadline's pending notice as first_notice gave it at the build's clock. VACUUM after, as
    autovacuum would, so each round starts from the same steady state."""
    stays = bench_stays()
    with connect(database) as connection:
        clock = build_clock(connection)
        if clock is None:
            raise BenchError("No bench stays to reset.")
        notify_at = first_notice("due", sql.Literal(clock), setup.warning_minutes)
        removed = connection.execute(
            sql.SQL(
                "DELETE FROM stays_notification WHERE deadline_id IN "
                "(SELECT id FROM stays_deadline WHERE stay_id IN ({}))"
            ).format(stays)
        ).rowcount
        restored = connection.execute(
            sql.SQL(PENDING_NOTICES).format(notify_at=notify_at, stays=stays)
        ).rowcount
    if removed or restored:
        with connect(database, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE) stays_pendingnotice, stays_notification")
    return {"notifications_removed": removed, "notice_times_restored": restored}
