"""Devices and loans as docs/contracts/api.md fixes them."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, cast

from django.db.models import FilteredRelation, Q
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids import actions, sets
from overgang.aids.access import (
    managing_units,
)
from overgang.aids.actions.devices import CHECK_RESULTS
from overgang.aids.models import Device, Loan
from overgang.aids.models.loans import Delivery, LoanRole, Placement
from overgang.aids.states import DeviceStatus
from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id, max_length, one_of
from overgang.api.reads import read_one
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW, is_unrestricted
from overgang.patients.models import Patient

router = Router(tags=["aids"])


class DeviceIn(Schema):
    aid_type: str = Field(examples=["home-ventilator"])
    serial: str = Field(examples=["HV-2026-0001"], max_length=max_length(Device, "serial"))
    owner: str | None = Field(None, description="Key of the owning unit; default: your unit.")
    location: str = Field("", max_length=max_length(Device, "location"))


class LoanSummary(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    started_at: datetime.datetime
    expected_end: datetime.date | None


class DeviceOut(Schema):
    serial: str
    aid_type: str = Field(alias="aid_type.slug")
    status: DeviceStatus
    owner: str = Field(alias="owner.key")
    location: str
    current_loan: LoanSummary | None


LENDING_NEEDS = (
    "name",
    "address",
    "residence",
    "municipality__number",
    "municipality__country",  # today on the agreement's clock (aids.cases)
    "district__name",
    "district__kind",
    "institution__name",
    "institution__address",
    "institution__kind",
)


class LoanIn(Schema):
    device: str = Field(description="Serial number of the device.")
    patient: Id
    placement: Annotated[str, one_of(Placement)] = Field("home", examples=["home", "institution"])
    institution: str | None = Field(
        None, description="Key of the institution; default: where the patient lives."
    )
    expected_end: Day | None = None
    delivery: Annotated[str, one_of(Delivery)] = Field(
        Delivery.FETCHED, examples=["fetched", "handed-out", "delivered", "sent"]
    )
    purpose: str = Field("", description="need.purpose of the rules; empty: as requisitioned.")
    therapy: str = Field("", examples=["long-term-oxygen"])
    companions: list[str] = Field(
        default_factory=list,
        description="Serials lent with it: the second unit (O5), the therapy's other parts.",
    )
    manual_handed_over: bool = False
    instruction_given: bool = False


class MissingOut(Schema):
    kind: str = Field(examples=["second-unit", "part", "manual", "instruction"])
    text: str
    aid_type: str = Field("", description="The type still to lend, for a second unit or part.")
    blocking: bool = Field(description="Holds the loan back from being complete.")


class LoanOut(Schema):
    id: int
    device: str = Field(alias="device.serial")
    aid_type: str = Field(alias="device.aid_type.slug")
    patient: int = Field(alias="patient_id")
    main: int | None = Field(alias="main_id", description="The set's first loan, if not this.")
    role: LoanRole = Field(examples=["main", "second-unit", "part"])
    therapy: str | None = Field(None, alias="therapy.slug")
    placement: Placement
    institution: str | None = Field(None, alias="institution.key")
    address: str
    delivery: Delivery
    purpose: str
    started_at: datetime.datetime
    expected_end: datetime.date | None
    returned_at: datetime.datetime | None
    manual_handed_over: bool
    manual: str | None = Field(None, alias="manual.title", description="The manual handed over.")
    instruction_given: bool
    device_status: DeviceStatus = Field(alias="device.status")
    companions: list[str] = Field(
        alias="companion_serials", description="Serials of the set's other active loans."
    )
    outstanding: list[MissingOut] = Field(description="What the set still lacks.")
    complete: bool = Field(description="Units and bundle lent, every manual handed over (U7).")


class AddDeviceIn(Schema):
    device: str = Field(description="Serial number of the device to lend with the set.")
    manual_handed_over: bool = False
    instruction_given: bool = False


class HandoverIn(Schema):
    manual_handed_over: bool | None = None
    instruction_given: bool | None = None


class ReprocessIn(Schema):
    technical_check: Annotated[str, one_of(CHECK_RESULTS)] = Field(examples=["passed"])
    disinfection: str = Field("", examples=["heat disinfection 90 °C"])
    batch: str = ""


def _with_loan(device: Device) -> Device:
    device.current_loan = device.loans.filter(returned_at__isnull=True).first()  # type: ignore[attr-defined]
    return device


def _managed(request: HttpRequest, serial: str) -> Device:
    device = (
        Device.objects.restrict(request_user(request), MANAGE_DEVICES)
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
    if not units and not is_unrestricted(actor):
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


@router.get("/devices/{serialpath:serial}", response=DeviceOut)
def get_device(request: HttpRequest, serial: str) -> dict[str, Any]:
    """A device with its current loan; 404 unless your unit owns it or it is lent to a patient
    you may see."""
    row = (
        Device.objects.restrict(request_user(request), VIEW)
        .annotate(current=FilteredRelation("loans", condition=Q(loans__returned_at__isnull=True)))
        .filter(serial=serial)
        .values_list(*SHOWN_COLUMNS)
        .first()
    )
    if row is None:
        raise HttpError(404, "Not Found")
    device = _shown(row)
    loan = device["current_loan"]
    if loan is not None:
        read_one(request, loan["patient_id"], ReadPurpose.DEVICE, what=device["serial"])
    return device


# One query of the columns DeviceOut shows, the current loan's joined in: whole devices
# with their type and owner, and the loan from a second query, cost more than the rest of
# the answer. A device has at most one active loan (the one_active_loan constraint), so
# the join adds no row.
SHOWN_COLUMNS = (
    *("serial", "aid_type__slug", "status", "owner__key", "location"),
    *("current__id", "current__patient_id", "current__started_at", "current__expected_end"),
)


def _shown(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row of SHOWN_COLUMNS under DeviceOut's names."""
    serial, aid_type, status, owner, location, loan, patient, started_at, expected_end = row
    return {
        "serial": serial,
        "aid_type.slug": aid_type,
        "status": status,
        "owner.key": owner,
        "location": location,
        "current_loan": None
        if loan is None
        else {
            "id": loan,
            "patient_id": patient,
            "started_at": started_at,
            "expected_end": expected_end,
        },
    }


