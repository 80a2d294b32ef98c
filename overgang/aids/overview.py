"""The depot overview (N11): per unit and aid type, how many devices in each status,
how many loans are overdue, and whether stock is below the unit's minimum.

One definition serves the page and the CSV export.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef

from overgang import clock
from overgang.aids.models import AidType, Device, DeviceStatus, Loan, StockMinimum
from overgang.i18n import current_language
from overgang.organisations.models import Organisation

# The statuses in their order (DeviceStatus.values builds the list anew at each use).
STATUSES = tuple(DeviceStatus.values)


@dataclass
class Row:
    owner: str
    aid_type: str
    aid_type_slug: str
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    minimum: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def below_minimum(self) -> bool:
        return (
            self.minimum is not None and self.counts.get(DeviceStatus.AVAILABLE, 0) < self.minimum
        )


def status_counts(owner_ids: list[int]) -> Iterable[Any]:
    """(owner, aid type, status, devices), counted from the (owner, aid_type, status)
    index alone: no joins, no row reads."""
    return (
        Device.objects.filter(owner__in=owner_ids)
        .values_list("owner", "aid_type", "status")
        .annotate(n=Count("*"))
        .order_by()
    )


def overdue_counts(owner_ids: list[int], today: datetime.date) -> Iterable[Any]:
    """(owner, aid type, devices whose active loan is past its expected end).

    Only a device on loan has an active loan, and at most one (lending and returning
    change both in one transaction; the one_active_loan constraint): so this counts the
    overdue loans, looking only among the devices on loan. Asked as EXISTS, PostgreSQL
    probes the active loans once per device on loan, reading both from indexes alone where
    it has devices by (owner, status, aid_type, id) and active loans by (device,
    expected_end); asked as a join, it plans a parallel scan several times as slow."""
    overdue = Loan.objects.filter(
        device=OuterRef("pk"), returned_at__isnull=True, expected_end__lt=today
    )
    return (
        Device.objects.filter(owner__in=owner_ids, status=DeviceStatus.ON_LOAN)
        .filter(Exists(overdue))
        .values_list("owner", "aid_type")
        .annotate(n=Count("*"))
        .order_by()
    )


def depot_overview(
    owners: Iterable[Organisation], *, today: datetime.date | None = None
) -> list[Row]:
    names = {o.pk: o.name for o in owners}
    owner_ids = list(names)
    today = today or clock.today()
    # The aid types by the reader's name for them (bokmål where the request has none).
    name = f"name_{current_language('nb')}"
    kinds = {
        pk: (slug, named) for pk, slug, named in AidType.objects.values_list("pk", "slug", name)
    }
    rows: dict[tuple[int, int], Row] = {}

    def row(owner: int, aid_type: int) -> Row:
        key = (owner, aid_type)
        if key not in rows:
            slug, name = kinds[aid_type]
            rows[key] = Row(
                owner=names[owner],
                aid_type=name,
                aid_type_slug=slug,
                counts=dict.fromkeys(STATUSES, 0),
            )
        return rows[key]

    for owner, aid_type, status, n in status_counts(owner_ids):
        row(owner, aid_type).counts[status] = n
    if any(r.counts[DeviceStatus.ON_LOAN] for r in rows.values()):
        for owner, aid_type, n in overdue_counts(owner_ids, today):
            if (owner, aid_type) in rows:
                rows[owner, aid_type].overdue = n
    minimums = StockMinimum.objects.filter(owner__in=owner_ids).values_list(
        "owner", "aid_type", "minimum"
    )
    for owner, aid_type, minimum in minimums:
        row(owner, aid_type).minimum = minimum
    return sorted(rows.values(), key=lambda r: (r.owner, r.aid_type_slug))
