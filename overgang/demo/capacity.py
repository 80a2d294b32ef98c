"""The demo's shared capacity (N11): a minimum in each area, and four weeks of daily counts
behind today's, so the capacity page's trends show something. The past days are made up
(a walk around today's count); today's is counted by the same sweep the worker runs."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.contrib.auth.models import User

from overgang import clock
from overgang.aids import actions as aid_actions
from overgang.aids.capacity import TREND_DAYS, current_counts
from overgang.aids.models import AidType, StockSnapshot
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
    counts = current_counts(
        list(
            Organisation.objects.filter(kind__in=aid_actions.DEVICE_OWNERS).values_list(
                "pk", flat=True
            )
        )
    )
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
    result = capacity.sweep()
    yield (
        f"{len(past) + result['snapshots']} capacity snapshots, "
        f"{result['shortfalls_opened']} units below a minimum"
    )
