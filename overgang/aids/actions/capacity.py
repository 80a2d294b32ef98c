"""The writers of shared capacity (N11): the day's snapshot of the counts, and the
shortfalls (a unit below its minimum) opened and closed. Both run from the worker's
minute (overgang.stays.tasks) and from `overgang capacity`. A snapshot is a measurement,
its row the record of what was counted; a shortfall opened or closed is a change of state,
written with its history row by the job's actor (the system account)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from overgang.aids.actions.devices import DEVICE_OWNERS
from overgang.aids.capacity import current_counts, minimums
from overgang.aids.models import StockShortfall, StockSnapshot
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.organisations.models import Organisation


def _owner_ids() -> list[int]:
    return list(Organisation.objects.filter(kind__in=DEVICE_OWNERS).values_list("pk", flat=True))


def take_snapshots(day: datetime.date) -> int:
    """Write the day's counts of every unit and aid type not yet counted that day; how many
    written. Idempotent per day: a second run the same day writes none (the first count of
    the day stands), however many workers run it."""
    owner_ids = _owner_ids()
    counts = current_counts(owner_ids)
    wanted = minimums(owner_ids)
    done = set(StockSnapshot.objects.filter(day=day).values_list("owner", "aid_type"))
    new = [
        StockSnapshot(
            owner_id=owner,
            aid_type_id=kind,
            day=day,
            minimum=wanted.get((owner, kind)),
            **counts.get((owner, kind), {}),
        )
        for owner, kind in (set(counts) | set(wanted)) - done
    ]
    StockSnapshot.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def update_shortfalls(
    now: datetime.datetime, *, actor: User
) -> tuple[list[StockShortfall], list[StockShortfall]]:
    """Open a shortfall for each unit and type now below its minimum that has none open;
    close the open ones that are no longer below (or whose minimum is gone). Returns
    (opened, closed). Call inside the caller's transaction (the caller tells of the opened
    ones in it): a shortfall another worker opened at the same moment is skipped, so each
    fall is told once."""
    owner_ids = _owner_ids()
    wanted = minimums(owner_ids)
    counts = current_counts(list({owner for owner, _ in wanted}))
    below = {
        key: (counts[key]["available"] if key in counts else 0, minimum)
        for key, minimum in wanted.items()
        if (counts[key]["available"] if key in counts else 0) < minimum
    }
    open_now = {
        (s.owner_id, s.aid_type_id): s
        for s in StockShortfall.objects.select_for_update().filter(recovered_at__isnull=True)
    }
    closed = []
    for key, shortfall in open_now.items():
        if key not in below:
            save_changed(shortfall, ["recovered_at"], {"recovered_at": now}, actor=actor)
            closed.append(shortfall)
    opened = []
    for (owner, kind), (available, minimum) in sorted(below.items()):
        if (owner, kind) in open_now:
            continue
        try:
            with transaction.atomic():
                shortfall = StockShortfall.objects.create(
                    owner_id=owner,
                    aid_type_id=kind,
                    since=now,
                    available=available,
                    minimum=minimum,
                )
                record_change(
                    shortfall,
                    actor=actor,
                    action=ChangeAction.CREATED,
                    after=snapshot(shortfall, ["owner_id", "aid_type_id", "since", "minimum"]),
                )
                opened.append(shortfall)
        except IntegrityError:
            continue  # another worker opened it and tells of it
    return opened, closed
