"""The months shown when none are asked for: the last twelve, this one included, in the
agreement's time zone."""

from __future__ import annotations

import datetime

from overgang import clock
from overgang.rules.registry import Agreement


def default_window(agreement: Agreement) -> tuple[datetime.date, datetime.date]:
    today = clock.today(agreement.time_zone)
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first, today
