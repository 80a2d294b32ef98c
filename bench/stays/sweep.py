"""The sweep rounds: from the build's notification state, a catch-up sweep at the build's
clock, steady sweeps one minute and thirty minutes later, then e-mail batches; the state is
reset before each round and after the last."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.search import PostgreSQL
from bench.stays.build import reset_notices
from bench.stays.common import (
    EMAIL_BACKEND,
    TARGET_SWEEP_SECONDS,
    BenchError,
    Setup,
    build_clock,
    connect,
    inside,
)

MINUTE = datetime.timedelta(minutes=1)
# (name, minutes after the build's clock): each sweep starts where the one before left off.
SWEEPS = (
    ("catch-up", 0),
    ("1 minute later", 1),
    ("30 minutes after that", 31),
)


@dataclass
class SweepLine:
    """One sweep (by its place in the round) over all rounds."""

    name: str
    minutes: int
    seconds: list[float] = field(default_factory=list)
    deadlines: list[int] = field(default_factory=list)
    notifications: list[int] = field(default_factory=list)
    expected: list[int] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def median_s(self) -> float:
        return round(statistics.median(self.seconds), 3)

    @property
    def verdict(self) -> str:
        return "PASS" if self.median_s <= TARGET_SWEEP_SECONDS and self.correct else "FAIL"

    @property
    def correct(self) -> bool:
        """Each deadline due for a notice told exactly once, in every round."""
        return self.deadlines == self.expected and self.notifications == self.expected


@dataclass
class EmailLine:
    seconds: list[float] = field(default_factory=list)
    notifications: list[int] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)
    limit: int = 0
    backend: str = ""

    @property
    def median_s(self) -> float:
        return round(statistics.median(self.seconds), 3) if self.seconds else 0.0


@dataclass
class Sweeps:
    rounds: int
    lines: list[SweepLine]
    emails: EmailLine
    raw: list[dict[str, Any]]
    resets: list[dict[str, int]]


def run_sweeps(
    database: PostgreSQL, setup: Setup, *, rounds: int, email_batches: int, email_limit: int
) -> Sweeps:
    lines = [SweepLine(name, minutes) for name, minutes in SWEEPS]
    emails = EmailLine(limit=email_limit, backend=EMAIL_BACKEND)
    raw: list[dict[str, Any]] = []
    resets: list[dict[str, int]] = []
    with connect(database) as connection:
        clock = build_clock(connection)
    if clock is None:
        raise BenchError("No bench stays to sweep.")
    times = [(name, (clock + minutes * MINUTE).isoformat()) for name, minutes in SWEEPS]
    try:
        for number in range(1, rounds + 1):
            resets.append(reset_notices(database, setup))
            found = inside(
                database,
                f"sweeps({times!r}, {email_batches}, {email_limit})",
                env={"OVERGANG_EMAIL_BACKEND": EMAIL_BACKEND},
            )
            if found["vendor"] != "postgresql":
                raise BenchError(f"The sweeps ran on {found['vendor']}, not PostgreSQL.")
            raw.append(found)
            for line, run in zip(lines, found["sweeps"], strict=True):
                line.seconds.append(run["seconds"])
                line.deadlines.append(run["deadlines"])
                line.notifications.append(run["notifications"])
                line.expected.append(run["expected"])
                line.kinds = run["written"]
            for batch in found["emails"]:
                emails.seconds.append(batch["seconds"])
                emails.notifications.append(batch["notifications"])
                emails.emails.append(batch["emails"])
            print(
                f"  round {number}: "
                + ", ".join(
                    f"{run['label']} {run['seconds']:.2f} s ({run['notifications']:,})"
                    for run in found["sweeps"]
                )
                + "; e-mails "
                + ", ".join(f"{b['seconds']:.2f} s ({b['emails']})" for b in found["emails"]),
                flush=True,
            )
    finally:
        resets.append(reset_notices(database, setup))
    return Sweeps(rounds, lines, emails, raw, resets)
