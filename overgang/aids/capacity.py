"""Shared capacity (N11): every treatment-aids unit and municipal depot working under an
agreement, per aid type: how many devices are available, on loan, being reprocessed and in
repair, against the unit's minimum, with the available count of the last weeks.

Counts only: no device, no loan, no patient is read, so nothing here is logged as a read.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from overgang.aids.actions.devices import DEVICE_OWNERS
from overgang.aids.models import AidType, DeviceStatus, StockMinimum, StockShortfall, StockSnapshot
from overgang.aids.overview import status_counts
from overgang.i18n import current_language
from overgang.organisations.agreements import agreements_of
from overgang.organisations.models import Kind, Organisation
from overgang.rules.registry import Agreement

# The statuses the capacity overview counts, by the snapshot's field for each.
COUNTED = {
    DeviceStatus.AVAILABLE: "available",
    DeviceStatus.ON_LOAN: "on_loan",
    DeviceStatus.REPROCESSING: "reprocessing",
    DeviceStatus.IN_REPAIR: "in_repair",
}
# How many days the trend looks back.
TREND_DAYS = 28


@dataclass
class CapacityRow:
    owner_id: int
    owner: str
    # Whose unit: the trust or region (a municipal depot's name says its municipality).
    under: str
    municipal: bool
    aid_type_id: int
    aid_type: str
    aid_type_slug: str
    available: int = 0
    on_loan: int = 0
    reprocessing: int = 0
    in_repair: int = 0
    minimum: int | None = None
    # The available count on each of the last TREND_DAYS days (None: no snapshot that day).
    trend: list[int | None] = field(default_factory=list)

    @property
    def below_minimum(self) -> bool:
        return self.minimum is not None and self.available < self.minimum


def device_owners() -> list[Organisation]:
    """Every unit and depot that owns devices, by name, with the ancestry that decides
    which agreements it works under (one query)."""
    found = Organisation.objects.filter(kind__in=DEVICE_OWNERS).order_by("name")
    return list(found.select_related("parent__parent__parent__parent"))


def under(unit: Organisation) -> str:
    """Whose unit it is: the trust or region of a regional unit, whose own name ("Avdeling
    for behandlingshjelpemidler") needs it to be told apart; "" for a municipal depot, whose
    name says its municipality."""
    if unit.is_municipal_side:
        return ""
    parent = unit.nearest(Kind.TRUST, Kind.REGION)
    return parent.name if parent is not None and parent.pk != unit.pk else ""


def units_of(agreement: Agreement, owners: list[Organisation] | None = None) -> list[Organisation]:
    """The units that lend aids under the agreement, regional and municipal, by name: those
    working under it, and the units outside its trust that lend to its patients (the
    agreement's `aids_units`, as St. Olavs' for HNT). `owners`: `device_owners()` read
    already, for a caller asking of several agreements."""
    owners = device_owners() if owners is None else owners
    return [
        o
        for o in owners
        if o.key in agreement.aids_units or any(a.id == agreement.id for a in agreements_of(o))
    ]


def current_counts(owner_ids: list[int]) -> dict[tuple[int, int], dict[str, int]]:
    """(owner, aid type) → the snapshot field's count, for the counted statuses."""
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(COUNTED.values(), 0)
    )
    for owner, aid_type, status, n in status_counts(owner_ids):
        if status in COUNTED:
            counts[owner, aid_type][COUNTED[DeviceStatus(status)]] = n
        else:
            counts[owner, aid_type]
    return counts


def minimums(owner_ids: list[int]) -> dict[tuple[int, int], int]:
    found = StockMinimum.objects.filter(owner__in=owner_ids)
    return {(o, t): m for o, t, m in found.values_list("owner", "aid_type", "minimum")}


def capacity(
    units: list[Organisation], *, today: datetime.date, aid_type: AidType | None = None
) -> list[CapacityRow]:
    """A row per unit and aid type the unit has devices of or a minimum for."""
    names = {u.pk: u for u in units}
    owner_ids = list(names)
    counts = current_counts(owner_ids)
    wanted = minimums(owner_ids)
    name = f"name_{current_language('nb')}"
    kinds = {pk: (slug, n) for pk, slug, n in AidType.objects.values_list("pk", "slug", name)}
    keys = set(counts) | set(wanted)
    if aid_type is not None:
        keys = {k for k in keys if k[1] == aid_type.pk}
    first = today - datetime.timedelta(days=TREND_DAYS - 1)
    history: dict[tuple[int, int], dict[datetime.date, int]] = defaultdict(dict)
    snapshots = StockSnapshot.objects.filter(owner__in=owner_ids, day__gte=first, day__lte=today)
    if aid_type is not None:
        snapshots = snapshots.filter(aid_type=aid_type)
    for owner, kind, day, available in snapshots.values_list(
        "owner", "aid_type", "day", "available"
    ):
        history[owner, kind][day] = available
    days = [first + datetime.timedelta(days=i) for i in range(TREND_DAYS)]
    parents = {u.pk: under(u) for u in units}
    rows = []
    for owner, kind in keys:
        unit = names[owner]
        slug, named = kinds[kind]
        row = CapacityRow(
            owner_id=owner,
            owner=unit.name,
            under=parents.get(owner, ""),
            municipal=unit.is_municipal_side,
            aid_type_id=kind,
            aid_type=named,
            aid_type_slug=slug,
            minimum=wanted.get((owner, kind)),
        )
        for column, n in counts.get((owner, kind), {}).items():
            setattr(row, column, n)
        past = history.get((owner, kind), {})
        row.trend = [past.get(day) for day in days]
        row.trend[-1] = row.available  # today: as it is now
        rows.append(row)
    return sorted(rows, key=lambda r: (r.owner, r.aid_type))


def open_shortfalls(owner_ids: list[int]) -> dict[tuple[int, int], StockShortfall]:
    found = StockShortfall.objects.filter(owner__in=owner_ids, recovered_at__isnull=True)
    return {(s.owner_id, s.aid_type_id): s for s in found}
