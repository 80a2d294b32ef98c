"""Who has a device, as a page may name them: the device list and the header search both
show a device's borrower, and only where the user may see that patient."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from overgang.aids.models import Device, Loan
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient


def with_borrowers(user: Any, devices: Sequence[Device]) -> None:
    """Set `borrower` on each device: the patient it is lent to, if the user may see them."""
    loans = (
        Loan.objects.restrict(user, VIEW)
        .filter(patient__in=Patient.objects.restrict(user, VIEW))
        .filter(device__in=[d.pk for d in devices], returned_at__isnull=True)
        .select_related("patient")
    )
    borrowers = {loan.device_id: loan.patient for loan in loans}
    for device in devices:
        device.borrower = borrowers.get(device.pk)  # type: ignore[attr-defined]
