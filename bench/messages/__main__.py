"""The command line of the messages benchmark: `python -m bench.messages` (see
bench/messages/__init__.py)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

import bench.messages
from bench.messages.common import API_SERVER, BASE_DB, RUN_DB
from bench.messages.report import Outcome, line_of, print_table, write_results
from bench.search import (
    PG_ADMIN_URL,
    STOPPED_BY,
    VAR_DIR,
    BenchError,
    Client,
    Line,
    PostgreSQL,
    prepare,
    serve,
    unreachable_told,
)
from bench.stays.common import inside

DOC = bench.messages.__doc__ or ""
PACKAGE = "bench.messages"


def fresh_copy(base: PostgreSQL, run: PostgreSQL) -> None:
    """`run` dropped and made again as a copy of `base` (which nobody may be connected to)."""
    with psycopg.connect(base.admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(run.dbname))
        )
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(run.dbname), sql.Identifier(base.dbname)
            )
        )


def post_messages(port: int, token: str, bodies: Sequence[dict[str, str]], warmup: int) -> Line:
    """Each body POSTed to /api/v1/messages in turn; the first `warmup` untimed."""
    client = Client(port)
    client.headers["Authorization"] = f"Bearer {token}"
    line = Line("api", "integration", "levanger", "POST /api/v1/messages", 0.0, [], [])
    started = time.perf_counter()
    try:
        for number, body in enumerate(bodies):
            before = time.perf_counter()
            answer = client.request(
                "POST", "/api/v1/messages", body["body"].encode(), "application/xml"
            )
            ms = (time.perf_counter() - before) * 1000
            if answer.status != 201:
                if number < warmup:
                    raise BenchError(f"HTTP {answer.status} in the warm-up: {answer.body[:300]!r}")
                line.errors += 1
                line.first_error = line.first_error or (
                    f"{body['code']}: HTTP {answer.status} {answer.body[:300]!r}"
                )
            if number == warmup:
                started = before
            if number >= warmup:
                line.timings_ms.append(ms)
                line.labels.append(body["code"])
        line.seconds = time.perf_counter() - started
    finally:
        client.close()
    return line


def run(args: argparse.Namespace) -> Outcome:
    base = PostgreSQL(PG_ADMIN_URL, BASE_DB)
    contents = prepare(base, patients=0, rebuild=args.rebuild_messages)
    database = PostgreSQL(PG_ADMIN_URL, RUN_DB)
    fresh_copy(base, database)
    print(f"Receiving into {database.url}, a fresh copy of the demo database.", flush=True)
    setup: dict[str, Any] = inside(
        database, f"setup({args.warmup + args.requests})", package=PACKAGE
    )
    print(f"POST /api/v1/messages, {args.requests} requests:", flush=True)
    with serve(database, "wsgi", VAR_DIR / "bench-server-messages.log") as port:
        api = post_messages(port, setup["token"], setup["bodies"], args.warmup)
    print(f"receive(), {args.patients} patients' messages:", flush=True)
    received = inside(database, f"receiving({args.patients}, {args.warmup})", package=PACKAGE)
    print(f"compose(), {args.compose} messages; document_for, {args.documents}:", flush=True)
    composed = inside(
        database, f"composing({args.compose}, {args.documents}, {args.warmup})", package=PACKAGE
    )
    return Outcome(
        database=database,
        patients=contents.patients,
        api=api,
        receive=line_of("in-process", "receive()", received),
        compose=line_of("in-process", "compose(Outgoing)", composed["compose"]),
        documents=line_of("in-process", "document_for(message)", composed["documents"]),
        skipped_documents=composed["documents"]["skipped"],
        server=API_SERVER,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.messages", description=DOC.split("\n\n")[0] if DOC else None
    )
    parser.add_argument(
        "--rebuild-messages", action="store_true", help="build the demo database afresh"
    )
    parser.add_argument(
        "--patients",
        type=int,
        default=1000,
        metavar="N",
        help="patients whose messages receive() takes, about 2.8 each (1000)",
    )
    parser.add_argument(
        "--requests", type=int, default=500, metavar="N", help="timed API requests (500)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=20,
        metavar="N",
        help="untimed API requests, and patients received, first (20)",
    )
    parser.add_argument(
        "--compose", type=int, default=2000, metavar="N", help="messages composed (2000)"
    )
    parser.add_argument(
        "--documents",
        type=int,
        default=1000,
        metavar="N",
        help="received messages document_for is timed on (1000)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 2 when a line misses the target"
    )
    args = parser.parse_args(argv)
    if min(args.patients, args.requests, args.compose, args.documents) < 1 or args.warmup < 1:
        parser.error("--patients, --requests, --compose, --documents, --warmup: at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if unreachable_told(PostgreSQL(PG_ADMIN_URL, BASE_DB)):
        return 1
    try:
        outcome = run(args)
    except STOPPED_BY as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    path = write_results(outcome, args)
    print_table(outcome)
    print(f"Written to {path}")
    errors = sum(line.errors for line in outcome.lines())
    if errors:
        print(f"{errors} requests failed.", file=sys.stderr)
        return 1
    misses = sum(outcome.verdict(name) == "FAIL" for name in outcome.TARGETS)
    if misses:
        print(f"{misses} lines miss their target.")
        return 2 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
