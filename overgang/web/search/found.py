"""What the header search finds, within what the user may see (`restrict(user, VIEW)`, as
the lists): patients, devices by serial, requisitions and stays by their number. The
patients shown, also those a device, requisition or stay shows, are logged as read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from overgang.aids.models import Device
from overgang.audit.history import log_reads
from overgang.audit.models import ReadPurpose
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.patients.names import Query
from overgang.requisitions.models import Requisition
from overgang.stays.models import Stay
from overgang.web.devices.borrowers import with_borrowers


@dataclass
class Group[T]:
    """The hits of one kind, at most `limit` of them; `more`: there are others."""

    hits: list[T] = field(default_factory=list)
    more: bool = False

    @classmethod
    def of(cls, rows: Any, limit: int) -> Group[T]:
        found = list(rows[: limit + 1])
        return cls(found[:limit], len(found) > limit)


@dataclass
class Found:
    patients: Group[Patient]
    devices: Group[Device]
    requisitions: Group[Requisition]
    stays: Group[Stay]

    @property
    def count(self) -> int:
        return sum(
            len(g.hits) for g in (self.patients, self.devices, self.requisitions, self.stays)
        )

    def shown_patients(self) -> list[Patient]:
        """Everyone the hits show by name: the patients, who has a device, whose
        requisition or stay it is."""
        borrowers = [d.borrower for d in self.devices.hits]  # type: ignore[attr-defined]
        return [
            *self.patients.hits,
            *(p for p in borrowers if p is not None),
            *(r.patient for r in self.requisitions.hits),
            *(s.patient for s in self.stays.hits),
        ]


def find(user: Any, query: Query, *, limit: int) -> Found:
    text = " ".join(query.text.split())
    # Too many digits for a national ID finds no patient (`find`), but maybe a serial.
    patients = Patient.objects.restrict(user, VIEW).find(query.text)
    return Found(
        patients=Group.of(patients.select_related("municipality", "district"), limit),
        devices=_devices(user, text, limit),
        requisitions=Group.of(
            Requisition.objects.restrict(user, VIEW)
            .filter(pk=query.number)
            .select_related("patient", "aid_type"),
            limit,
        )
        if query.number
        else Group(),
        stays=Group.of(
            Stay.objects.restrict(user, VIEW)
            .filter(pk=query.number)
            .select_related("patient", "hospital", "department"),
            limit,
        )
        if query.number
        else Group(),
    )


def _devices(user: Any, serial: str, limit: int) -> Group[Device]:
    """Devices whose serial starts with what was typed ("NEW-OXY 77/A" too), with who has
    them when the user may see that patient."""
    if not serial:
        return Group()
    group: Group[Device] = Group.of(
        Device.objects.restrict(user, VIEW)
        .filter(serial__istartswith=serial)
        .select_related("aid_type")
        .order_by("serial"),
        limit,
    )
    with_borrowers(user, group.hits)
    return group


def log_shown(user: Any, found: Found, *, what: str) -> None:
    """One read per patient the answer shows (logged once however often shown)."""
    log_reads(found.shown_patients(), user=user, purpose=ReadPurpose.LIST, what=what)
