"""Times the stays' writers share: how far ahead a clock may be before a time counts as in
the future, and real hours after a moment. A module of their own because admission.py
imports planned.py, so planned.py cannot take them from admission.py."""

from __future__ import annotations

import datetime

# A clock a little ahead is not a time in the future.
MAX_CLOCK_SKEW = datetime.timedelta(minutes=5)


def hours_after(at: datetime.datetime, hours: int) -> datetime.datetime:
    """Real hours after `at`, also across a change of summer time (wall-clock addition is an
    hour off), in `at`'s own zone."""
    return (at.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)).astimezone(at.tzinfo)
