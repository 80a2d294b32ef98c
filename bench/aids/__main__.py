"""The command line of the aids benchmark: `python -m bench.aids` (see bench/aids/__init__.py)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import bench.aids
from bench.aids.build import prepare_aids
from bench.aids.lending import cleanup, run_lending, verify
from bench.aids.reads import depot_plans, run_reads
from bench.aids.report import print_plans, print_table, write_results
from bench.search import (
    PG_ADMIN_URL,
    PG_BENCH_DB,
    STOPPED_BY,
    VAR_DIR,
    PostgreSQL,
    prepare,
    serve,
    unreachable_told,
)
from bench.search import parse_args as search_args

DOC = bench.aids.__doc__ or ""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.aids", description=DOC.split("\n\n")[0] if DOC else None
    )
    parser.add_argument(
        "--rebuild-aids", action="store_true", help="build the devices and loans afresh"
    )
    parser.add_argument(
        "--patients",
        type=int,
        default=search_args([]).patients,
        metavar="N",
        help="patients beyond the demo's in the bench database, as bench.search (100000)",
    )
    parser.add_argument(
        "--requests", type=int, default=300, metavar="N", help="timed requests per line (300)"
    )
    parser.add_argument(
        "--warmup", type=int, default=30, metavar="N", help="untimed requests per line first (30)"
    )
    parser.add_argument(
        "--threads",
        default="1,4,8",
        help="client threads lending at once, comma-separated (1,4,8)",
    )
    parser.add_argument(
        "--processes",
        default=f"1,{os.cpu_count() or 1},{2 * (os.cpu_count() or 1) + 1}",
        help="server processes for the lending, comma-separated (1,<cores>,<2×cores+1>)",
    )
    parser.add_argument(
        "--loans-per-thread", type=int, default=200, metavar="N", help="timed loans (200)"
    )
    parser.add_argument(
        "--lend-warmup", type=int, default=20, metavar="N", help="untimed loans per thread (20)"
    )
    parser.add_argument(
        "--race-devices", type=int, default=50, metavar="N", help="devices in the race (50)"
    )
    parser.add_argument("--plans", action="store_true", help="print the depot overview's plans")
    parser.add_argument(
        "--strict", action="store_true", help="exit 2 when a line misses the target"
    )
    args = parser.parse_args(argv)
    try:
        args.threads = sorted({int(x) for x in args.threads.split(",")})
        args.processes = sorted({int(x) for x in args.processes.split(",")})
    except ValueError:
        parser.error("--threads and --processes take comma-separated numbers")
    if min(args.threads) < 1 or max(args.threads) > 32 or min(args.processes) < 1:
        parser.error("--threads: 1 to 32 each; --processes: at least 1")
    if args.requests < 200 or args.warmup < 0 or args.loans_per_thread < 1:
        parser.error("--requests: at least 200; --warmup ≥ 0; --loans-per-thread ≥ 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database = PostgreSQL(PG_ADMIN_URL, PG_BENCH_DB)
    if unreachable_told(database):
        return 1
    try:
        contents = prepare(database, patients=args.patients, rebuild=False)
        build = prepare_aids(database, rebuild=args.rebuild_aids)
        print("Reading:", flush=True)
        with serve(database, "wsgi", VAR_DIR / "bench-server-aids.log") as port:
            lines = run_reads(
                port, database, contents.password, warmup=args.warmup, requests=args.requests
            )
        plans = depot_plans(database)
        try:
            runs, contention = run_lending(
                database,
                contents.password,
                processes=args.processes,
                threads=args.threads,
                loans_per_thread=args.loans_per_thread,
                warmup_per_thread=args.lend_warmup,
                race_devices=args.race_devices,
            )
            checks = verify(database, contention)
        finally:
            cleanup(database)
    except STOPPED_BY as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    path = write_results(database, contents, build, lines, plans, runs, contention, checks, args)
    print_table(database, contents, build, lines, runs, contention, checks)
    depot_missed = any(x.verdict == "FAIL" for x in lines if x.name.startswith("depot"))
    if args.plans or depot_missed:
        print_plans(plans)
    print(f"Written to {path}")
    errors = sum(x.errors for x in lines) + sum(len(x.timings_ms) - x.created for x in runs)
    if errors or not checks["ok"] or contention.verdict == "FAIL":
        print(f"{errors} requests failed or a check failed.", file=sys.stderr)
        return 1
    misses = sum(x.verdict == "FAIL" for x in lines) + sum(x.verdict == "FAIL" for x in runs)
    if misses:
        print(f"{misses} lines miss their target.")
        return 2 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