@router.post("/devices/{serialpath:serial}/reprocess", response=DeviceOut)
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


def _loan_out(loan: Loan, loans: list[Loan] | None = None) -> Loan:
    """The loan with its set: the other devices and what the set still lacks. `loans`: the
    set when the caller has it at hand (just lent), else it is read."""
    main = sets.main_of(loan)
    loans = loans if loans is not None else sets.loans_of_set(main)
    missing = sets.outstanding(main, loans)
    loan.companion_serials = [  # type: ignore[attr-defined]
        other.device.serial for other in loans if other.pk != loan.pk and other.active
    ]
    loan.outstanding = missing  # type: ignore[attr-defined]
    loan.complete = sets.is_complete(missing)  # type: ignore[attr-defined]
    return loan


def _loan(queryset: Any, loan_id: int) -> Loan:
    loan = (
        queryset.select_related("device__aid_type", "therapy", "institution", "manual", "main")
        .filter(pk=loan_id)
        .first()
    )
    if loan is None:
        raise HttpError(404, "Not Found")
    return cast(Loan, loan)


def _managed_serials(actor: Any, serials: list[str], field: str) -> list[Device]:
    found, unknown = Device.objects.restrict(actor, MANAGE_DEVICES).by_serials(serials)
    if unknown:
        raise InvalidInput(
            {field: f"No device of your unit has the serial number {', '.join(unknown)}."}
        )
    return found


