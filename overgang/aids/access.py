"""Who manages and who sees which devices.

The unit that owns a device manages it (its treatment-aids staff or depot staff).
Others see a device only while it is lent to a patient they may see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from overgang.aids.models import Device, Loan, ReturnRequest
from overgang.audit.access import patient_scope
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW, memberships_for


def managing_units(user: Any) -> list[Organisation]:
    return [m.organisation for m in memberships_for(user, MANAGE_DEVICES)]


def managed_devices(user: Any) -> QuerySet[Device]:
    if getattr(user, "is_superuser", False):
        return Device.objects.all()
    return Device.objects.filter(owner__in=[u.pk for u in managing_units(user)])


def managed_by_serial(user: Any, serials: list[str]) -> tuple[list[Device], list[str]]:
    """The devices of the user's units with these serials, in the order asked, and the
    serials no device of theirs has."""
    found = {
        d.serial: d
        for d in managed_devices(user)
        .filter(serial__in=serials)
        .select_related("owner", "aid_type")
    }
    return [found[s] for s in serials if s in found], [s for s in serials if s not in found]


def visible_devices(user: Any) -> QuerySet[Device]:
    if getattr(user, "is_superuser", False):
        return Device.objects.all()
    units = [u.pk for u in managing_units(user)]
    scope = patient_scope(user, VIEW, prefix="loans__patient__")
    lent_to_visible = Q(loans__returned_at__isnull=True) & scope if scope is not None else Q()
    return Device.objects.filter(Q(owner__in=units) | lent_to_visible).distinct()


def managed_loans(user: Any) -> QuerySet[Loan]:
    """Loans of the devices `user`'s unit manages: theirs to return and complete."""
    return Loan.objects.filter(device__in=managed_devices(user))


def visible_loans(user: Any) -> QuerySet[Loan]:
    """Loans `user` may see: those of their unit's devices, and those to patients they may
    see (a municipality sees the loans of its residents)."""
    if getattr(user, "is_superuser", False):
        return Loan.objects.all()
    units = [u.pk for u in managing_units(user)]
    scope = patient_scope(user, VIEW, prefix="patient__")
    return Loan.objects.filter(Q(device__owner__in=units) | (scope if scope is not None else Q()))


def managed_returns(user: Any) -> QuerySet[ReturnRequest]:
    """Return requests to the units `user` manages devices for: theirs to agree and close."""
    if getattr(user, "is_superuser", False):
        return ReturnRequest.objects.all()
    return ReturnRequest.objects.filter(unit__in=[u.pk for u in managing_units(user)])


def visible_returns(user: Any) -> QuerySet[ReturnRequest]:
    """Return requests `user` may see: those of their units and of patients they may see."""
    if getattr(user, "is_superuser", False):
        return ReturnRequest.objects.all()
    units = [u.pk for u in managing_units(user)]
    scope = patient_scope(user, VIEW, prefix="patient__")
    return ReturnRequest.objects.filter(Q(unit__in=units) | (scope if scope is not None else Q()))
