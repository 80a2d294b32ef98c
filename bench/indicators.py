"""The indicators page and its figures at scale, on PostgreSQL: `make bench`.

Builds (or reuses) the PostgreSQL database OVERGANG_BENCH_INDICATORS_DB (default
overgang_bench_indicators): the organisations and the catalogue, then `--stays` ended
stays spread over the last twelve months and the four agreements, each with ten deadlines
(`--stays` × 10 in all: 100,000 stays give 1,000,000 deadlines), done on time, late or not
at all, and one stay in four with an aid need met by a loan. The rows are written by
INSERT … SELECT from a template row of each table, not through the actions. Then, in the
app's own process (Django's test client, so the time is the view's and its queries', not
HTTP's): the page /indicators/ for each agreement as the superuser (every stay of the
agreement) and with one hospital chosen, and GET /api/v1/indicators; `--requests` times
each after `--warmup`, after refreshing the monthly figures table as the worker does
(its duration is reported too). Target: p95 ≤ 200 ms for the page and the API. Results go to
bench/results/indicators.json.

    python -m bench.indicators                        100,000 stays (1,000,000 deadlines)
    python -m bench.indicators --stays 2000           a quick run
    python -m bench.indicators --rebuild              build afresh
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(
    os.environ.get("OVERGANG_BENCH_RESULTS", Path(__file__).resolve().parent / "results")
)
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Its own database beside bench/search.py's (the smoke run's beside the smoke's).
DB = os.environ.get("OVERGANG_BENCH_INDICATORS_DB") or (
    os.environ.get("OVERGANG_BENCH_DB", "overgang_bench") + "_indicators"
)
TARGET_P95_MS = 200.0
# One place per agreement: (agreement, trust, hospital, municipality), organisation keys.
PLACES = (
    ("oslo", "ous", "ous-ulleval", "oslo"),
    ("unn", "unn", "unn-tromso", "tromso"),
    ("hnt", "hnt", "hnt-levanger", "levanger"),
    ("nordjylland", "rn", "aauh", "aalborg"),
)


def database_url() -> str:
    return f"postgres://postgres@127.0.0.1:5432/{DB}"


def create_database(rebuild: bool) -> bool:
    """Whether the database was made afresh (and so needs building)."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
        if found and rebuild:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(DB)))
        if not found or rebuild:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB)))
    # A database reused is brought up to date too (the monthly figures table came later).
    env = {**os.environ, "DATABASE_URL": database_url()}
    subprocess.run(
        [sys.executable, "-m", "overgang", "migrate", "--no-input", "-v", "0"], check=True, env=env
    )
    return not found or rebuild