@router.post("/loans", response={201: LoanOut})
def lend(request: HttpRequest, payload: LoanIn) -> Status[Loan]:
    """Lend a device of your unit to a patient, with the devices that go with it; 409 when a
    device is not available. The answer says what the set still lacks (`outstanding`)."""
    actor = request_user(request)
    errors: dict[str, Any] = {}
    # Only the id: lend_device locks the row and reads the device afresh.
    device_id = (
        Device.objects.restrict(actor, MANAGE_DEVICES)
        .filter(serial=payload.device)
        .values_list("pk")[:1]
    )
    device = Device(pk=device_id[0][0]) if device_id else None
    if device is None:
        errors["device"] = "No device of your unit has this serial number."
    found = (
        Patient.objects.restrict(actor, VIEW)
        .select_related("municipality", "district", "institution")
        # What lending reads of the patient: where they live, and what the agreement asks.
        .only(*LENDING_NEEDS)
        .filter(pk=payload.patient)[:1]
    )
    patient = found[0] if found else None
    if patient is None:
        errors["patient"] = "No such patient among those you may see."
    institution = None
    if payload.institution:
        institution = Organisation.objects.filter(key=payload.institution).first()
        if institution is None:
            errors["institution"] = "No organisation has this key."
    companions: list[Device] = []
    if payload.companions:
        try:
            companions = _managed_serials(actor, payload.companions, "companions")
        except InvalidInput as error:
            errors.update(error.errors)
    if errors or device is None or patient is None:
        raise InvalidInput(errors)
    loan = actions.lend_device(
        device,
        patient,
        actor=actor,
        placement=payload.placement,
        institution=institution,
        expected_end=payload.expected_end,
        manual_handed_over=payload.manual_handed_over,
        instruction_given=payload.instruction_given,
        delivery=payload.delivery,
        purpose=payload.purpose,
        therapy=payload.therapy,
        companions=companions,
    )
    # A set of one was just lent: its loans are at hand, with their devices.
    return Status(201, _loan_out(loan, [loan] if not companions else None))


@router.get("/loans/{int:loan_id}", response=LoanOut)
def get_loan(request: HttpRequest, loan_id: Id) -> Loan:
    """A loan with its set; 404 unless your unit lent it or you may see the patient."""
    loan = _loan(Loan.objects.restrict(request_user(request), VIEW), loan_id)
    read_one(request, loan.patient_id, ReadPurpose.LOAN, what=f"loan {loan.pk}")
    return _loan_out(loan)


@router.post("/loans/{int:loan_id}/devices", response={201: LoanOut})
def lend_with(request: HttpRequest, loan_id: Id, payload: AddDeviceIn) -> Status[Loan]:
    """Lend one more device with the set: the second unit, or a part of the therapy."""
    actor = request_user(request)
    main = _loan(Loan.objects.restrict(actor, MANAGE_DEVICES), loan_id)
    (device,) = _managed_serials(actor, [payload.device], "device")
    loan = actions.lend_with(
        main,
        device,
        actor=actor,
        manual_handed_over=payload.manual_handed_over,
        instruction_given=payload.instruction_given,
    )
    return Status(201, _loan_out(loan))


@router.post("/loans/{int:loan_id}/handover", response=LoanOut)
def hand_over(request: HttpRequest, loan_id: Id, payload: HandoverIn) -> Loan:
    """Record that the user manual went with the device (U7) and that instruction was given."""
    actor = request_user(request)
    loan = actions.hand_over(
        _loan(Loan.objects.restrict(actor, MANAGE_DEVICES), loan_id),
        actor=actor,
        manual_handed_over=payload.manual_handed_over,
        instruction_given=payload.instruction_given,
    )
    return _loan_out(_loan(Loan.objects.restrict(actor, MANAGE_DEVICES), loan.pk))


@router.post("/loans/{int:loan_id}/return", response=LoanOut)
def return_loan(request: HttpRequest, loan_id: Id) -> Loan:
    """The device is back at the unit; it must be reprocessed before the next loan."""
    actor = request_user(request)
    actions.return_loan(_loan(Loan.objects.restrict(actor, MANAGE_DEVICES), loan_id), actor=actor)
    return _loan_out(_loan(Loan.objects.restrict(actor, MANAGE_DEVICES), loan_id))
