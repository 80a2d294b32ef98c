"""The ratio table, and bench/results/load.json."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.load.build import Scale
from bench.load.endpoints import (
    CONNECTIONS,
    LEFT_OUT,
    TARGET_LIST_RATIO,
    TARGET_ONE_RATIO,
    TARGET_PAGE_P95_MS,
    USERS,
)
from bench.load.generator import Run
from bench.load.measure import Line, Load
from bench.search import RESULTS_DIR, PostgreSQL, machine

RESULTS = RESULTS_DIR / "load.json"
SHARED_CORES = (
    "The client threads run on the same cores as the server and PostgreSQL: the absolute "
    "figures are lower than on a server of its own; the ratios are fair, as both sides of "
    "each are measured back to back under the same client."
)


def run_record(run: Run) -> dict[str, Any]:
    record: dict[str, Any] = {**asdict(run.figures), "errors": run.errors}
    if run.first_error:
        record["first_error"] = run.first_error
    return record


def line_record(line: Line) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": line.kind,
        "name": line.name,
        "user": line.user,
        "path": line.path,
        "api": run_record(line.api),
    }
    if line.bare is not None:
        record["bare"] = run_record(line.bare)
        record["ratio"] = round(line.ratio or 0.0, 3)
    if line.rows is not None:
        record["rows"] = line.rows
    if line.same_rows is not None:
        record["same_rows"] = line.same_rows
    if line.note:
        record["note"] = line.note
    record["target"] = line.target
    record["verdict"] = line.verdict
    return record


def write_results(
    database: PostgreSQL, scale: Scale, lines: Sequence[Line], load: Load, server: str
) -> Path:
    result = {
        "benchmark": f"the API under load beside bare Django views, {CONNECTIONS} connections",
        "database": database.name,
        "database_version": database.version(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "server": server,
        "scale": asdict(scale),
        "users": dict(USERS),
        "connections": CONNECTIONS,
        "warmup_per_side": load.warmup,
        "requests_per_side": load.requests,
        "order": "API, bare, bare, API: half the requests each time",
        "shared_cores": SHARED_CORES,
        "targets": {
            "list_ratio": TARGET_LIST_RATIO,
            "one_ratio": TARGET_ONE_RATIO,
            "page_p95_ms": TARGET_PAGE_P95_MS,
        },
        "left_out": LEFT_OUT,
        "lines": [line_record(x) for x in lines],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    partial = RESULTS.with_suffix(".json.tmp")
    partial.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    partial.replace(RESULTS)
    return RESULTS


def print_table(database: PostgreSQL, scale: Scale, lines: Sequence[Line], server: str) -> None:
    print()
    print(
        f"{database.label} {database.version()}, {scale.patients:,} patients, "
        f"{scale.devices:,} devices, {scale.loans:,} loans, {scale.stays:,} stays, "
        f"{scale.deadlines:,} deadlines; {CONNECTIONS} connections"
    )
    print(f"Server: {server}")
    header = (
        f"{'kind':<4} {'route':<22} {'user':<12} {'rows':>4} | {'API r/s':>7} {'p50':>6} "
        f"{'p95':>6} | {'bare r/s':>8} {'p50':>6} {'p95':>6} | {'ratio':>5} {'target':>14} "
    )
    print(header)
    print("-" * (len(header) + 5))
    for line in lines:
        api = line.api.figures
        rows = f"{line.rows:>4}" if line.rows is not None else "    "
        if line.bare is not None:
            bare = line.bare.figures
            side = f"{bare.requests_per_s:>8.0f} {bare.p50_ms:>6.1f} {bare.p95_ms:>6.1f}"
            ratio = f"{line.ratio:>5.2f}"
        else:
            side, ratio = " " * 22, " " * 5
        errors = line.api.errors + (line.bare.errors if line.bare is not None else 0)
        problem = (
            f"  {errors} errors: {line.api.first_error or (line.bare and line.bare.first_error)}"
        )
        print(
            f"{line.kind:<4} {line.name:<22} {line.user:<12} {rows} | "
            f"{api.requests_per_s:>7.0f} {api.p50_ms:>6.1f} {api.p95_ms:>6.1f} | {side} | "
            f"{ratio} {line.target:>14} {line.verdict}{problem if errors else ''}"
        )
    print("-" * (len(header) + 5))
    print(
        "Times in ms from sending a request to the last byte of its answer; r/s: answers a "
        "second over all connections; ratio: API r/s ÷ bare r/s."
    )
    print(SHARED_CORES)
    notes = sorted({f"{x.name}: {x.note}" for x in lines if x.note and x.kind == "list"})
    if notes:
        print("Lists not of 50 rows:")
        for note in notes:
            print(f"  {note}")
    print("Not measured: " + "; ".join(f"{k} ({v})" for k, v in LEFT_OUT.items()))
