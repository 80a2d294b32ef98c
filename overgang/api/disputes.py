"""Disputes about who pays or delivers (N13, 003 8): registered with the party closest to
the citizen named at once; the delivery, escalation and settlement."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id, checked_one_of, max_length, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_list, read_one
from overgang.api.rows import BY_PATIENT_ID, Row, schema_rows, value_rows
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.i18n import current_language
from overgang.network import actions as network_actions
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import may_act_in_dispute
from overgang.requisitions.models import Dispute, DisputeStatus, Requisition
from overgang.requisitions.models.disputes import Level, Party, Payer, Question

router = Router(tags=["disputes"])


class DisputeIn(Schema):
    patient: Id
    aid_type: str
    question: Annotated[str, one_of(Question)] = Field(examples=["who-pays", "who-delivers"])
    description: str
    hospital: str = Field(description="Key of the hospital department.")
    municipality: str = Field(description="Key of the municipal allocation.")
    requisition: Id | None = None


class DisputeOut(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    aid_type: str = Field(alias="aid_type.slug")
    requisition: int | None = Field(alias="requisition_id")
    question: Question
    description: str
    hospital: str = Field(alias="hospital.key")
    municipality: str = Field(alias="municipality.key")
    agreement: str
    closest: Party = Field(description="Who delivers at once: hospital or municipality.")
    closest_reason: str = ""
    cites: list[str]
    delivered_on: datetime.date | None
    delivery_note: str
    level: Level = Field(examples=["lowest", "contact-committee", "network-group"])
    status: DisputeStatus = Field(examples=DisputeStatus.values)
    escalation_note: str
    payer: Payer | Literal[""]
    settlement: str
    settled_on: datetime.date | None
    raised_at: datetime.datetime

    @staticmethod
    def resolve_closest_reason(obj: Dispute | Row) -> str:
        reasons = obj["closest_reasons"] if isinstance(obj, dict) else obj.closest_reasons
        return str(reasons.get(current_language("en"), ""))


# A listed dispute's columns, keyed as DisputeOut reads them (see overgang.api.rows).
LISTED = {
    **{name: name for name in ("id", "patient_id", "requisition_id", "question")},
    **{"aid_type.slug": "aid_type__slug", "description": "description"},
    **{"hospital.key": "hospital__key", "municipality.key": "municipality__key"},
    **{name: name for name in ("agreement", "closest", "closest_reasons", "cites")},
    **{name: name for name in ("delivered_on", "delivery_note", "level", "status")},
    **{name: name for name in ("escalation_note", "payer", "settlement", "settled_on")},
    "raised_at": "raised_at",
}


class DisputeDeliveryIn(Schema):
    note: str = Field(max_length=max_length(Dispute, "delivery_note"))
    delivered_on: Day | None = None


class EscalateIn(Schema):
    note: str


class SettleIn(Schema):
    payer: Annotated[str, one_of(Payer)] = Field(examples=["hospital", "municipality", "shared"])
    settlement: str
    settled_on: Day | None = None


class DisputeFilter(Schema):
    status: Annotated[
        str, one_of(DisputeStatus, "open", "all"), checked_one_of(DisputeStatus, "open", "all")
    ] = Field("open", description="open (open or escalated), all, or a status")


def _found(request: HttpRequest, pk: int) -> Dispute:
    found = (
        Dispute.objects.restrict(request_user(request), VIEW)
        .select_related("aid_type", "hospital", "municipality")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


def _party(request: HttpRequest, pk: int) -> Dispute:
    dispute = _found(request, pk)
    if not may_act_in_dispute(request_user(request), dispute):
        raise HttpError(404, "Not Found")
    return dispute


@router.post("/disputes", response={201: DisputeOut})
def raise_dispute(request: HttpRequest, payload: DisputeIn) -> Status[Dispute]:
    """Register a disagreement; the answer names the party that delivers at once."""
    actor = request_user(request)
    if not may_act_in_dispute(actor):
        raise HttpError(403, "The hospital's or the municipality's staff register disputes.")
    patient = Patient.objects.restrict(actor, VIEW).filter(pk=payload.patient).first()
    if patient is None:
        raise InvalidInput({"patient": "No such patient among those you may see."})
    requisition = None
    if payload.requisition is not None:
        requisition = (
            Requisition.objects.restrict(actor, VIEW).filter(pk=payload.requisition).first()
        )
        if requisition is None:
            raise InvalidInput({"requisition": "No such requisition among those you may see."})
    dispute = actions.raise_dispute(
        patient,
        actor=actor,
        aid_type=payload.aid_type,
        question=payload.question,
        description=payload.description,
        hospital=Organisation.objects.filter(key=payload.hospital).first(),
        municipality=Organisation.objects.filter(key=payload.municipality).first(),
        requisition=requisition,
    )
    return Status(201, _found(request, dispute.pk))


@router.get("/disputes", response=list[DisputeOut])
def list_disputes(
    request: HttpRequest, filters: Query[DisputeFilter], paging: Query[Page]
) -> HttpResponse:
    found = Dispute.objects.restrict(request_user(request), VIEW)
    if filters.status == "open":
        found = found.exclude(status=DisputeStatus.SETTLED)
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    rows = value_rows(page(found.order_by("raised_at", "id"), paging), LISTED)
    return answer(schema_rows(DisputeOut, read_list(request, rows, patient=BY_PATIENT_ID)))


@router.get("/disputes/{int:pk}", response=DisputeOut)
def get_dispute(request: HttpRequest, pk: Id) -> Dispute:
    found = _found(request, pk)
    read_one(request, found.patient_id, ReadPurpose.DISPUTE, what=f"dispute {found.pk}")
    return found


@router.post("/disputes/{int:pk}/delivery", response=DisputeOut)
def delivery(request: HttpRequest, pk: Id, payload: DisputeDeliveryIn) -> Dispute:
    actions.record_dispute_delivery(
        _party(request, pk),
        actor=request_user(request),
        note=payload.note,
        delivered_on=payload.delivered_on,
    )
    return _found(request, pk)


@router.post("/disputes/{int:pk}/escalate", response=DisputeOut)
def escalate(request: HttpRequest, pk: Id, payload: EscalateIn) -> Dispute:
    # Through the network group's writer: reaching the group puts the question in its queue.
    network_actions.escalate_dispute(
        _party(request, pk), actor=request_user(request), note=payload.note
    )
    return _found(request, pk)


@router.post("/disputes/{int:pk}/settle", response=DisputeOut)
def settle(request: HttpRequest, pk: Id, payload: SettleIn) -> Dispute:
    actions.settle(
        _party(request, pk),
        actor=request_user(request),
        payer=payload.payer,
        settlement=payload.settlement,
        settled_on=payload.settled_on,
    )
    return _found(request, pk)
