"""The demo's shared capacity (N11): a minimum in each area, and four weeks of daily counts
behind today's, so the capacity page's trends show something. The past days are made up
(a walk around today's count), and so are the past falls below a minimum that the walk
shows, recovered since (the stock alerts' history); today's is counted by the same sweep
the worker runs, which opens today's falls."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.contrib.auth.models import User

from overgang import clock
from overgang.aids import actions as aid_actions
from overgang.aids.capacity import TREND_DAYS, current_counts, minimums
from overgang.aids.models import AidType, StockShortfall, StockSnapshot
from overgang.organisations.models import Organisation
from overgang.stays import capacity

# (unit, aid type, minimum): one or two in every area, regional and municipal.
MINIMUMS = (
    ("stolav-bhm", "cpap", 3),
    ("unn-bhm", "oxygen-concentrator", 3),
    ("rn-depot", "wheelchair", 5),
    ("aalborg-depot", "care-bed", 3),
    ("levanger-hjelpemiddellager", "wheelchair", 2),
    ("oslo-hjelpemiddellager", "care-bed", 2),
    # Below today, so each group's stock alerts have one still short.
    ("oslo-hjelpemiddellager", "shower-chair", 2),
    ("levanger-hjelpemiddellager", "care-bed", 2),
)


def add_capacity(rng: random.Random, *, actor: User) -> Iterator[str]:
    for key, aid_type, minimum in MINIMUMS:
        aid_actions.set_stock_minimum(
            Organisation.objects.get(key=key),
            AidType.objects.get(slug=aid_type),
            actor=actor,
            minimum=minimum,
        )
    today = clock.today()
    owners = list(
        Organisation.objects.filter(kind__in=aid_actions.DEVICE_OWNERS).values_list("pk", flat=True)
    )
    counts = current_counts(owners)
    past = []
    for (owner, kind), now in counts.items():
        total = sum(now.values())
        available = now["available"]
        # Walk back from today: a day's count differs from the next by one at most.
        for back in range(1, TREND_DAYS):
            available = max(0, min(total, available + rng.choice((-1, 0, 0, 0, 0, 1))))
            past.append(
                StockSnapshot(
                    owner_id=owner,
                    aid_type_id=kind,
                    day=today - datetime.timedelta(days=back),
                    available=available,
                    on_loan=total - available,
                )
            )
    StockSnapshot.objects.bulk_create(past, ignore_conflicts=True)
    StockShortfall.objects.bulk_create(_past_falls(past, minimums(owners)))
    result = capacity.sweep()
    yield (
        f"{len(past) + result['snapshots']} capacity snapshots, "
        f"{result['shortfalls_opened']} units below a minimum"
    )


def _past_falls(
    past: list[StockSnapshot], wanted: dict[tuple[int, int], int]
) -> list[StockShortfall]:
    """The falls below a minimum in the made-up days, each recovered by a later day's count
    (one still short at the last made-up day is left to today's sweep)."""
    days: dict[tuple[int, int], list[StockSnapshot]] = {}
    for snapshot in sorted(past, key=lambda s: s.day):
        days.setdefault((snapshot.owner_id, snapshot.aid_type_id), []).append(snapshot)
    falls = []
    for key, minimum in wanted.items():
        fell: StockSnapshot | None = None
        for snapshot in days.get(key, []):
            if fell is None and snapshot.available < minimum:
                fell = snapshot
            elif fell is not None and snapshot.available >= minimum:
                falls.append(
                    StockShortfall(
                        owner_id=key[0],
                        aid_type_id=key[1],
                        since=_morning(fell.day),
                        recovered_at=_morning(snapshot.day),
                        available=fell.available,
                        minimum=minimum,
                    )
                )
                fell = None
    return falls


def _morning(day: datetime.date) -> datetime.datetime:
    """When the day's first sweep ran, as the demo tells it."""
    return datetime.datetime.combine(day, datetime.time(6, 1), tzinfo=datetime.UTC)
