"""Deciding a requisition (U3): assessment, the decision, reserving and delivering the
device, and the decision letter and journal note. `POST /requisitions/{id}/decision` is
fixed by the contract."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from overgang.aids.models import Device
from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id, one_of
from overgang.api.requisitions.common import RequisitionOut, _deciding, _found
from overgang.api.requisitions.shown import Row, shown
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import MANAGE_DEVICES
from overgang.requisitions import actions, letters
from overgang.requisitions.models.requisitions import DeliveryPlan

router = Router()

PDF_RESPONSE: dict[str, Any] = {"responses": {200: {"content": {"application/pdf": {}}}}}


class DecisionIn(Schema):
    approved: bool
    reason: str = ""
    delivery: Annotated[str, one_of(DeliveryPlan, "")] = Field(
        "", examples=["at-discharge", "send", "hand-out"]
    )
    deliver_by: Day | None = None
    device: str = Field("", description="Serial number of a device to reserve.")


class AssessIn(Schema):
    note: str = ""


class ReserveIn(Schema):
    device: str


class DeliverIn(Schema):
    companions: list[str] = Field(default_factory=list)
    manual_handed_over: bool = False
    instruction_given: bool = False


def _device(actor: Any, serial: str) -> Any:
    found, missing = Device.objects.restrict(actor, MANAGE_DEVICES).by_serials([serial])
    if missing:
        raise InvalidInput({"device": f"No device of your unit has the serial number {serial}."})
    return found[0]


@router.post("/requisitions/{int:pk}/assess", response=RequisitionOut)
def assess(request: HttpRequest, pk: Id, payload: AssessIn) -> Row:
    """The unit takes the requisition up for assessment."""
    actions.start_assessment(_deciding(request, pk), actor=request_user(request), note=payload.note)
    return shown(request, pk)


@router.post("/requisitions/{int:pk}/decision", response=RequisitionOut)
def decision(request: HttpRequest, pk: Id, payload: DecisionIn) -> Row:
    """Grant or refuse; the answer carries the appeal route (U3)."""
    actor = request_user(request)
    requisition = _deciding(request, pk)
    device = _device(actor, payload.device) if payload.device else None
    actions.decide_requisition(
        requisition,
        actor=actor,
        approved=payload.approved,
        reason=payload.reason,
        delivery=payload.delivery,
        deliver_by=payload.deliver_by,
        device=device,
    )
    return shown(request, pk)


@router.post("/requisitions/{int:pk}/reserve", response=RequisitionOut)
def reserve(request: HttpRequest, pk: Id, payload: ReserveIn) -> Row:
    actor = request_user(request)
    actions.reserve_for(_deciding(request, pk), _device(actor, payload.device), actor=actor)
    return shown(request, pk)


@router.post("/requisitions/{int:pk}/deliver", response=RequisitionOut)
def deliver(request: HttpRequest, pk: Id, payload: DeliverIn) -> Row:
    """The reserved device reaches the patient: it is lent as planned."""
    actor = request_user(request)
    requisition = _deciding(request, pk)
    companions = [_device(actor, serial) for serial in payload.companions]
    actions.deliver(
        requisition,
        actor=actor,
        companions=companions,
        manual_handed_over=payload.manual_handed_over,
        instruction_given=payload.instruction_given,
    )
    return shown(request, pk)


@router.get("/requisitions/{int:pk}/letter", openapi_extra=PDF_RESPONSE)
def letter(request: HttpRequest, pk: Id, lang: str = "") -> HttpResponse:
    """The decision letter (PDF); `lang` nb or da (default: the unit's country)."""
    requisition = _found(request, pk)
    if requisition.decided_at is None:
        raise HttpError(404, "Not Found")
    language = letters.letter_language(lang, country=requisition.country)
    log_read(requisition.patient, user=request_user(request), purpose=ReadPurpose.DECISION_LETTER)
    return HttpResponse(
        letters.decision_letter(requisition, language=language),
        content_type="application/pdf",
    )


@router.get("/requisitions/{int:pk}/journal-note", response=dict[str, str])
def journal_note(request: HttpRequest, pk: Id, lang: str = "") -> dict[str, str]:
    """The text the responsible physician records in the patient's record (U3)."""
    requisition = _found(request, pk)
    if requisition.decided_at is None:
        raise HttpError(404, "Not Found")
    language = letters.note_language(lang, country=requisition.country)
    log_read(requisition.patient, user=request_user(request), purpose=ReadPurpose.JOURNAL_NOTE)
    return {"language": language, "text": letters.journal_note(requisition, language=language)}
