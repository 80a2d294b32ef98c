"""Requisitions of treatment aids (U1–U3), their decisions and appeals.

`POST /requisitions` and `POST /requisitions/{id}/decision` are fixed by contracts/api.md;
the rest (assessment, reservation, delivery, withdrawal, appeals, letters) is added here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids.access import managed_by_serial
from overgang.aids.models import AidType, Loan
from overgang.api.auth import request_user
from overgang.audit.history import log_read
from overgang.errors import InvalidInput
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions, letters
from overgang.requisitions.access import (
    decided_by_user,
    may_decide,
    may_requisition,
    requesting_places,
    visible_appeals,
    visible_requisitions,
)
from overgang.requisitions.models import Appeal, AppealStatus, Requisition
from overgang.requisitions.states import RequisitionStatus
from overgang.stays.access import visible_stays
from overgang.stays.models import Need

router = Router(tags=["requisitions"])
PDF_RESPONSE: dict[str, Any] = {"responses": {200: {"content": {"application/pdf": {}}}}}


class RequisitionIn(Schema):
    patient: int
    aid_type: str = Field(examples=["oxygen-concentrator"])
    requester_role: str = Field(
        examples=["specialist-physician", "gp", "physiotherapist"],
        description="requester.role of the rules: who may apply is the agreement's (U2).",
    )
    requester_name: str = Field("", description="Empty: the name of the user registering it.")
    justification: str = Field("", description="The clinical justification.")
    department: str = Field(
        "", description="Key of the requesting department; empty: the user's only one."
    )
    route: str = Field("", examples=["inpatient", "outpatient"], description="Empty: by stay.")
    stay: int | None = Field(None, description="The open stay of an inpatient requisition.")
    need: int | None = Field(None, description="The stay's need the requisition answers.")
    phase: str = Field("", examples=["palliative"], description="need.phase; empty: the route.")
    lymphoedema: str = Field("", examples=["primary", "secondary"])
    referred_by: str = Field("", description="The GP who referred an outpatient.")
    referred_on: datetime.date | None = None
    conferred_with: str = Field(
        "", description="Whom in the specialist service a GP conferred with (palliative O2)."
    )
    conferred_at: datetime.datetime | None = None


class LoanSeen(Schema):
    id: int
    serial: str = Field(alias="device.serial")
    aid_type: str = Field(alias="device.aid_type.slug")
    owner: str = Field(alias="device.owner.key")
    started_at: datetime.datetime


class AppealRoute(Schema):
    body: str
    basis: str
    decision_basis: str
    cites: list[str]


class AppealOut(Schema):
    id: int
    requisition: int = Field(alias="requisition_id")
    appellant: str
    appellant_name: str
    grounds: str
    received_on: datetime.date
    body: str
    status: str = Field(examples=AppealStatus.values)
    forwarded_on: datetime.date | None
    outcome: str
    decided_on: datetime.date | None


class RequisitionRow(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    route: str
    stay: int | None = Field(alias="stay_id")
    need: int | None = Field(alias="need_id")
    aid_type: str = Field(alias="aid_type.slug")
    justification: str
    phase: str
    lymphoedema: str
    requester_name: str
    requester_role: str
    department: str = Field(alias="department.key")
    referred_by: str
    referred_on: datetime.date | None
    conferred_with: str
    conferred_at: datetime.datetime | None
    agreement: str
    reason: str = Field(description="Why the requester may apply, in the request's language.")
    reasons: dict[str, str]
    cites: list[str]
    unit: str = Field(alias="unit.key")
    status: str = Field(
        examples=["submitted", "assessing", "granted", "refused", "delivered", "withdrawn"]
    )
    submitted_at: datetime.datetime
    assessment: str
    decision_reason: str
    decided_at: datetime.datetime | None
    delivery: str = Field(examples=["at-discharge", "send", "hand-out"])
    deliver_by: datetime.date | None
    device: str | None = Field(None, description="Serial number of the reserved device.")
    loan: int | None = Field(alias="loan_id")
    delivered_at: datetime.datetime | None
    reopened: int
    appeal: AppealRoute = Field(description="Where a refusal is appealed; the legal basis.")
    appeals: list[AppealOut]

    @staticmethod
    def resolve_device(obj: Requisition) -> str | None:
        return obj.device.serial if obj.device else None

    @staticmethod
    def resolve_appeal(obj: Requisition) -> dict[str, Any]:
        return actions.appeal_for(obj)


class RequisitionOut(RequisitionRow):
    existing_loans: list[LoanSeen] = Field(
        description="The patient's active loans of the same kind, to see before asking again."
    )

    @staticmethod
    def resolve_existing_loans(obj: Requisition) -> list[Loan]:
        return list(actions.existing_loans(obj.patient, obj.aid_type))


class DecisionIn(Schema):
    approved: bool
    reason: str = ""
    delivery: str = Field("", examples=["at-discharge", "send", "hand-out"])
    deliver_by: datetime.date | None = None
    device: str = Field("", description="Serial number of a device to reserve.")


class AssessIn(Schema):
    note: str = ""


class ReserveIn(Schema):
    device: str


class DeliverIn(Schema):
    companions: list[str] = Field(default_factory=list)
    manual_handed_over: bool = False
    instruction_given: bool = False


class WithdrawIn(Schema):
    reason: str


class AppealIn(Schema):
    appellant: str = Field(examples=["patient", "relative", "guardian"])
    appellant_name: str = ""
    grounds: str
    received_on: datetime.date | None = None


class ForwardIn(Schema):
    forwarded_on: datetime.date | None = None


class OutcomeIn(Schema):
    upheld: bool
    outcome: str
    decided_on: datetime.date | None = None


class RequisitionFilter(Schema):
    status: str = Field(
        "open", description="open (to assess, granted), to-assess, to-deliver, all, or a status"
    )
    patient: int | None = None


def _found(request: HttpRequest, pk: int) -> Requisition:
    found = (
        visible_requisitions(request_user(request))
        .select_related("aid_type", "department", "unit", "device", "patient")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


def _deciding(request: HttpRequest, pk: int) -> Requisition:
    requisition = _found(request, pk)
    if not may_decide(request_user(request), requisition):
        raise HttpError(404, "Not Found")
    return requisition


def _department(actor: Any, key: str) -> Organisation | None:
    places = requesting_places(actor)
    if not key:
        if len(places) == 1:
            return places[0]
        raise InvalidInput({"department": "Name the requesting department by its key."})
    if getattr(actor, "is_superuser", False):
        return Organisation.objects.filter(key=key).first()
    return next((p for p in places if p.key == key), None) or _no_department(key)


def _no_department(key: str) -> Organisation:
    raise InvalidInput({"department": f"You do not requisition for {key!r}."})


def _device(actor: Any, serial: str) -> Any:
    found, missing = managed_by_serial(actor, [serial])
    if missing:
        raise InvalidInput({"device": f"No device of your unit has the serial number {serial}."})
    return found[0]


@router.get("/requisitions/existing-loans", response=list[LoanSeen])
def loans_before_asking(request: HttpRequest, patient: int, aid_type: str) -> list[Loan]:
    """The patient's active loans of this kind of aid (or of its parts): to see before
    requisitioning another."""
    actor = request_user(request)
    found = Patient.objects.restrict(actor, VIEW).filter(pk=patient).first()
    if found is None:
        raise HttpError(404, "Not Found")
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        raise InvalidInput({"aid_type": f"Unknown aid type: {aid_type}."}, where="query")
    log_read(found, user=actor, purpose="requisition")
    return list(actions.existing_loans(found, kind))


@router.post("/requisitions", response={201: RequisitionOut})
def submit(request: HttpRequest, payload: RequisitionIn) -> Status[Requisition]:
    """Requisition a treatment aid. 422 when the requester may not apply, citing the rule."""
    actor = request_user(request)
    if not may_requisition(actor):
        raise HttpError(403, "Clinicians of a department, practice or institution requisition.")
    patient = Patient.objects.restrict(actor, VIEW).filter(pk=payload.patient).first()
    if patient is None:
        raise InvalidInput({"patient": "No such patient among those you may see."})
    stay = None
    if payload.stay is not None:
        stay = visible_stays(actor).filter(pk=payload.stay).first()
        if stay is None:
            raise InvalidInput({"stay": "No such stay among those you may see."})
    need = None
    if payload.need is not None:
        need = Need.objects.filter(pk=payload.need, stay=stay).first() if stay else None
        if need is None:
            raise InvalidInput({"need": "No such need on that stay."})
    route = payload.route or ("inpatient" if stay is not None else "outpatient")
    requisition = actions.submit_requisition(
        patient,
        actor=actor,
        aid_type=payload.aid_type,
        justification=payload.justification,
        requester_role=payload.requester_role,
        requester_name=payload.requester_name or actor.get_full_name() or actor.get_username(),
        department=_department(actor, payload.department),
        route=route,
        stay=stay,
        need=need,
        phase=payload.phase,
        lymphoedema=payload.lymphoedema,
        referred_by=payload.referred_by,
        referred_on=payload.referred_on,
        conferred_with=payload.conferred_with,
        conferred_at=payload.conferred_at,
    )
    log_read(patient, user=actor, purpose="requisition")
    return Status(201, _found(request, requisition.pk))


@router.get("/requisitions", response=list[RequisitionRow])
def list_requisitions(
    request: HttpRequest, filters: Query[RequisitionFilter]
) -> QuerySet[Requisition]:
    """Requisitions you may see; the unit's worklists with to-assess and to-deliver."""
    actor = request_user(request)
    found = visible_requisitions(actor)
    if filters.status == "open":
        found = found.filter(status__in=sorted(RequisitionStatus.OPEN))
    elif filters.status == "to-assess":
        found = decided_by_user(actor).filter(status__in=sorted(RequisitionStatus.TO_DECIDE))
    elif filters.status == "to-deliver":
        found = (
            decided_by_user(actor).filter(status=RequisitionStatus.GRANTED).order_by("deliver_by")
        )
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    if filters.patient is not None:
        found = found.filter(patient=filters.patient)
    found = found.select_related("aid_type", "department", "unit", "device").prefetch_related(
        "appeals"
    )
    if filters.status != "to-deliver":
        found = found.order_by("submitted_at", "id")
    return found


