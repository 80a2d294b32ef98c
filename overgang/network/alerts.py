"""The network group's stock alerts (N11): the shortfalls of an agreement's aids units and
depots (a unit below its minimum of an aid type), and which of them are new to a member.

A shortfall is new to a member when it was opened or recovered after the member's mark
(`AlertsRead`); a member without a mark has not read the last week's. Shortfalls carry a
unit, an aid type and two counts: never a patient, so nothing here is logged as a read."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from overgang import clock
from overgang.aids.capacity import device_owners, units_of
from overgang.aids.models import StockShortfall
from overgang.network.models import AlertsRead
from overgang.rules.registry import Agreement

# Without a mark: what opened or recovered in the last week is new (as the notifications'
# count does for a first visit), not every shortfall there ever was.
UNREAD_WINDOW = datetime.timedelta(days=7)


def shortfalls_of(agreement: Agreement) -> QuerySet[StockShortfall]:
    """Every shortfall, open or recovered, of the agreement's units."""
    units = [u.pk for u in units_of(agreement)]
    found = StockShortfall.objects.filter(owner__in=units)
    # The unit's ancestry: a unit's own name ("Avdeling for behandlingshjelpemidler") needs
    # its trust's to be told apart.
    return found.select_related("owner__parent__parent__parent__parent", "aid_type")


def read_until(user: Any, agreement_id: str) -> datetime.datetime:
    """The member's mark for the agreement; a week ago without one."""
    mark = (
        AlertsRead.objects.filter(user=user, agreement=agreement_id)
        .values_list("read_until", flat=True)
        .first()
    )
    return mark or clock.now() - UNREAD_WINDOW


def new_since(mark: datetime.datetime | Any) -> Q:
    """The shortfalls opened or recovered after `mark` (a time or an expression)."""
    return Q(since__gt=mark) | Q(recovered_at__gt=mark)


def unread_counts(user: Any, agreements: dict[str, Agreement]) -> dict[str, int]:
    """How many shortfalls are new to the member in each agreement's group: one query for
    the units (with their ancestry, whose agreements decide) and one that counts them all,
    reading the member's marks in it."""
    if not agreements:
        return {}
    owners = device_owners()
    window = clock.now() - UNREAD_WINDOW
    counts = {}
    for n, agreement in enumerate(agreements.values()):
        units = [u.pk for u in units_of(agreement, owners)]
        marks = AlertsRead.objects.filter(user=user.pk, agreement=agreement.id)
        mark = Coalesce(Subquery(marks.values("read_until")[:1]), Value(window))
        # An alias of the query's own: an agreement's id may hold a hyphen.
        counts[f"a{n}"] = Count("pk", filter=Q(owner__in=units) & new_since(mark))
    totals = StockShortfall.objects.aggregate(**counts)
    return {agreement_id: totals[f"a{n}"] or 0 for n, agreement_id in enumerate(agreements)}
