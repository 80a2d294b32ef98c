"""The command line of the stays benchmark: `python -m bench.stays` (see
bench/stays/__init__.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import bench.stays
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
from bench.stays.build import prepare_stays
from bench.stays.common import Setup, inside
from bench.stays.reads import run_reads
from bench.stays.report import print_plans, print_table, write_results
from bench.stays.sweep import run_sweeps

DOC = bench.stays.__doc__ or ""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.stays", description=DOC.split("\n\n")[0] if DOC else None
    )
    parser.add_argument(
        "--rebuild-stays", action="store_true", help="build the stays and deadlines afresh"
    )
    parser.add_argument(
        "--patients",
        type=int,
        default=search_args([]).patients,
        metavar="N",
        help="patients beyond the demo's in the bench database, as bench.search (100000)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        metavar="N",
        help="timed requests per line and round (200)",
    )
    parser.add_argument(
        "--read-rounds",
        type=int,
        default=3,
        metavar="N",
        help="rounds of reading every line, for the median (3)",
    )
    parser.add_argument(
        "--warmup", type=int, default=20, metavar="N", help="untimed requests per line first (20)"
    )
    parser.add_argument(
        "--sweep-rounds", type=int, default=3, metavar="N", help="sweep rounds, for the median (3)"
    )
    parser.add_argument(
        "--email-batches",
        type=int,
        default=3,
        metavar="N",
        help="send_emails batches after each round's sweeps (3)",
    )
    parser.add_argument(
        "--email-limit", type=int, default=1000, metavar="N", help="notifications a batch (1000)"
    )
    parser.add_argument("--no-sweeps", action="store_true", help="read the worklists only")
    parser.add_argument(
        "--all-plans", action="store_true", help="print every query's plan, not only the page's"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 2 when a line misses the target"
    )
    args = parser.parse_args(argv)
    if args.requests < 20 or args.warmup < 0:
        parser.error("--requests: at least 20; --warmup ≥ 0")
    if min(args.sweep_rounds, args.read_rounds, args.email_limit) < 1 or args.email_batches < 0:
        parser.error("--sweep-rounds, --read-rounds ≥ 1; --email-batches ≥ 0; --email-limit ≥ 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database = PostgreSQL(PG_ADMIN_URL, PG_BENCH_DB)
    if unreachable_told(database):
        return 1
    sweeps = None
    try:
        contents = prepare(database, patients=args.patients, rebuild=False)
        setup = Setup(**inside(database, "setup()"))
        build = prepare_stays(database, setup, rebuild=args.rebuild_stays)
        print("Reading the worklists:", flush=True)
        with serve(database, "wsgi", VAR_DIR / "bench-server-stays.log") as port:
            lines = run_reads(
                port,
                contents.password,
                warmup=args.warmup,
                requests=args.requests,
                rounds=args.read_rounds,
            )
        found = inside(database, "plans()")
        plans, splits = found["plans"], found["splits"]
        if not args.no_sweeps:
            print(f"Sweeping, {args.sweep_rounds} rounds:", flush=True)
            sweeps = run_sweeps(
                database,
                setup,
                rounds=args.sweep_rounds,
                email_batches=args.email_batches,
                email_limit=args.email_limit,
            )
    except STOPPED_BY as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    path = write_results(database, contents, build, lines, plans, splits, sweeps, args)
    print_table(database, contents, build, lines, plans, splits, sweeps)
    print_plans(plans, everything=args.all_plans)
    print(f"Written to {path}")
    errors = sum(x.errors for x in lines)
    wrong = sum(not x.correct for x in sweeps.lines) if sweeps else 0
    if errors or wrong:
        print(
            f"{errors} requests failed, {wrong} sweeps told the wrong deadlines.", file=sys.stderr
        )
        return 1
    misses = sum(x.verdict == "FAIL" for x in lines)
    misses += sum(x.verdict == "FAIL" for x in sweeps.lines) if sweeps else 0
    if misses:
        print(f"{misses} lines miss their target.")
        return 2 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