@router.get("/requisitions/{int:pk}", response=RequisitionOut)
def get_requisition(request: HttpRequest, pk: int) -> Requisition:
    requisition = _found(request, pk)
    log_read(requisition.patient, user=request_user(request), purpose="requisition")
    return requisition


@router.post("/requisitions/{int:pk}/assess", response=RequisitionOut)
def assess(request: HttpRequest, pk: int, payload: AssessIn) -> Requisition:
    """The unit takes the requisition up for assessment."""
    actions.start_assessment(_deciding(request, pk), actor=request_user(request), note=payload.note)
    return _found(request, pk)


@router.post("/requisitions/{int:pk}/decision", response=RequisitionOut)
def decision(request: HttpRequest, pk: int, payload: DecisionIn) -> Requisition:
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
    return _found(request, pk)


@router.post("/requisitions/{int:pk}/reserve", response=RequisitionOut)
def reserve(request: HttpRequest, pk: int, payload: ReserveIn) -> Requisition:
    actor = request_user(request)
    actions.reserve_for(_deciding(request, pk), _device(actor, payload.device), actor=actor)
    return _found(request, pk)


@router.post("/requisitions/{int:pk}/deliver", response=RequisitionOut)
def deliver(request: HttpRequest, pk: int, payload: DeliverIn) -> Requisition:
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
    return _found(request, pk)


