"""Failed devices (O5): report one and get the advice of the patient's agreement; the unit
repairs and resolves."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids import failures
from overgang.aids.models import Device, FailureReport, FailureStatus
from overgang.aids.models.failures import Criticality
from overgang.aids.states import DeviceStatus
from overgang.api.auth import request_user
from overgang.api.inputs import Id
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW

router = Router(tags=["failures"])


class FailureIn(Schema):
    description: str = Field(examples=["Alarm 'low pressure', will not start."])
    danger_to_life: bool = False


class ResolveIn(Schema):
    resolution: str = Field(examples=["New power supply fitted and tested."])


class StepOut(Schema):
    text: str = Field(description="In the language of the request.")
    texts: dict[str, str] = Field(description="The same in nb, da and en.")
    citation: str = Field(
        examples=["000 4.0", "Alarmnummer 112 (Danmark)", ""],
        description="The passage of the agreement, the national source, or empty: general "
        "advice where the agreement is silent.",
    )
    emergency: bool


class AdviceOut(Schema):
    criticality: Criticality = Field(examples=["life-sustaining", "oxygen", "other"])
    emergency_number: str | None = Field(description="Set when there is danger to life.")
    service_on: datetime.date | None = Field(description="Less critical: the next working day.")
    steps: list[StepOut] = Field(description="What to do, the emergency call first.")
    agreement: str | None = Field(
        default=None, description="The patient's agreement the steps come from.", examples=["unn"]
    )
    silent: bool = Field(
        default=True, description="The agreement says nothing about failed devices."
    )


class FailureOut(Schema):
    id: int
    device: str
    device_status: DeviceStatus
    loan: int | None
    reported_by: str
    reported_at: datetime.datetime
    description: str
    danger_to_life: bool
    criticality: Criticality
    status: FailureStatus = Field(examples=FailureStatus.values)
    resolved_at: datetime.datetime | None
    resolution: str
    advice: AdviceOut


def _out(report: FailureReport) -> dict[str, Any]:
    advice = report.advice
    language = get_language()
    return {
        "id": report.pk,
        "device": report.device.serial,
        "device_status": report.device.status,
        "loan": report.loan_id,
        "reported_by": report.reported_by.get_username(),
        "reported_at": report.reported_at,
        "description": report.description,
        "danger_to_life": report.danger_to_life,
        "criticality": report.criticality,
        "status": report.status,
        "resolved_at": report.resolved_at,
        "resolution": report.resolution,
        "advice": {
            "criticality": advice.criticality,
            "emergency_number": advice.emergency_number,
            "service_on": advice.service_on,
            "agreement": advice.agreement,
            "silent": advice.silent,
            "steps": [
                {
                    "text": step.text(language),
                    "texts": dict(step.texts),
                    "citation": step.citation,
                    "emergency": step.emergency,
                }
                for step in advice.steps
            ],
        },
    }


def _managed(request: HttpRequest, failure_id: int) -> FailureReport:
    report = (
        FailureReport.objects.restrict(request_user(request), MANAGE_DEVICES)
        .select_related(
            "device__aid_type", "device__owner", "reported_by", "loan__patient__municipality"
        )
        .filter(pk=failure_id)
        .first()
    )
    if report is None:
        raise HttpError(404, "Not Found")
    return report


@router.post("/devices/{serialpath:serial}/failures", response={201: FailureOut})
def report_failure(request: HttpRequest, serial: str, payload: FailureIn) -> Status[Any]:
    """Report a failed device and get what to do now; 404 unless your unit manages the device
    or it is lent to a patient you may see."""
    device = (
        Device.objects.restrict(request_user(request), VIEW)
        .select_related("aid_type", "owner")
        .filter(serial=serial)
        .first()
    )
    if device is None:
        raise HttpError(404, "Not Found")
    report = failures.report_failure(
        device,
        actor=request_user(request),
        description=payload.description,
        danger_to_life=payload.danger_to_life,
    )
    return Status(201, _out(report))


@router.post("/failures/{int:failure_id}/repair", response=FailureOut)
def send_to_repair(request: HttpRequest, failure_id: Id) -> dict[str, Any]:
    """Your unit takes the device in for repair; 409 while it is still on loan."""
    report = failures.send_to_repair(_managed(request, failure_id), actor=request_user(request))
    return _out(report)


@router.post("/failures/{int:failure_id}/resolve", response=FailureOut)
def resolve_failure(request: HttpRequest, failure_id: Id, payload: ResolveIn) -> dict[str, Any]:
    """The failure is dealt with; a device back from repair goes on to reprocessing."""
    report = failures.resolve_failure(
        _managed(request, failure_id), actor=request_user(request), resolution=payload.resolution
    )
    return _out(report)
