"""The command line of the load benchmark: `python -m bench.load` (see bench/load/__init__.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import bench.load
from bench.load.build import prepare_data
from bench.load.endpoints import ADMIN_USER, CONNECTIONS, SCOPED_USER
from bench.load.measure import Load, run_lines
from bench.load.profile import profile
from bench.load.report import print_table, write_results
from bench.load.server import THREADS, WORKERS, gunicorn, server_text
from bench.search import (
    PG_ADMIN_URL,
    PG_BENCH_DB,
    STOPPED_BY,
    VAR_DIR,
    PostgreSQL,
    unreachable_told,
)
from bench.search import parse_args as search_args

DOC = bench.load.__doc__ or ""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=DOC.split("\n\n")[0] if DOC else None
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
        default=400,
        metavar="N",
        help="timed requests per side of each line (400)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=3 * CONNECTIONS,
        metavar="N",
        help=f"untimed requests per side first ({3 * CONNECTIONS})",
    )
    parser.add_argument(
        "--workers", type=int, default=WORKERS, metavar="N", help=f"gunicorn workers ({WORKERS})"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=THREADS,
        metavar="N",
        help=f"gunicorn threads per worker ({THREADS})",
    )
    parser.add_argument("--check", action="store_true", help="exit 2 when a line misses its target")
    parser.add_argument(
        "--profile",
        metavar="ROUTE",
        help="instead: profile N in-process requests of ROUTE (e.g. '/api/v1/patients?limit=50')",
    )
    parser.add_argument(
        "--user",
        choices=(SCOPED_USER, ADMIN_USER),
        default=SCOPED_USER,
        help=f"who --profile requests as ({SCOPED_USER})",
    )
    args = parser.parse_args(argv)
    if args.patients < 0:
        parser.error("--patients cannot be negative")
    if args.requests < 2 or args.warmup < 0:
        parser.error("--requests: at least 2; --warmup cannot be negative")
    if args.workers < 1 or args.threads < 1:
        parser.error("--workers and --threads: at least 1")
    if args.profile is not None and not args.profile.startswith("/"):
        parser.error("--profile: a path on the server, starting with /")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database = PostgreSQL(PG_ADMIN_URL, PG_BENCH_DB)
    if unreachable_told(database):
        return 1
    load = Load(warmup=args.warmup, requests=args.requests)
    server = server_text(args.workers, args.threads)
    try:
        contents, scale = prepare_data(database, patients=args.patients)
        if args.profile is not None:
            profile(database, args.profile, args.user, args.requests)
            return 0
        print(f"Under load, {CONNECTIONS} connections ({server}):", flush=True)
        log_path = VAR_DIR / "bench-server-load.log"
        with gunicorn(database, log_path, workers=args.workers, threads=args.threads) as port:
            lines = run_lines(port, database, contents.password, load)
    except STOPPED_BY as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    path = write_results(database, scale, lines, load, server)
    print_table(database, scale, lines, server)
    print(f"Written to {path}")
    errors = sum(x.api.errors + (x.bare.errors if x.bare else 0) for x in lines)
    if errors:
        print(f"{errors} requests failed.", file=sys.stderr)
        return 1
    misses = sum(x.verdict == "FAIL" for x in lines)
    if misses:
        print(f"{misses} lines miss their target.")
        return 2 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