@router.post("/requisitions/{int:pk}/withdraw", response=RequisitionOut)
def withdraw(request: HttpRequest, pk: int, payload: WithdrawIn) -> Requisition:
    actor = request_user(request)
    requisition = _found(request, pk)
    if not may_decide(actor, requisition) and requisition.submitted_by_id != actor.pk:
        raise HttpError(404, "Not Found")
    actions.withdraw_requisition(requisition, actor=actor, reason=payload.reason)
    return _found(request, pk)


@router.get("/requisitions/{int:pk}/letter", openapi_extra=PDF_RESPONSE)
def letter(request: HttpRequest, pk: int, lang: str = "") -> HttpResponse:
    """The decision letter (PDF); `lang` nb or da (default: the unit's country)."""
    requisition = _found(request, pk)
    if requisition.decided_at is None:
        raise HttpError(404, "Not Found")
    language = letters.letter_language(lang, country=requisition.country)
    log_read(requisition.patient, user=request_user(request), purpose="decision letter")
    return HttpResponse(
        letters.decision_letter(requisition, language=language),
        content_type="application/pdf",
    )


@router.get("/requisitions/{int:pk}/journal-note", response=dict[str, str])
def journal_note(request: HttpRequest, pk: int, lang: str = "") -> dict[str, str]:
    """The text the responsible physician records in the patient's record (U3)."""
    requisition = _found(request, pk)
    if requisition.decided_at is None:
        raise HttpError(404, "Not Found")
    language = letters.note_language(lang, country=requisition.country)
    return {"language": language, "text": letters.journal_note(requisition, language=language)}


@router.post("/requisitions/{int:pk}/appeals", response={201: AppealOut})
def register_appeal(request: HttpRequest, pk: int, payload: AppealIn) -> Status[Appeal]:
    """Register an appeal of a refusal (the unit receives it)."""
    actor = request_user(request)
    appeal = actions.register_appeal(
        _deciding(request, pk),
        actor=actor,
        appellant=payload.appellant,
        appellant_name=payload.appellant_name,
        grounds=payload.grounds,
        received_on=payload.received_on,
    )
    return Status(201, appeal)


def _appeal(request: HttpRequest, pk: int) -> Appeal:
    actor = request_user(request)
    found = visible_appeals(actor).select_related("requisition").filter(pk=pk).first()
    if found is None or not may_decide(actor, found.requisition):
        raise HttpError(404, "Not Found")
    return found


@router.get("/appeals/{int:pk}", response=AppealOut)
def get_appeal(request: HttpRequest, pk: int) -> Appeal:
    found = visible_appeals(request_user(request)).filter(pk=pk).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.post("/appeals/{int:pk}/forward", response=AppealOut)
def forward_appeal(request: HttpRequest, pk: int, payload: ForwardIn) -> Appeal:
    """Keep the refusal and send the appeal on to the appeal body."""
    return actions.forward_appeal(
        _appeal(request, pk), actor=request_user(request), forwarded_on=payload.forwarded_on
    )


@router.post("/appeals/{int:pk}/outcome", response=AppealOut)
def record_outcome(request: HttpRequest, pk: int, payload: OutcomeIn) -> Appeal:
    """Upheld: the requisition is assessed again. Dismissed: the refusal stands."""
    return actions.record_outcome(
        _appeal(request, pk),
        actor=request_user(request),
        upheld=payload.upheld,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
    )


@router.post("/appeals/{int:pk}/withdraw", response=AppealOut)
def withdraw_appeal(request: HttpRequest, pk: int) -> Appeal:
    return actions.withdraw_appeal(_appeal(request, pk), actor=request_user(request))
