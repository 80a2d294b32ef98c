"""A stay's needs (H1, H4) with the tasks they open and the loan that meets one. (The
training given before the patient goes home: api/stays/training.py.)"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang import clock
from overgang.aids.models import Loan
from overgang.api.auth import request_user
from overgang.api.inputs import Id, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_one
from overgang.api.stays.common import _stay, deadline_out
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import CHANGE
from overgang.rules.nav import nav_application
from overgang.stays import actions
from overgang.stays.models import Need
from overgang.stays.models.needs import Duration, NeedKind, NeedStatus

router = Router()


class NeedIn(Schema):
    kind: Annotated[str, one_of(NeedKind)] = Field(examples=["aid", "function"])
    description: str
    own_part: str = Field("", description="What the patient and relatives do themselves (H1).")
    aid_type: str = Field("", examples=["cpap", "wheelchair"])
    duration: Annotated[str, one_of(Duration)] = Field(
        "unknown", examples=["short", "long", "unknown"]
    )
    purpose: str = Field(
        "",
        description="What the aid is for (need.purpose of the rules), one of the purposes "
        "the stay's agreement names; required for an aid that is not a "
        "treatment aid where the agreement names purposes (N2).",
        examples=["rehabilitation", "lasting-function-loss"],
    )
    needed_for_journey_home: bool = False


class TaskOut(Schema):
    id: int
    duty: str
    party: str
    holder: str
    due: datetime.datetime | None
    done_at: datetime.datetime | None
    status: str
    cites: list[str]


class NeedOut(Schema):
    id: int
    kind: NeedKind
    description: str
    own_part: str
    aid_type: str | None
    duration: Duration
    purpose: str
    status: NeedStatus
    loan: int | None
    notes: list[str]
    tasks: list[TaskOut]
    nav_applicant: str | None = Field(
        None,
        description="Who the agreement has apply to NAV for this need (municipality, "
        "hospital); null: NAV does not deliver it.",
    )


def need_out(need: Need) -> dict[str, object]:
    now = clock.now()
    return {
        "id": need.pk,
        "kind": need.kind,
        "description": need.description,
        "own_part": need.own_part,
        "aid_type": need.aid_type.slug if need.aid_type else None,
        "duration": need.duration,
        "purpose": need.purpose,
        "status": need.status,
        "loan": need.loan_id,
        "notes": need.agreement_notes,
        "nav_applicant": route.applicant if (route := nav_application(need.decision)) else None,
        "tasks": [
            deadline_out(d, now)
            for d in need.tasks.select_related("holder", "stay", "need__aid_type").order_by("id")
        ],
    }


@router.post("/stays/{int:pk}/needs", response={201: NeedOut})
def post_need(request: HttpRequest, pk: Id, payload: NeedIn) -> Status[dict[str, object]]:
    """A functional difficulty or an aid the patient will need (H1, H4): an aid need gives each
    party the agreement names its task."""
    stay = _stay(request, pk, CHANGE)
    need = actions.record_need(
        stay,
        actor=request_user(request),
        kind=payload.kind,
        description=payload.description,
        own_part=payload.own_part,
        aid_type=payload.aid_type,
        duration=payload.duration,
        purpose=payload.purpose,
        needed_for_journey_home=payload.needed_for_journey_home,
    )
    return Status(201, need_out(need))


@router.get("/stays/{int:pk}/needs", response=list[NeedOut])
def list_needs(request: HttpRequest, pk: Id, paging: Query[Page]) -> list[dict[str, object]]:
    stay = _stay(request, pk)
    read_one(request, stay.patient_id, ReadPurpose.NEEDS, what=f"stay {stay.pk}")
    found = Need.objects.filter(stay=stay).select_related("aid_type").order_by("recorded_at", "id")
    return [need_out(n) for n in page(found, paging)]


class LinkIn(Schema):
    loan: Id


@router.post("/stays/{int:pk}/needs/{int:need_pk}/loan", response=NeedOut)
def link_need(request: HttpRequest, pk: Id, need_pk: Id, payload: LinkIn) -> dict[str, object]:
    """The patient's loan of the aid fulfils the need and its delivery."""
    stay = _stay(request, pk, CHANGE)
    need = Need.objects.filter(stay=stay, pk=need_pk).first()
    if need is None:
        raise HttpError(404, "Not Found")
    loan = Loan.objects.filter(pk=payload.loan, patient=stay.patient_id).first()
    if loan is None:
        raise InvalidInput({"loan": "No such loan of this patient."})
    actions.link_loan(need, loan, actor=request_user(request))
    need.refresh_from_db()
    return need_out(need)
