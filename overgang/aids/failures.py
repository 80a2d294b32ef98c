"""Failed devices (O5, 000 4.0): who may report and repair them, and the only writers of
failure reports. Device statuses change through `actions._move`, as everywhere else.

Anyone responsible may report: the unit that manages the device, and whoever may see the
patient it is lent to (home nurse, case worker). Only the managing unit sends a device to
repair and marks a failure resolved.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids import triage
from overgang.aids.actions import _locked, _move
from overgang.aids.models import Device, FailureReport, FailureStatus
from overgang.aids.states import DeviceStatus
from overgang.audit.history import record_change, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.rules.failures import emergency

FIELDS = (
    "device",
    "loan",
    "description",
    "danger_to_life",
    "criticality",
    "status",
    "resolved_at",
    "resolution",
)
UNRESOLVED = (FailureStatus.OPEN, FailureStatus.IN_REPAIR)


def emergency_number(device: Device) -> str:
    """The number to call when a failure of `device` puts life or health in danger."""
    return emergency(device.owner.country).number


def report_failure(
    device: Device, *, actor: User, description: str, danger_to_life: bool = False
) -> FailureReport:
    """Record that a device has failed. The device stays where it is (usually with the
    patient); the report says what to do meanwhile (`report.advice`)."""
    description = (description or "").strip()
    if not description:
        raise InvalidInput({"description": _("Describe what is wrong with the device.")})
    with transaction.atomic():
        # Lock the device row: the loan we attach must not be returned under our feet.
        device = _locked(device)
        if device.status == DeviceStatus.DISCARDED:
            raise Conflict(_("The device %(serial)s is discarded.") % {"serial": device.serial})
        report = FailureReport.objects.create(
            device=device,
            loan=device.loans.filter(returned_at__isnull=True).first(),
            reported_by=actor,
            description=description,
            danger_to_life=danger_to_life,
            criticality=triage.criticality(
                life_sustaining=device.aid_type.life_sustaining, aid_type=device.aid_type.slug
            ),
        )
        record_change(
            report, actor=actor, action=ChangeAction.CREATED, after=snapshot(report, FIELDS)
        )
    return report


def _locked_pair(report: FailureReport) -> tuple[Device, FailureReport]:
    # Always the device first, then the report: the same order as report_failure, so two
    # clerks working on the same device wait for each other instead of deadlocking.
    device = _locked(report.device)
    report = FailureReport.objects.select_for_update().get(pk=report.pk)
    report.device = device
    return device, report


def send_to_repair(report: FailureReport, *, actor: User) -> FailureReport:
    """The unit takes the failed device in for repair. A device still on loan must be
    returned first: the loan would otherwise go on with a device the patient no longer has."""
    with transaction.atomic():
        device, report = _locked_pair(report)
        if report.status != FailureStatus.OPEN:
            raise Conflict(
                _("This failure is already %(status)s.") % {"status": report.get_status_display()}
            )
        if device.status == DeviceStatus.ON_LOAN:
            raise Conflict(
                _("%(serial)s is on loan: register the return first, then send it to repair.")
                % {"serial": device.serial}
            )
        before = snapshot(report, FIELDS)
        # Another failure of the same device may have sent it to repair already.
        if device.status != DeviceStatus.IN_REPAIR:
            _move(
                device,
                DeviceStatus.IN_REPAIR,
                actor=actor,
                reason=report.description,
                details={"failure": report.pk},
            )
        report.status = FailureStatus.IN_REPAIR
        report.save(update_fields=["status"])
        record_change(
            report,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=snapshot(report, FIELDS),
        )
    return report


def resolve_failure(report: FailureReport, *, actor: User, resolution: str) -> FailureReport:
    """The failure is dealt with. A device back from repair is reprocessed before the next
    loan (O7), unless another of its failures is still being repaired."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput({"resolution": _("Say how the failure was resolved.")})
    with transaction.atomic():
        device, report = _locked_pair(report)
        if report.status == FailureStatus.RESOLVED:
            raise Conflict(_("This failure is already resolved."))
        before = snapshot(report, FIELDS)
        report.status = FailureStatus.RESOLVED
        report.resolved_at = clock.now()
        report.resolution = resolution
        report.save(update_fields=["status", "resolved_at", "resolution"])
        still_in_repair = FailureReport.objects.filter(
            device=device, status=FailureStatus.IN_REPAIR
        ).exists()
        if device.status == DeviceStatus.IN_REPAIR and not still_in_repair:
            _move(
                device,
                DeviceStatus.REPROCESSING,
                actor=actor,
                reason=resolution,
                details={"failure": report.pk},
            )
        record_change(
            report,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=snapshot(report, FIELDS),
        )
    return report
