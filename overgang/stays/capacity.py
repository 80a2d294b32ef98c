"""Telling a unit it fell below its minimum stock (N11), from the worker's minute.

Why the minute's sweep and not the writer that lends or repairs: a unit's available count
changes through many writers (lending, reserving, repairs, reprocessing, new devices,
discarding, a changed minimum, a device moved to another unit); the sweep looks at the
counts themselves, so no path is missed, and tells within a minute. Each fall opens one
`StockShortfall` and tells once; the next tell comes only after the count recovered."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse

from overgang import clock
from overgang.aids.actions.capacity import take_snapshots, update_shortfalls
from overgang.audit.history import system_actor
from overgang.stays.models import News
from overgang.stays.news import tell


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Take the day's snapshot if not taken, open and close the shortfalls, tell each
    newly short unit's own staff (their notifications)."""
    now = now or clock.now()
    snapshots = take_snapshots(clock.today())
    with transaction.atomic():
        opened, closed = update_shortfalls(now, actor=system_actor())
        for shortfall in opened:
            # The link opens the unit's depot overview, where the type is marked below.
            link = f"{reverse('depot')}?unit={shortfall.owner.key}"
            tell(News.BELOW_MINIMUM, to=shortfall.owner, link=link)
    return {"snapshots": snapshots, "shortfalls_opened": len(opened), "recovered": len(closed)}
