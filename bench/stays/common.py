"""What the parts of the stays benchmark share: its settings, the app-side scripts' output
and a few SQL helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import psycopg

from bench.aids.common import connect, scalar
from bench.search import RESULTS_DIR, ROOT, BenchError, Database, app_env

RESULTS = RESULTS_DIR / "stays.json"

FULL_SCALE_STAYS = 100_000
STAYS = int(os.environ.get("OVERGANG_BENCH_STAYS", FULL_SCALE_STAYS))  # the smoke run: fewer
# At full scale every reader's worklist fills its first page; a smoke run's may not.
FULL_PAGES = STAYS >= FULL_SCALE_STAYS
DEADLINES_PER_STAY = 10
DEADLINES = STAYS * DEADLINES_PER_STAY
SEED = 0.2027  # setseed(): the build is the same every time
DUE_FROM_HOURS = -3 * 24  # due from three days ago …
DUE_TO_HOURS = 7 * 24  # … to seven days ahead of the build's clock
# The due times are relative to the build's clock: a build older than this is built again.
CLOCK_SLACK_MINUTES = 6 * 60

# The bench's own users: the stays' author (cannot log in), and one of the municipality of
# Oslo as a whole, whose worklist covers every district and office in it.
ACTOR = "bench-stays"
MUNICIPALITY_USER = "bench-oslo"
MUNICIPALITY_KEY = "oslo"
# (username, organisation key, what it is): whose worklists are read. All but the last
# are demo users (overgang.demo.users); bench-oslo is made by the bench.
READERS = (
    ("oslo-frogner", "oslo-frogner-bestiller", "allocation office, Oslo district"),
    ("aalborg-case", "aalborg-visitation", "allocation office with the most deadlines"),
    ("levanger-case", "levanger-tildeling", "allocation office, municipality"),
    ("ous-clinician", "ous-lunge", "hospital department"),
    ("hnt-clinician", "hnt-levanger-med", "hospital department"),
    (MUNICIPALITY_USER, MUNICIPALITY_KEY, "municipality with its districts"),
)
START_PAGE_USERS = (MUNICIPALITY_USER, "oslo-frogner")
PAGE_ROWS = 25  # overgang.web.stays.views.DEADLINES_PER_PAGE
API_ROWS = 200  # overgang.api.stays.deadlines.list_deadlines

TARGET_SWEEP_SECONDS = 5.0
TARGET_DATABASE = "postgresql"
READ_SERVER = "Django's threaded WSGI server with TCP_NODELAY, one process (bench/search.py)"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

INSIDE_MARK = "BENCH-STAYS "


def inside(
    database: Database,
    call: str,
    *,
    env: dict[str, str] | None = None,
    package: str = "bench.stays",
) -> Any:
    """Run `<package>.inside.<call>` in the app's own process (`overgang shell`) and return
    what it printed after INSIDE_MARK, as JSON."""
    code = f"from {package} import inside; inside.{call}"
    done = subprocess.run(
        [sys.executable, "-m", "overgang", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**app_env(database), **(env or {})},
        check=False,
        text=True,
        stdout=subprocess.PIPE,
    )
    name = call.split("(")[0]
    if done.returncode != 0:
        raise BenchError(f"inside.{name} failed (exit {done.returncode})")
    for line in done.stdout.splitlines():
        if line.startswith(INSIDE_MARK):
            return json.loads(line.removeprefix(INSIDE_MARK))
    raise BenchError(f"No answer from inside.{name}: {done.stdout[-500:]!r}")


@dataclass(frozen=True)
class Setup:
    """What the app knows that the build needs: who writes the rows, each municipality's
    agreement (its id, country and clock), the deadline rules to draw duties from, and how
    long before the due time the holder is first told."""

    actor: int
    agreements: list[dict[str, Any]]
    templates: list[dict[str, Any]]
    warning_minutes: int


def bench_stays_sql() -> str:
    return (
        "SELECT s.id FROM stays_stay s JOIN auth_user u ON u.id = s.created_by_id "
        f"WHERE u.username = '{ACTOR}'"
    )


def build_clock(connection: psycopg.Connection[Any]) -> Any:
    """The build's clock: the time its stays were registered (None: no build)."""
    return scalar(
        connection,
        "SELECT min(s.created_at) FROM stays_stay s JOIN auth_user u ON u.id = s.created_by_id "
        "WHERE u.username = %s",
        (ACTOR,),
    )


__all__ = ["BenchError", "connect", "scalar"]
