"""The demo's consumables: the units' stock, and plans for some loans, a few of which run
out within the fortnight so that the worklist has something to show."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import User

from overgang import clock
from overgang.aids import actions
from overgang.aids.models import ConsumableType, Loan
from overgang.errors import Conflict, InvalidInput


def add_consumables(rng: random.Random, *, actor: User) -> tuple[int, int]:
    """Stock for every consumable linked to a kind the unit lends; plans for about half of the
    loans whose aid has consumables. Returns (stock lines, plans)."""
    today = clock.today()
    stocked: set[tuple[int, int]] = set()
    plans = 0
    loans = Loan.objects.active().select_related("device__owner", "device__aid_type", "therapy")
    for loan in loans.order_by("id"):
        kind = loan.therapy or loan.device.aid_type
        linked = list(ConsumableType.objects.filter(linked_to=kind))
        for consumable in linked:
            if (loan.device.owner_id, consumable.pk) not in stocked:
                actions.receive_stock(
                    loan.device.owner,
                    consumable,
                    actor=actor,
                    received=rng.randrange(10, 200),
                    minimum=rng.randrange(5, 30),
                )
                stocked.add((loan.device.owner_id, consumable.pk))
        if not linked or loan.main_id is not None or rng.random() < 0.5:
            continue
        consumable = rng.choice(linked)
        try:
            actions.add_plan(
                loan,
                actor=actor,
                consumable=consumable,
                quantity=rng.choice([1, 2, 4, 30]),
                every_days=rng.choice([7, 14, 30, 90]),
                supplied_until=today + datetime.timedelta(days=rng.randrange(-3, 60)),
            )
        except (InvalidInput, Conflict):
            continue
        plans += 1
    return len(stocked), plans
