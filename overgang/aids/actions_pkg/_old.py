"""The only writers of devices and loans. Pages, API, commands and jobs call these."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from overgang import rules
from overgang.aids import states
from overgang.aids.models import (
    AidType,
    CheckResult,
    Device,
    DeviceStatus,
    DeviceTransition,
    ElectricalCheck,
    Loan,
    Placement,
    RemedyStatus,
)
from overgang.audit.channel import current_channel
from overgang.audit.history import record_change, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Kind, Organisation
from overgang.patients.models import Patient
from overgang.rules.registry import RulesError, aid_types

DEVICE_OWNERS = frozenset({Kind.AIDS_UNIT, Kind.AID_DEPOT, Kind.PRIVATE_HOSPITAL})


def sync_catalogue() -> int:
    """Create or update the aid types from the rules' catalogue (overgang/rules/aids.toml)."""
    known = aid_types()
    for slug, kind in known.items():
        AidType.objects.update_or_create(
            slug=slug,
            defaults={
                "iso9999": kind.iso9999,
                "category": kind.category,
                "life_sustaining": kind.life_sustaining,
                "electrical_check": kind.electrical_check,
                "name_nb": kind.names["nb"],
                "name_da": kind.names["da"],
                "name_en": kind.names["en"],
            },
        )
    return len(known)


def _move(
    device: Device,
    new: str,
    *,
    actor: User,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Change a locked device's status and write its history row in the same transaction."""
    old = device.status
    if not states.may_move(old, new):
        raise Conflict(
            _("The device is %(old)s and cannot become %(new)s.")
            % {"old": device.get_status_display(), "new": DeviceStatus(new).label}
        )
    device.status = new
    device.save(update_fields=["status"])
    DeviceTransition.objects.create(
        device=device,
        old=old,
        new=new,
        reason=reason,
        details=details or {},
        actor=actor,
        channel=current_channel(),
    )


def _locked(device: Device) -> Device:
    # Lock the device row: two clerks may lend or return the same unit at once.
    return Device.objects.select_for_update().select_related("aid_type").get(pk=device.pk)


def register_device(
    *, actor: User, aid_type: str, serial: str, owner: Organisation, location: str = ""
) -> Device:
    errors: dict[str, str] = {}
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        errors["aid_type"] = _("Unknown aid type: %(slug)s.") % {"slug": aid_type}
    serial = (serial or "").strip()
    if not serial:
        errors["serial"] = _("Enter the serial number.")
    if owner.kind not in DEVICE_OWNERS:
        errors["owner"] = _("%(name)s does not lend aids.") % {"name": owner}
    if errors or kind is None:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            device = Device.objects.create(
                serial=serial, aid_type=kind, owner=owner, location=location.strip()
            )
            DeviceTransition.objects.create(
                device=device,
                old="",
                new=device.status,
                reason=_("registered"),
                actor=actor,
                channel=current_channel(),
            )
    except IntegrityError:
        raise Conflict(
            _("A device with the serial number %(serial)s is already registered.")
            % {"serial": serial}
        ) from None
    return device


def _agreement_objections(device: Device, patient: Patient, placement: str) -> list[str]:
    """What the patient's agreement says against this loan: not lent at all (N9), or not
    before the electrical installation is checked (O4, U4)."""
    case = {
        "patient": {
            "municipality": patient.municipality.number,
            "residence": placement,
            **({"district": patient.district.short_name} if patient.district else {}),
        },
        "aid": {"type": device.aid_type.slug},
    }
    try:
        decision = rules.decide(case)
    except RulesError:
        return []  # no agreement covers the address: nothing to refuse by
    if not decision["lendable"]:
        return list(decision["reasons"])
    if decision["electrical_check_required"] and not _installation_cleared(patient, placement):
        return [
            _(
                "The electrical installation at %(address)s must be checked and passed before "
                "a %(aid)s is placed there (000 3.3, 001 Beskrivelse 5)."
            )
            % {"address": placed_at(patient, placement), "aid": device.aid_type.name}
        ]
    return []


def placed_at(patient: Patient, placement: str) -> str:
    """The address where the device will be connected."""
    if placement == Placement.INSTITUTION and patient.institution is not None:
        return patient.institution.address or patient.institution.name
    return patient.address


def _installation_cleared(patient: Patient, placement: str) -> bool:
    latest = (
        ElectricalCheck.objects.filter(patient=patient, address=placed_at(patient, placement))
        .order_by("-checked_at", "-id")
        .first()
    )
    return latest is not None and latest.cleared


def lend_device(
    device: Device,
    patient: Patient,
    *,
    actor: User,
    placement: str = Placement.HOME,
    expected_end: datetime.date | None = None,
    manual_handed_over: bool = False,
    instruction_given: bool = False,
) -> Loan:
    """Lend one available device to one patient. Of two clerks lending the same unit at
    the same moment, one gets the loan and the other a Conflict."""
    if placement not in Placement.values:
        raise InvalidInput({"placement": _("Choose where the device will be.")})
    with transaction.atomic():
        device = _locked(device)
        if device.status not in states.LENDABLE:
            raise Conflict(
                _("The device %(serial)s is %(status)s, not available for a loan.")
                % {"serial": device.serial, "status": device.get_status_display()}
            )
        refusal = _agreement_objections(device, patient, placement)
        if refusal:
            raise InvalidInput({"device": " ".join(refusal)})
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    device=device,
                    patient=patient,
                    placement=placement,
                    expected_end=expected_end,
                    manual_handed_over=manual_handed_over,
                    instruction_given=instruction_given,
                    lent_by=actor,
                )
        except IntegrityError:
            raise Conflict(_("The device is already on loan.")) from None
        _move(device, states.ON_LOAN, actor=actor, details={"loan": loan.pk, "patient": patient.pk})
    return loan


def return_loan(loan: Loan, *, actor: User, reason: str = "") -> Loan:
    """The device is back: the loan ends and the device waits for reprocessing (O7)."""
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise Conflict(_("This loan was already returned."))
        device = _locked(loan.device)
        loan.returned_at = timezone.now()
        loan.save(update_fields=["returned_at"])
        _move(device, states.RETURNED, actor=actor, reason=reason, details={"loan": loan.pk})
    return loan


CHECK_RESULTS = ("passed", "failed")


def reprocess_device(
    device: Device,
    *,
    actor: User,
    technical_check: str,
    disinfection: str = "",
    batch: str = "",
    reason: str = "",
) -> Device:
    """Technical check and infection control after a return (O7). Passed: available again.
    Failed: to repair."""
    errors: dict[str, str] = {}
    if technical_check not in CHECK_RESULTS:
        errors["technical_check"] = _("The technical check is passed or failed.")
    if technical_check == "passed" and not disinfection.strip():
        errors["disinfection"] = _("Say how the device was disinfected.")
    if errors:
        raise InvalidInput(errors)
    details = {"technical_check": technical_check, "disinfection": disinfection.strip()}
    if batch.strip():
        details["batch"] = batch.strip()
    with transaction.atomic():
        device = _locked(device)
        if technical_check == "failed":
            _move(device, states.IN_REPAIR, actor=actor, reason=reason, details=details)
            return device
        if device.status != states.REPROCESSING:
            _move(device, states.REPROCESSING, actor=actor, reason=reason, details=details)
        _move(device, states.AVAILABLE, actor=actor, reason=reason, details=details)
    return device


def discard_device(device: Device, *, actor: User, reason: str) -> Device:
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the device is discarded.")})
    with transaction.atomic():
        device = _locked(device)
        _move(device, states.DISCARDED, actor=actor, reason=reason.strip())
    return device


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
