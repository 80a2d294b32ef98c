"""The results: bench/results/aids.json, the table, and the depot overview's plans."""

from __future__ import annotations

import argparse
import datetime
import json
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.aids.build import Build
from bench.aids.common import (
    LEND_AID_TYPE,
    READ_SERVER,
    RESULTS,
    TARGET_DATABASE,
    TARGET_LOANS_PER_S,
    UNIT_HOSPITAL_KEY,
    UNIT_KEY,
    UNIT_USER,
)
from bench.aids.lending import Contention, LendRun
from bench.aids.reads import Line
from bench.search import TARGET_P95_MS, Contents, PostgreSQL, machine


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


def lending_record(
    runs: Sequence[LendRun],
    contention: Contention,
    checks: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    return {
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
    }


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
        "machine": machine(),
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
        "lending": lending_record(runs, contention, checks, args),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    partial = RESULTS.with_suffix(".json.tmp")
    partial.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    partial.replace(RESULTS)
    return RESULTS


# The table


def print_reads(
    database: PostgreSQL, contents: Contents, build: Build, lines: Sequence[Line]
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


def print_lending(runs: Sequence[LendRun], contention: Contention, checks: dict[str, Any]) -> None:
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


def print_table(
    database: PostgreSQL,
    contents: Contents,
    build: Build,
    lines: Sequence[Line],
    runs: Sequence[LendRun],
    contention: Contention,
    checks: dict[str, Any],
) -> None:
    print_reads(database, contents, build, lines)
    print_lending(runs, contention, checks)
    print("Times in milliseconds, from sending the request to the last byte of the answer.")


def print_plans(plans: Sequence[dict[str, Any]]) -> None:
    print()
    print("The depot overview's queries, EXPLAIN (ANALYZE, BUFFERS):")
    for number, plan in enumerate(plans, 1):
        print(f"-- query {number}, {plan['ms']:.1f} ms: {plan['sql']}")
        for row in plan["plan"]:
            print(f"   {row}")
