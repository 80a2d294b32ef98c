"""Electrical installation checks (O4, U4): recorded by the hospital, remedied by the owner."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from overgang.aids.models import CheckResult, ElectricalCheck, Placement, RemedyStatus
from overgang.audit.history import record_change, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient


def placed_at(patient: Patient, placement: str, institution: Organisation | None = None) -> str:
    """The address where the device will be connected: the patient's home, or the
    institution (by default the one the patient lives in)."""
    if placement == Placement.INSTITUTION:
        place = institution or patient.institution
        if place is not None:
            return place.address or place.name
    return patient.address


def installation_cleared(patient: Patient, address: str) -> bool:
    """Has the latest check of the installation at `address` passed, or been remedied?"""
    latest = (
        ElectricalCheck.objects.filter(patient=patient, address=address)
        .order_by("-checked_at", "-id")
        .first()
    )
    return latest is not None and latest.cleared


def record_electrical_check(
    patient: Patient,
    *,
    actor: User,
    rooms: str,
    result: str,
    placement: str = Placement.HOME,
    remedy_by: str = "",
    notes: str = "",
) -> ElectricalCheck:
    """The hospital checked the installation in the rooms where the device will be connected
    (O4); a failed check names who must remedy it (the installation's owner)."""
    errors: dict[str, str] = {}
    if not rooms.strip():
        errors["rooms"] = _("Name the rooms where the device will be connected.")
    if result not in CheckResult.values:
        errors["result"] = _("The check is passed or failed.")
    if result == CheckResult.FAILED and not remedy_by.strip():
        errors["remedy_by"] = _("Say who must remedy the installation.")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        check = ElectricalCheck.objects.create(
            patient=patient,
            address=placed_at(patient, placement),
            rooms=rooms.strip(),
            result=result,
            remedy_by=remedy_by.strip(),
            remedy_status=RemedyStatus.OPEN
            if result == CheckResult.FAILED
            else RemedyStatus.NONE_NEEDED,
            checked_by=actor,
            notes=notes.strip(),
        )
        record_change(
            check,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(check, CHECK_FIELDS),
        )
    return check


CHECK_FIELDS = ("patient", "address", "rooms", "result", "remedy_by", "remedy_status", "notes")


def mark_remedied(check: ElectricalCheck, *, actor: User, notes: str = "") -> ElectricalCheck:
    """An authorised electrician has remedied the installation."""
    with transaction.atomic():
        check = ElectricalCheck.objects.select_for_update().get(pk=check.pk)
        if check.remedy_status != RemedyStatus.OPEN:
            raise Conflict(_("There is no open remedy for this check."))
        before = snapshot(check, CHECK_FIELDS)
        check.remedy_status = RemedyStatus.REMEDIED
        if notes.strip():
            check.notes = f"{check.notes}\n{notes.strip()}".strip()
        check.save(update_fields=["remedy_status", "notes"])
        record_change(
            check,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=snapshot(check, CHECK_FIELDS),
        )
    return check
