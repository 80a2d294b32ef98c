"""The results: bench/results/messages.json and the table, each figure beside its target."""

from __future__ import annotations

import argparse
import datetime
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar

from bench.messages.common import (
    COMPOSE_MIX,
    DANISH_EVERY,
    DANISH_STAY,
    PLO_STAY,
    RESULTS,
    TARGET_API_P95_MS,
    TARGET_COMPOSED_PER_S,
    TARGET_DATABASE,
    TARGET_RECEIVED_PER_S,
    TO_MUNICIPALITY,
)
from bench.search import Line, PostgreSQL, machine


def line_of(interface: str, kind: str, timings: dict[str, Any]) -> Line:
    """A line of bench/search.py from what an inside function answered."""
    return Line(
        interface=interface,
        user="system",
        scope="",
        kind=kind,
        seconds=timings["seconds"],
        timings_ms=timings["timings_ms"],
        labels=timings["labels"],
        errors=timings.get("errors", 0),
        first_error=timings.get("first_error", ""),
    )


@dataclass
class Outcome:
    database: PostgreSQL
    patients: int  # the demo's, before the run
    api: Line
    receive: Line
    compose: Line
    documents: Line
    skipped_documents: dict[str, int]
    server: str

    # name: (what is measured, the target's text)
    TARGETS: ClassVar[dict[str, tuple[str, str]]] = {
        "receive": ("messages/s", f"≥ {TARGET_RECEIVED_PER_S:.0f} messages/s"),
        "api": ("p95", f"p95 ≤ {TARGET_API_P95_MS:.0f} ms"),
        "compose": ("messages/s", f"≥ {TARGET_COMPOSED_PER_S:.0f} messages/s"),
        "documents": ("messages/s", f"≥ {TARGET_COMPOSED_PER_S:.0f} messages/s"),
    }

    def lines(self) -> list[Line]:
        return [self.api, self.receive, self.compose, self.documents]

    def line(self, name: str) -> Line:
        found: Line = getattr(self, name)
        return found

    def verdict(self, name: str) -> str:
        line = self.line(name)
        if self.database.name != TARGET_DATABASE or not line.timings_ms:
            return ""
        figures = line.figures
        if name == "api":
            met = figures.p95_ms <= TARGET_API_P95_MS
        elif name == "receive":
            met = figures.requests_per_s >= TARGET_RECEIVED_PER_S
        else:
            met = figures.requests_per_s >= TARGET_COMPOSED_PER_S
        return "PASS" if met and line.errors == 0 else "FAIL"


def record(outcome: Outcome, name: str) -> dict[str, Any]:
    line = outcome.line(name)
    found: dict[str, Any] = {"name": name, "what": line.kind}
    if line.timings_ms:
        found.update(asdict(line.figures))
        found["by_code"] = {label: asdict(f) for label, f in line.by_query().items()}
    found["messages_per_s"] = found.pop("requests_per_s", None)
    found["messages"] = found.pop("requests", 0)
    found["errors"] = line.errors
    if line.first_error:
        found["first_error"] = line.first_error
    found["target"] = outcome.TARGETS[name][1]
    found["verdict"] = outcome.verdict(name)
    return found


def write_results(outcome: Outcome, args: argparse.Namespace) -> Path:
    result = {
        "benchmark": "standard messages: received through the API and in one process, "
        "composed and documented, one message after another",
        "database": outcome.database.name,
        "database_version": outcome.database.version(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "demo_patients": outcome.patients,
        "stream": {
            "patients": args.patients,
            "warmup_patients": args.warmup,
            "levanger_stay": list(PLO_STAY),
            "every_nth_patient_danish": DANISH_EVERY,
            "aalborg_stay": list(DANISH_STAY),
            "api_messages": list(TO_MUNICIPALITY),
            "compose_mix": list(COMPOSE_MIX),
        },
        "api": {"server": outcome.server, "warmup": args.warmup, "requests": args.requests},
        "lines": [record(outcome, name) for name in outcome.TARGETS],
        "documents_skipped": outcome.skipped_documents,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    partial = RESULTS.with_suffix(".json.tmp")
    partial.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    partial.replace(RESULTS)
    return RESULTS


def print_table(outcome: Outcome) -> None:
    database = outcome.database
    print()
    print(
        f"{database.label} {database.version()}, the demo ({outcome.patients:,} patients) "
        f"and what the run received; {os.cpu_count()} cores"
    )
    print(f"API server: {outcome.server}")
    header = (
        f"{'line':<10} {'what':<33} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} "
        f"{'msg/s':>7}  {'target':<20} {'':4}"
    )
    print(header)
    print("-" * len(header))
    for name, (_, target) in outcome.TARGETS.items():
        line = outcome.line(name)
        if not line.timings_ms:
            print(f"{name:<10} {line.kind:<33} {0:>6}  (nothing timed)")
            continue
        f = line.figures
        errors = f"  {line.errors} errors ({line.first_error})" if line.errors else ""
        print(
            f"{name:<10} {line.kind:<33} {f.requests:>6} {f.p50_ms:>7.1f} {f.p95_ms:>7.1f} "
            f"{f.p99_ms:>7.1f} {f.max_ms:>7.1f} {f.requests_per_s:>7.0f}  {target:<20} "
            f"{outcome.verdict(name):4}{errors}"
        )
        for label, figures in sorted(line.by_query().items()):
            print(
                f"{'':<10}   {label:<31} {figures.requests:>6} {figures.p50_ms:>7.1f} "
                f"{figures.p95_ms:>7.1f} {figures.p99_ms:>7.1f} {figures.max_ms:>7.1f}"
            )
    print("-" * len(header))
    if outcome.skipped_documents:
        skipped = ", ".join(f"{n} {k}" for k, n in sorted(outcome.skipped_documents.items()))
        print(f"document_for left out (no document of Overgang's): {skipped}")
    print(
        "Times in milliseconds per message; msg/s: messages over the line's whole time. "
        "API: from sending the request to the last byte of the answer."
    )