def _clone(
    cursor: Any,
    model: Any,
    template: int,
    source: str,
    overrides: dict[str, str],
    where: str = "TRUE",
) -> None:
    """INSERT … SELECT of `model`: the template row's columns, some replaced by SQL over
    g (1…n) or the rows of `source` (more FROM items) that `where` keeps."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = [overrides.get(column, f't."{column}"') for column in columns]
    cursor.execute(
        f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) '
        f'SELECT {", ".join(select)} FROM "{table}" t, {source} '
        f"WHERE t.id = {template} AND {where}"
    )


def build(stays: int) -> None:
    from django.db import connection, transaction

    from overgang import clock
    from overgang.aids.actions import sync_catalogue
    from overgang.aids.models import AidType, Device, Loan
    from overgang.audit.history import system_actor
    from overgang.organisations.actions import load_organisations
    from overgang.organisations.models import Organisation
    from overgang.patients import actions as patient_actions
    from overgang.stays.models import Deadline, Need, Stay

    system = system_actor()
    load_organisations(actor=system)
    sync_catalogue()
    org = {o.key: o.pk for o in Organisation.objects.all()}
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number="15108695088",
        name="Bench Nordmann",
        municipality="Oslo",
        district="Frogner",
        address="Benkveien 1",
    )
    now = clock.now()
    aid = AidType.objects.order_by("pk")[0]
    with transaction.atomic():
        stay = Stay.objects.create(
            patient=patient,
            municipality_id=org["oslo"],
            trust_id=org["ous"],
            hospital_id=org["ous-ulleval"],
            admission="emergency",
            admitted_at=now,
            agreement="oslo",
            country="NO",
            time_zone="Europe/Oslo",
            status="discharged",
            ended_at=now,
            created_by=system,
        )
        device = Device.objects.create(serial="BENCH-IND", aid_type=aid, owner_id=org["ous-bhm"])
        loan = Loan.objects.create(
            device=device, patient=patient, started_at=now, returned_at=now, lent_by=system
        )
        need = Need.objects.create(
            stay=stay,
            kind="aid",
            description="bench",
            aid_type=aid,
            status="met",
            loan=loan,
            recorded_by=system,
            recorded_at=now,
        )
        deadline = Deadline.objects.create(
            stay=stay, duty="notify", party="hospital", holder_id=org["oslo"], due=now, rule="b"
        )

        def pick(index: int) -> str:
            return (
                "CASE g % 4 "
                + " ".join(f"WHEN {n} THEN {org[place[index]]}" for n, place in enumerate(PLACES))
                + " END"
            )

        def text(values: Sequence[str]) -> str:
            return (
                "CASE g % 4 "
                + " ".join(f"WHEN {n} THEN '{v}'" for n, v in enumerate(values))
                + " END"
            )

        now_sql = f"'{now.isoformat()}'::timestamptz"
        with connection.cursor() as cursor:
            ended = f"({now_sql} - (g % 365) * interval '1 day' - (g % 24) * interval '1 hour')"
            _clone(
                cursor,
                Stay,
                stay.pk,
                f"generate_series(1, {stays}) g",
                {
                    "agreement": text([p[0] for p in PLACES]),
                    "country": text(["NO", "NO", "NO", "DK"]),
                    "time_zone": text(["Europe/Oslo"] * 3 + ["Europe/Copenhagen"]),
                    "trust_id": pick(1),
                    "hospital_id": pick(2),
                    "municipality_id": pick(3),
                    "ended_at": ended,
                    "admitted_at": f"{ended} - interval '6 days'",
                    "notified_at": f"{ended} - (g % 5) * interval '1 day'",
                },
            )
            first = stay.pk + 1
            _clone(
                cursor,
                Deadline,
                deadline.pk,
                "generate_series(1, 10) k, stays_stay s",
                {
                    "stay_id": "s.id",
                    "holder_id": "s.municipality_id",
                    "duty": "(ARRAY['notify','answer','report','deliver','train'])[1 + k % 5]",
                    "due": "s.admitted_at + k * interval '10 hours'",
                    "done_at": "CASE (s.id + k) % 5 WHEN 0 THEN NULL WHEN 1 THEN "
                    "s.admitted_at + k * interval '10 hours' + interval '2 hours' "
                    "ELSE s.admitted_at + k * interval '10 hours' - interval '1 hour' END",
                },
                where=f"s.id >= {first}",
            )
            loans = stays // 4
            lent = f"{now_sql} - (g * 4 % 365) * interval '1 day'"
            _clone(
                cursor,
                Loan,
                loan.pk,
                f"generate_series(1, {loans}) g",
                {
                    "started_at": lent,
                    "returned_at": f"{lent} + interval '30 days'",
                    "expected_end": f"({lent})::date + 28",
                    "manual_handed_over": "g % 3 = 0",
                },
            )
            _clone(
                cursor,
                Need,
                need.pk,
                "stays_stay s",
                {
                    "stay_id": "s.id",
                    "loan_id": f"{loan.pk} + 1 + (s.id - {first}) / 4",
                    "recorded_at": "s.admitted_at",
                },
                where=f"s.id >= {first} AND (s.id - {first}) % 4 = 0",
            )
            cursor.execute(
                "UPDATE stays_need SET loan_id = NULL "
                "WHERE loan_id NOT IN (SELECT id FROM aids_loan)"
            )
            cursor.execute("ANALYZE")


def refresh() -> dict[str, Any]:
    """The monthly figures table refreshed as the worker does, timed: every kept month of
    each agreement (the nightly refresh), then this month and the last (every ten minutes)."""
    from overgang import clock
    from overgang.audit.history import system_actor
    from overgang.indicators.actions import KEPT_MONTHS, agreements_in_force, refresh_figures

    actor = system_actor()
    took: dict[str, float] = {}
    rows = 0
    for months, name in ((KEPT_MONTHS, "all months"), (2, "last two months")):
        start = time.perf_counter()
        for agreement in agreements_in_force(clock.now()):
            done = refresh_figures(agreement, months=months, actor=actor)
            if months == KEPT_MONTHS:
                rows += done.rows
        took[f"refresh {name}"] = round(time.perf_counter() - start, 2)
    return {"refresh_s": took, "figure_rows": rows}


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(requests: int, warmup: int) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.test import Client

    from overgang.organisations.models import Organisation
    from overgang.stays.models import Deadline, Stay

    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", password="bench"
    )
    client = Client()
    client.force_login(admin)
    hospitals = {o.key: o.key for o in Organisation.objects.filter(key__in=[p[2] for p in PLACES])}
    asks = []
    for agreement, _trust, hospital, _m in PLACES:
        asks.append((f"page {agreement}", f"/indicators/?agreement={agreement}"))
        if hospital in hospitals:
            asks.append(
                (
                    f"page {agreement} one hospital",
                    f"/indicators/?agreement={agreement}&hospital={hospital}",
                )
            )
        asks.append((f"api {agreement}", f"/api/v1/indicators?agreement={agreement}"))
    timings: dict[str, dict[str, float]] = {}
    for name, path in asks:
        samples = []
        for n in range(warmup + requests):
            start = time.perf_counter()
            response = client.get(path)
            took = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if n >= warmup:
                samples.append(took)
        timings[name] = {
            "p50_ms": round(sorted(samples)[len(samples) // 2], 1),
            "p95_ms": round(p95(samples), 1),
            "max_ms": round(max(samples), 1),
        }
    return {
        "stays": Stay.objects.count(),
        "deadlines": Deadline.objects.count(),
        "timings": timings,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stays", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    if args.stays < 4 or args.requests < 1 or args.warmup < 0:
        parser.error("--stays at least 4, --requests at least 1, --warmup at least 0")
    fresh = create_database(args.rebuild)
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings")
    import django

    django.setup()
    if fresh:
        started = time.perf_counter()
        build(args.stays)
        print(f"built {args.stays} stays in {time.perf_counter() - started:.0f} s")
    refreshed = refresh()
    figures = measure(args.requests, args.warmup)
    worst = max(t["p95_ms"] for name, t in figures["timings"].items() if name.startswith("page"))
    worst_api = max(t["p95_ms"] for name, t in figures["timings"].items() if name.startswith("api"))
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "requests": args.requests,
        "target_p95_ms": TARGET_P95_MS,
        "worst_page_p95_ms": worst,
        "worst_api_p95_ms": worst_api,
        "pass": max(worst, worst_api) <= TARGET_P95_MS,
        **refreshed,
        **figures,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "indicators.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{figures['stays']} stays, {figures['deadlines']} deadlines")
    for name, t in figures["timings"].items():
        print(f"  {name:36} p50 {t['p50_ms']:7.1f} ms  p95 {t['p95_ms']:7.1f} ms")
    for name, seconds in refreshed["refresh_s"].items():
        print(f"  {name:36} {seconds:.1f} s ({refreshed['figure_rows']} figure rows)")
    verdict = "PASS" if results["pass"] else "FAIL"
    print(
        f"worst page p95 {worst:.1f} ms, worst API p95 {worst_api:.1f} ms: {verdict} "
        f"(target ≤ {TARGET_P95_MS:.0f} ms)"
    )
    return 0 if results["pass"] else 2


if __name__ == "__main__":
    sys.exit(main())
