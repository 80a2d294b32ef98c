"""The results: bench/results/stays.json, the table, and the worklist's plans."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.search import TARGET_P95_MS, Contents, PostgreSQL, machine
from bench.stays.build import Build
from bench.stays.common import (
    READ_SERVER,
    READERS,
    RESULTS,
    TARGET_DATABASE,
    TARGET_SWEEP_SECONDS,
)
from bench.stays.reads import Repeated
from bench.stays.sweep import SWEEPS, Sweeps


def line_record(line: Repeated) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": line.name,
        "user": line.user,
        "path": line.path,
        "organisation": line.note,
        **asdict(line.figures),
        "errors": line.errors,
        "target": line.verdict,
        "rounds": [
            {k: v for k, v in asdict(x.figures).items() if k != "requests"} for x in line.rounds
        ],
    }
    if line.first_error:
        record["first_error"] = line.first_error
    return record


def sweep_record(sweeps: Sweeps) -> dict[str, Any]:
    return {
        "rounds": sweeps.rounds,
        "how": "each round from the build's notification state (notifications deleted, "
        "pending notices as first_notice gave them at the build's clock, then VACUUM): "
        + "; ".join(f"{name} at the clock + {minutes} min" for name, minutes in SWEEPS),
        "lines": [
            {
                "name": line.name,
                "minutes_after_clock": line.minutes,
                "median_s": line.median_s,
                "seconds": line.seconds,
                "deadlines": line.deadlines,
                "notifications": line.notifications,
                "expected": line.expected,
                "kinds_last_round": line.kinds,
                "target": line.verdict,
            }
            for line in sweeps.lines
        ],
        "emails": {
            "backend": sweeps.emails.backend,
            "limit": sweeps.emails.limit,
            "median_s": sweeps.emails.median_s,
            "seconds": sweeps.emails.seconds,
            "notifications": sweeps.emails.notifications,
            "emails": sweeps.emails.emails,
        },
        "resets": sweeps.resets,
        "raw": sweeps.raw,
    }


def write_results(
    database: PostgreSQL,
    contents: Contents,
    build: Build,
    lines: Sequence[Repeated],
    plans: Sequence[dict[str, Any]],
    splits: Sequence[dict[str, Any]],
    sweeps: Sweeps | None,
    args: argparse.Namespace,
) -> Path:
    result = {
        "benchmark": "stays at scale: the worklist over HTTP one request after another, "
        "and the notification sweep over 1,000,000 open deadlines",
        "database": database.name,
        "database_version": database.version(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "patients": contents.patients,
        "build": asdict(build),
        "target": {
            "p95_ms": TARGET_P95_MS,
            "sweep_s": TARGET_SWEEP_SECONDS,
            "database": TARGET_DATABASE,
        },
        "reads": {
            "server": READ_SERVER,
            "readers": [{"user": u, "organisation": k, "what": w} for u, k, w in READERS],
            "rounds": args.read_rounds,
            "figures": "each line's p50, p95, p99 and mean are the medians of its rounds'; "
            "max is the highest of any round",
            "warmup_per_line": args.warmup,
            "requests_per_line_per_round": args.requests,
            "lines": [line_record(x) for x in lines],
            "in_process": {
                "how": "each line's request made in the app's own process with Django's test "
                "client (no network, no HTTP server), median of 20: its time and the time its "
                "queries took",
                "requests": list(splits),
            },
            "worklist_plans": list(plans),
        },
        "sweeps": sweep_record(sweeps) if sweeps is not None else None,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    partial = RESULTS.with_suffix(".json.tmp")
    partial.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    partial.replace(RESULTS)
    return RESULTS


# The table


def counts_of(plans: Sequence[dict[str, Any]]) -> dict[str, str]:
    return {
        p["user"]: f"{p['open']:,} open, {p['overdue']:,} overdue, {p['holders']} holders"
        for p in plans
        if "open" in p
    }


def print_reads(
    database: PostgreSQL,
    contents: Contents,
    build: Build,
    lines: Sequence[Repeated],
    plans: Sequence[dict[str, Any]],
    splits: Sequence[dict[str, Any]],
) -> None:
    print()
    how = f"built in {build.seconds:.0f} s" if build.built else "reused"
    if not build.built and build.seconds is not None:
        how += f" (built in {build.seconds:.0f} s)"
    print(
        f"{database.label} {database.version()}, {contents.patients:,} patients, "
        f"{build.stays:,} open stays, {build.deadlines:,} open deadlines "
        f"({build.overdue_at_clock:,} overdue at the build's clock), {how}; "
        f"{os.cpu_count()} cores"
    )
    rounds = len(lines[0].rounds) if lines else 0
    print(
        f"Worklists, one client, one request after another, median of {rounds} rounds; "
        f"target p95 ≤ {TARGET_P95_MS:.0f} ms"
    )
    print(f"Server: {READ_SERVER}")
    counts = counts_of(plans)
    inside = {(x["user"], x["path"]): x for x in splits}
    header = (
        f"{'line':<16} {'user':<14} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} "
        f"{'req/s':>6}  {'':4} {'app':>5} {'sql':>5}  organisation: its worklist"
    )
    print(header)
    print("-" * len(header))
    for line in lines:
        f = line.figures
        errors = f"  {line.errors} errors ({line.first_error})" if line.errors else ""
        split = inside.get((line.user, line.path), {})
        print(
            f"{line.name:<16} {line.user:<14} {f.requests:>5} {f.p50_ms:>7.1f} {f.p95_ms:>7.1f} "
            f"{f.p99_ms:>7.1f} {f.max_ms:>7.1f} {f.requests_per_s:>6.0f}  {line.verdict:4} "
            f"{split.get('request_ms', 0):>5.1f} {split.get('sql_ms', 0):>5.1f}  "
            f"{line.note}: {counts.get(line.user, '')}{errors}"
        )
    print("-" * len(header))
    print(
        "app, sql: the same request in the app's own process (test client, no HTTP), median "
        "of 20, and the part of it its queries took."
    )


def print_sweeps(sweeps: Sweeps) -> None:
    print()
    print(
        f"Sweeps, overgang.stays.notify.sweep(now), median of {sweeps.rounds} rounds from the "
        f"build's notification state; target ≤ {TARGET_SWEEP_SECONDS:.0f} s"
    )
    header = (
        f"{'sweep':<22} {'now':>12} {'median':>8} {'min':>7} {'max':>7} {'notified':>9}  "
        f"{'':4}  kinds"
    )
    print(header)
    print("-" * len(header))
    for line in sweeps.lines:
        kinds = ", ".join(f"{n:,} {k}" for k, n in sorted(line.kinds.items()))
        told = line.notifications[-1] if line.notifications else 0
        wrong = "" if line.correct else f"  expected {line.expected}, got {line.notifications}"
        print(
            f"{line.name:<22} {'clock+' + str(line.minutes) + ' min':>12} "
            f"{line.median_s:>7.2f}s {min(line.seconds):>6.2f}s {max(line.seconds):>6.2f}s "
            f"{told:>9,}  {line.verdict:4}  {kinds}{wrong}"
        )
    print("-" * len(header))
    emails = sweeps.emails
    if emails.seconds:
        print(
            f"send_emails(limit={emails.limit}), {len(emails.seconds)} batches, "
            f"{emails.backend.rsplit('.', 2)[-2]} backend: median {emails.median_s:.2f} s "
            f"(min {min(emails.seconds):.2f}, max {max(emails.seconds):.2f}) for "
            f"{statistics.median_low(emails.notifications)} notifications in "
            f"{statistics.median_low(emails.emails)} e-mails"
        )


def print_table(
    database: PostgreSQL,
    contents: Contents,
    build: Build,
    lines: Sequence[Repeated],
    plans: Sequence[dict[str, Any]],
    splits: Sequence[dict[str, Any]],
    sweeps: Sweeps | None,
) -> None:
    print_reads(database, contents, build, lines, plans, splits)
    if sweeps is not None:
        print_sweeps(sweeps)
    print("Times in milliseconds, from sending the request to the last byte of the answer.")


def print_plans(plans: Sequence[dict[str, Any]], *, everything: bool) -> None:
    """The worklist's queries per reader, EXPLAIN (ANALYZE, BUFFERS); all of them, or the
    page's rows and count."""
    print()
    print("The worklist's queries, EXPLAIN (ANALYZE, BUFFERS):")
    for reader in plans:
        shown = [
            q for q in reader["queries"] if everything or q["what"] in ("page rows", "page count")
        ]
        if not shown:
            continue
        print(f"== {reader['user']}: {counts_of([reader]).get(reader['user'], reader.get('what'))}")
        for query in shown:
            print(f"-- {query['what']}, {query['ms']:.1f} ms: {query['sql'][:240]}…")
            for row in query["plan"]:
                print(f"   {row}")
