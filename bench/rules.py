"""Decisions and deadline computations per second, in one process: `make bench`.

Cases and events are drawn (seeded) from every agreement, aid type, purpose,
requester and event the contract names, so the figures cover the whole engine.
Target (issue 3): at least 20,000 of each per second on one core.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from overgang.rules import case as fields
from overgang.rules.engine import deadlines, decide
from overgang.rules.registry import aid_types, all_agreements

RESULTS = (
    Path(os.environ.get("OVERGANG_BENCH_RESULTS", Path(__file__).resolve().parent / "results"))
    / "rules.json"
)
TARGET_PER_SECOND = 20_000


def sample_cases(count: int, rng: random.Random) -> list[dict[str, Any]]:
    agreements = {a.id: a for a in all_agreements()}
    aids = list(aid_types())
    cases = []
    for _ in range(count):
        agreement = rng.choice(list(agreements.values()))
        municipality = rng.choice(agreement.municipalities)
        patient: dict[str, Any] = {
            "municipality": municipality.name,
            "residence": rng.choice(fields.RESIDENCES),
            "terminal": rng.random() < 0.1,
        }
        if municipality.districts:
            patient["district"] = rng.choice(municipality.districts)
        case: dict[str, Any] = {
            "patient": patient,
            "aid": {"type": rng.choice(aids)},
            "need": {
                "purpose": rng.choice(fields.PURPOSES),
                "duration_months": rng.choice([3, 12, 36]),
                "started_by": rng.choice(fields.STARTED_BY),
                "phase": rng.choice(fields.PHASES),
                "uses_institution_equipment": rng.random() < 0.2,
            },
        }
        if rng.random() < 0.5:
            case["requester"] = {"role": rng.choice(fields.REQUESTER_ROLES)}
        cases.append(case)
    return cases


def sample_events(count: int, rng: random.Random) -> list[dict[str, Any]]:
    ids = sorted({a.id for a in all_agreements()})
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return [
        {
            "agreement": rng.choice(ids),
            "event": rng.choice(fields.EVENTS),
            "at": (start + datetime.timedelta(minutes=rng.randrange(0, 525_600))).isoformat(),
            "context": {
                "admission": rng.choice(fields.ADMISSIONS),
                "expected_stay_hours": rng.choice([12, 48, 96]),
            },
        }
        for _ in range(count)
    ]


def measure(call: Callable[[Any], Any], inputs: Sequence[Any]) -> dict[str, float]:
    for item in inputs[:200]:
        call(item)  # warm the caches (agreement files, holiday tables)
    timings = []
    started = time.perf_counter()
    for item in inputs:
        before = time.perf_counter_ns()
        call(item)
        timings.append((time.perf_counter_ns() - before) / 1000)
    seconds = time.perf_counter() - started
    timings.sort()
    return {
        "calls": len(inputs),
        "per_second": round(len(inputs) / seconds),
        "p50_us": round(timings[len(timings) // 2], 1),
        "p99_us": round(timings[int(len(timings) * 0.99)], 1),
        "max_us": round(timings[-1], 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=50_000)
    args = parser.parse_args(argv)
    rng = random.Random(2026)
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "decide": measure(decide, sample_cases(args.calls, rng)),
        "deadlines": measure(deadlines, sample_events(args.calls, rng)),
        "target_per_second": TARGET_PER_SECOND,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print("Rules engine, one process, one core")
    for name in ("decide", "deadlines"):
        figures = results[name]
        assert isinstance(figures, dict)
        verdict = "PASS" if figures["per_second"] >= TARGET_PER_SECOND else "FAIL"
        print(
            f"  {name:<10} {figures['per_second']:>8,}/s  p50 {figures['p50_us']:>7} µs  "
            f"p99 {figures['p99_us']:>7} µs  max {figures['max_us']:>8} µs  {verdict}"
        )
    print(f"Written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
