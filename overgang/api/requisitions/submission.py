"""Asking for a treatment aid (U1, U2): the loans the patient already has, submitting a
requisition, finding and withdrawing it. `POST /requisitions` is fixed by the contract."""

from __future__ import annotations

from operator import itemgetter
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids.models import AidType, Loan
from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.errors import ErrorOut
from overgang.api.inputs import Day, Id, Moment, max_length, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_list, read_one
from overgang.api.requisitions.common import LoanSeen, RequisitionOut, RequisitionRow, _found
from overgang.api.requisitions.shown import Row, requisition_out, requisition_rows, shown
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import DECIDE, VIEW, is_unrestricted
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import (
    may_decide,
    may_requisition,
    requesting_places,
)
from overgang.requisitions.models import Requisition
from overgang.requisitions.models.requisitions import Lymphoedema, Route
from overgang.requisitions.states import RequisitionStatus
from overgang.stays.models import Need, Stay

router = Router()


class RequisitionIn(Schema):
    patient: Id
    aid_type: str = Field(examples=["oxygen-concentrator"])
    requester_role: str = Field(
        examples=["specialist-physician", "gp", "physiotherapist"],
        description="requester.role of the rules: who may apply is the agreement's (U2).",
    )
    requester_name: str = Field(
        "",
        description="Empty: the name of the user registering it.",
        max_length=max_length(Requisition, "requester_name"),
    )
    justification: str = Field("", description="The clinical justification.")
    department: str = Field(
        "", description="Key of the requesting department; empty: the user's only one."
    )
    route: Annotated[str, one_of(Route, "")] = Field(
        "", examples=["inpatient", "outpatient"], description="Empty: by stay."
    )
    stay: Id | None = Field(None, description="The open stay of an inpatient requisition.")
    need: Id | None = Field(None, description="The stay's need the requisition answers.")
    phase: str = Field("", examples=["palliative"], description="need.phase; empty: the route.")
    lymphoedema: Annotated[str, one_of(Lymphoedema)] = Field("", examples=["primary", "secondary"])
    referred_by: str = Field(
        "",
        description="The GP who referred an outpatient.",
        max_length=max_length(Requisition, "referred_by"),
    )
    referred_on: Day | None = None
    conferred_with: str = Field(
        "",
        description="Whom in the specialist service a GP conferred with (palliative O2).",
        max_length=max_length(Requisition, "conferred_with"),
    )
    conferred_at: Moment | None = None


class WithdrawIn(Schema):
    reason: str


class RequisitionFilter(Schema):
    status: str = Field(
        "open", description="open (to assess, granted), to-assess, to-deliver, all, or a status"
    )
    patient: Id | None = None


def _department(actor: Any, key: str) -> Organisation | None:
    places = requesting_places(actor)
    if not key:
        if len(places) == 1:
            return places[0]
        raise InvalidInput({"department": "Name the requesting department by its key."})
    if is_unrestricted(actor):
        return Organisation.objects.filter(key=key).first()
    return next((p for p in places if p.key == key), None) or _no_department(key)


def _no_department(key: str) -> Organisation:
    raise InvalidInput({"department": f"You do not requisition for {key!r}."})


@router.get("/requisitions/existing-loans", response={200: list[LoanSeen], 404: ErrorOut})
def loans_before_asking(
    request: HttpRequest, patient: Id, aid_type: str, paging: Query[Page]
) -> list[Loan]:
    """The patient's active loans of this kind of aid (or of its parts): to see before
    requisitioning another."""
    actor = request_user(request)
    found = Patient.objects.restrict(actor, VIEW).filter(pk=patient).first()
    if found is None:
        raise HttpError(404, "Not Found")
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        raise InvalidInput({"aid_type": f"Unknown aid type: {aid_type}."}, where="query")
    log_read(found, user=actor, purpose=ReadPurpose.REQUISITION)
    return list(page(actions.existing_loans(found, kind).order_by("started_at", "id"), paging))


@router.post("/requisitions", response={201: RequisitionOut})
def submit(request: HttpRequest, payload: RequisitionIn) -> Status[Row]:
    """Requisition a treatment aid. 422 when the requester may not apply, citing the rule."""
    actor = request_user(request)
    if not may_requisition(actor):
        raise HttpError(403, "Clinicians of a department, practice or institution requisition.")
    patient = Patient.objects.restrict(actor, VIEW).filter(pk=payload.patient).first()
    if patient is None:
        raise InvalidInput({"patient": "No such patient among those you may see."})
    stay = None
    if payload.stay is not None:
        stay = Stay.objects.restrict(actor, VIEW).filter(pk=payload.stay).first()
        if stay is None:
            raise InvalidInput({"stay": "No such stay among those you may see."})
    need = None
    if payload.need is not None:
        need = Need.objects.filter(pk=payload.need, stay=stay).first() if stay else None
        if need is None:
            raise InvalidInput({"need": "No such need on that stay."})
    route = payload.route or ("inpatient" if stay is not None else "outpatient")
    submission = actions.RequisitionInput(
        patient=patient,
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
    requisition = actions.submit_requisition(submission, actor=actor)
    log_read(patient, user=actor, purpose=ReadPurpose.REQUISITION)
    return Status(201, shown(request, requisition.pk))


@router.get("/requisitions", response=list[RequisitionRow])
def list_requisitions(
    request: HttpRequest, filters: Query[RequisitionFilter], paging: Query[Page]
) -> list[Row]:
    """Requisitions you may see; the unit's worklists with to-assess and to-deliver."""
    actor = request_user(request)
    found = Requisition.objects.restrict(actor, VIEW)
    if filters.status == "open":
        found = found.filter(status__in=sorted(RequisitionStatus.OPEN))
    elif filters.status == "to-assess":
        found = Requisition.objects.restrict(actor, DECIDE).filter(
            status__in=sorted(RequisitionStatus.TO_DECIDE)
        )
    elif filters.status == "to-deliver":
        found = (
            Requisition.objects.restrict(actor, DECIDE)
            .filter(status=RequisitionStatus.GRANTED)
            .order_by("deliver_by", "id")
        )
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    if filters.patient is not None:
        found = found.filter(patient=filters.patient)
    if filters.status != "to-deliver":
        found = found.order_by("submitted_at", "id")
    rows = requisition_rows(page(found, paging))
    return read_list(request, rows, patient=itemgetter("patient_id"))


@router.get("/requisitions/{int:pk}", response=RequisitionOut)
def get_requisition(request: HttpRequest, pk: Id) -> HttpResponse:
    requisition = shown(request, pk)
    read_one(request, requisition["patient_id"], ReadPurpose.REQUISITION, what="")
    # Answered as RequisitionOut dumps it, without ninja validating it again (see
    # overgang.api.answers); tests hold the two equal.
    return answer(requisition_out(requisition))


@router.post("/requisitions/{int:pk}/withdraw", response=RequisitionOut)
def withdraw(request: HttpRequest, pk: Id, payload: WithdrawIn) -> Row:
    actor = request_user(request)
    requisition = _found(request, pk)
    if not may_decide(actor, requisition) and requisition.submitted_by_id != actor.pk:
        raise HttpError(404, "Not Found")
    actions.withdraw_requisition(requisition, actor=actor, reason=payload.reason)
    return shown(request, pk)
