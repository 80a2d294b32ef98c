"""Devices and loans as shared/contracts/api.md fixes them."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids import actions
from overgang.aids.access import managed_devices, managing_units, visible_devices
from overgang.aids.models import Device, Loan
from overgang.api.auth import request_user
from overgang.errors import InvalidInput
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient

router = Router(tags=["aids"])


class DeviceIn(Schema):
    aid_type: str = Field(examples=["home-ventilator"])
    serial: str = Field(examples=["HV-2026-0001"])
    owner: str | None = Field(None, description="Key of the owning unit; default: your unit.")
    location: str = ""


class LoanSummary(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    started_at: datetime.datetime
    expected_end: datetime.date | None


class DeviceOut(Schema):
    serial: str
    aid_type: str = Field(alias="aid_type.slug")
    status: str
    owner: str = Field(alias="owner.key")
    location: str
    current_loan: LoanSummary | None


class LoanIn(Schema):
    device: str = Field(description="Serial number of the device.")
    patient: int
    placement: str = "home"
    expected_end: datetime.date | None = None
    manual_handed_over: bool = False
    instruction_given: bool = False


class LoanOut(Schema):
    id: int
    device: str = Field(alias="device.serial")
    patient: int = Field(alias="patient_id")
    placement: str
    started_at: datetime.datetime
    expected_end: datetime.date | None
    returned_at: datetime.datetime | None
    manual_handed_over: bool
    instruction_given: bool
    device_status: str = Field(alias="device.status")


class ReprocessIn(Schema):
    technical_check: str = Field(examples=["passed"])
    disinfection: str = Field("", examples=["heat disinfection 90 °C"])
    batch: str = ""


def _with_loan(device: Device) -> Device:
    device.current_loan = device.loans.filter(returned_at__isnull=True).first()  # type: ignore[attr-defined]
    return device


def _managed(request: HttpRequest, serial: str) -> Device:
    device = (
        managed_devices(request_user(request))
        .select_related("aid_type", "owner")
        .filter(serial=serial)
        .first()
    )
    if device is None:
        raise HttpError(404, "Not Found")
    return device


@router.post("/devices", response={201: DeviceOut})
def register_device(request: HttpRequest, payload: DeviceIn) -> Status[Device]:
    """Register a device of your unit."""
    actor = request_user(request)
    units = managing_units(actor)
    if not units and not actor.is_superuser:
        raise HttpError(403, "Only treatment-aids or depot staff register devices.")
    owner = next((u for u in units if payload.owner in (None, u.key)), None)
    if owner is None:
        raise InvalidInput({"owner": "Not a unit you work for."})
    device = actions.register_device(
        actor=actor,
        aid_type=payload.aid_type,
        serial=payload.serial,
        owner=owner,
        location=payload.location,
    )
    return Status(201, _with_loan(device))


@router.get("/devices/{serial}", response=DeviceOut)
def get_device(request: HttpRequest, serial: str) -> Device:
    """A device with its current loan; 404 unless your unit owns it or it is lent to a patient
    you may see."""
    device = (
        visible_devices(request_user(request))
        .select_related("aid_type", "owner")
        .filter(serial=serial)
        .first()
    )
    if device is None:
        raise HttpError(404, "Not Found")
    return _with_loan(device)


@router.post("/devices/{serial}/reprocess", response=DeviceOut)
def reprocess_device(request: HttpRequest, serial: str, payload: ReprocessIn) -> Device:
    """Technical check and disinfection after a return: passed → available, failed → repair."""
    device = actions.reprocess_device(
        _managed(request, serial),
        actor=request_user(request),
        technical_check=payload.technical_check,
        disinfection=payload.disinfection,
        batch=payload.batch,
    )
    return _with_loan(device)


@router.post("/loans", response={201: LoanOut})
def lend(request: HttpRequest, payload: LoanIn) -> Status[Loan]:
    """Lend a device of your unit to a patient; 409 when the device is not available."""
    actor = request_user(request)
    errors: dict[str, Any] = {}
    device = managed_devices(actor).filter(serial=payload.device).first()
    if device is None:
        errors["device"] = "No device of your unit has this serial number."
    patient = Patient.objects.restrict(actor, VIEW).filter(pk=payload.patient).first()
    if patient is None:
        errors["patient"] = "No such patient among those you may see."
    if errors or device is None or patient is None:
        raise InvalidInput(errors)
    loan = actions.lend_device(
        device,
        patient,
        actor=actor,
        placement=payload.placement,
        expected_end=payload.expected_end,
        manual_handed_over=payload.manual_handed_over,
        instruction_given=payload.instruction_given,
    )
    return Status(201, Loan.objects.select_related("device").get(pk=loan.pk))


@router.post("/loans/{int:loan_id}/return", response=LoanOut)
def return_loan(request: HttpRequest, loan_id: int) -> Loan:
    """The device is back at the unit; it must be reprocessed before the next loan."""
    loan = Loan.objects.filter(
        pk=loan_id, device__in=managed_devices(request_user(request))
    ).first()
    if loan is None:
        raise HttpError(404, "Not Found")
    actions.return_loan(loan, actor=request_user(request))
    return Loan.objects.select_related("device").get(pk=loan.pk)
