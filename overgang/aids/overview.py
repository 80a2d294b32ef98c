"""The depot overview (N11): per unit and aid type, how many devices in each status,
how many loans are overdue, and whether stock is below the unit's minimum.

One definition serves the page and the CSV export.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from overgang.aids.models import AidType, Device, DeviceStatus, Loan, StockMinimum
from overgang.organisations.models import Organisation


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


def depot_overview(
    owners: Iterable[Organisation], *, today: datetime.date | None = None
) -> list[Row]:
    owner_ids = [o.pk for o in owners]
    today = today or datetime.date.today()
    names = {o.pk: o.name for o in Organisation.objects.filter(pk__in=owner_ids)}
    kinds = {t.pk: t for t in AidType.objects.all()}
    rows: dict[tuple[int, int], Row] = {}
    # Counted from the (owner, aid_type, status) index alone: no joins, no row reads.
    grouped: Iterable[Any] = (
        Device.objects.filter(owner__in=owner_ids)
        .values("owner", "aid_type", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    for entry in grouped:
        key = (entry["owner"], entry["aid_type"])
        if key not in rows:
            kind = kinds[entry["aid_type"]]
            rows[key] = Row(
                owner=names[entry["owner"]],
                aid_type=kind.name_en,
                aid_type_slug=kind.slug,
                counts=dict.fromkeys(DeviceStatus.values, 0),
            )
        rows[key].counts[entry["status"]] = entry["n"]
    overdue: Iterable[Any] = (
        # Only a device on loan has an active loan (lending and returning change both in one
        # transaction): asking for the status lets the database skip most devices.
        Loan.objects.filter(
            device__owner__in=owner_ids,
            device__status=DeviceStatus.ON_LOAN,
            returned_at__isnull=True,
            expected_end__lt=today,
        )
        .values("device__owner", "device__aid_type")
        .annotate(n=Count("id"))
    )
    for late in overdue:
        row = rows.get((late["device__owner"], late["device__aid_type"]))
        if row is not None:
            row.overdue = late["n"]
    for minimum in StockMinimum.objects.filter(owner__in=owner_ids).select_related(
        "owner", "aid_type"
    ):
        row = rows.setdefault(
            (minimum.owner_id, minimum.aid_type_id),
            Row(
                owner=minimum.owner.name,
                aid_type=minimum.aid_type.name_en,
                aid_type_slug=minimum.aid_type.slug,
                counts=dict.fromkeys(DeviceStatus.values, 0),
            ),
        )
        row.minimum = minimum.minimum
    return sorted(rows.values(), key=lambda r: (r.owner, r.aid_type_slug))


CSV_COLUMNS = ["owner", "aid_type", *DeviceStatus.values, "total", "overdue", "minimum", "below"]


def overview_csv(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.owner,
                row.aid_type_slug,
                *(row.counts.get(status, 0) for status in DeviceStatus.values),
                row.total,
                row.overdue,
                "" if row.minimum is None else row.minimum,
                "yes" if row.below_minimum else "",
            ]
        )
    return out.getvalue()
