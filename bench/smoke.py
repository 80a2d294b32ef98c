"""Every benchmark at a tiny scale, so that `make test` notices when one stops running.

The figures of a smoke run mean nothing and are not checked against the targets; what is
checked is that each benchmark runs to its end, answers every request and writes its
results. It writes into a temporary folder and its own databases (see the OVERGANG_BENCH_*
variables in bench/search.py), never over bench/results or the full-size bench databases.

    python -m bench.smoke          rules and search on SQLite; with PostgreSQL, all seven

Without a reachable PostgreSQL the PostgreSQL parts are left out with a note, except in CI
(CI=true), where that is an error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.search import PG_ADMIN_URL, PostgreSQL

SMOKE_DB = "overgang_bench_smoke"

# (module, arguments, results file): each as small as its argument checks allow.
RUNS_WITHOUT_POSTGRESQL = (
    ("bench.rules", ["--calls", "300"], "rules.json"),
    (
        "bench.search",
        ["--patients", "30", "--requests", "3", "--warmup", "1", "--rebuild", "--sqlite-only"],
        "search-sqlite.json",
    ),
)
RUNS_WITH_POSTGRESQL = (
    (
        "bench.search",
        ["--patients", "30", "--requests", "3", "--warmup", "1", "--rebuild", "--postgresql-only"],
        "search-postgresql.json",
    ),
    (
        "bench.aids",
        [
            *("--requests", "200", "--warmup", "1", "--threads", "1", "--processes", "1"),
            *("--loans-per-thread", "3", "--lend-warmup", "1", "--race-devices", "3"),
            "--rebuild-aids",
        ],
        "aids.json",
    ),
    (
        "bench.stays",
        [
            *("--requests", "20", "--warmup", "1", "--read-rounds", "1", "--sweep-rounds", "1"),
            *("--email-batches", "1", "--email-limit", "10", "--rebuild-stays"),
        ],
        "stays.json",
    ),
    (
        "bench.messages",
        [
            *("--patients", "8", "--requests", "6", "--warmup", "1"),
            *("--compose", "16", "--documents", "10"),
        ],
        "messages.json",
    ),
    (
        "bench.indicators",
        ["--stays", "40", "--requests", "2", "--warmup", "0", "--rebuild"],
        "indicators.json",
    ),
    (
        # After search, aids and stays: it reuses the patients, devices and stays they built.
        "bench.load",
        ["--patients", "30", "--requests", "2", "--warmup", "0", "--workers", "2"],
        "load.json",
    ),
)
# What a run may print and still pass: the tiny figures miss the targets, which is no error.
MISSED_TARGETS = 2


def main() -> int:
    runs = list(RUNS_WITHOUT_POSTGRESQL)
    why = PostgreSQL(PG_ADMIN_URL, SMOKE_DB).unreachable()
    if why is None:
        runs += RUNS_WITH_POSTGRESQL
    elif os.environ.get("CI") == "true":
        print(f"bench smoke: PostgreSQL is not reachable at {PG_ADMIN_URL}: {why}", file=sys.stderr)
        return 1
    else:
        print(f"bench smoke: PostgreSQL left out ({why})")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="overgang-bench-smoke-") as folder:
        env = {
            **os.environ,
            "OVERGANG_BENCH_RESULTS": folder,
            "OVERGANG_BENCH_VAR": folder,
            "OVERGANG_BENCH_DB": SMOKE_DB,
            "OVERGANG_BENCH_DEVICES": "1000",
            "OVERGANG_BENCH_STAYS": "200",
        }
        for module, arguments, results in runs:
            failed += not run(module, arguments, Path(folder) / results, env)
    print(f"bench smoke: {len(runs) - failed} passed, {failed} failed")
    return 1 if failed else 0


def run(module: str, arguments: list[str], results: Path, env: dict[str, str]) -> bool:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    problem = ""
    if done.returncode not in (0, MISSED_TARGETS):
        problem = f"exit {done.returncode}"
    elif "requests failed" in done.stderr + done.stdout:
        problem = "requests failed"
    elif not results.exists():
        problem = f"no {results.name}"
    else:
        try:
            json.loads(results.read_text())
        except ValueError as error:
            problem = f"{results.name} is not JSON: {error}"
    print(f"  {module} {' '.join(arguments)}: {problem or 'ran'} ({seconds:.0f} s)")
    if problem:
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
    return not problem


if __name__ == "__main__":
    raise SystemExit(main())
