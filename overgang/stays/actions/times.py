"""Times the stays' writers share: how far ahead a clock may be before a time counts as in
the future (and refusing such a time), and real hours after a moment. A module of their
own because admission.py imports planned.py, so planned.py cannot take them from
admission.py."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from overgang import clock
from overgang.errors import InvalidInput

# A clock a little ahead is not a time in the future.
MAX_CLOCK_SKEW = datetime.timedelta(minutes=5)


def not_in_future(at: datetime.datetime, field: str) -> None:
    if at > clock.now() + MAX_CLOCK_SKEW:
        raise InvalidInput({field: _("The time cannot be in the future.")})


def hours_after(at: datetime.datetime, hours: int) -> datetime.datetime:
    """Real hours after `at`, also across a change of summer time (wall-clock addition is an
    hour off), in `at`'s own zone."""
    return (at.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)).astimezone(at.tzinfo)
