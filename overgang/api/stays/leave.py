"""Trial discharges and leave from a stay (N5): plan one, start and end it (on a Danish stay
the hospital's start-leave / end-leave goes to the municipality), cancel it, and record the
aids that went home for it, on the weekday the agreement asks."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids.models import Loan
from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id, Moment, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_one
from overgang.api.stays.common import _stay
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.i18n import current_language
from overgang.organisations.permissions import CHANGE
from overgang.stays.actions import leave as writers
from overgang.stays.models import LeaveAid, LeavePeriod, Need, Stay
from overgang.stays.models.leave import LeaveException, LeaveKind, LeaveStatus

router = Router()


class LeaveIn(Schema):
    kind: Annotated[str, one_of(LeaveKind)] = Field(examples=["trial-discharge", "leave"])
    planned_start: Moment
    planned_end: Moment | None = None
    exception: Annotated[str, one_of(LeaveException)] = Field(
        "",
        description="A case the agreement takes out of its weekday and notice rules "
        "(Nordjylland: housing-change, very-specialised-aid); the reason is required.",
        examples=["", "housing-change", "very-specialised-aid"],
    )
    exception_reason: str = Field("", max_length=2000)


class WhenIn(Schema):
    at: Moment | None = Field(None, description="When; empty: now.")


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


class LeaveAidIn(Schema):
    handed_out_on: Day
    loan: Id | None = Field(None, description="A loan of the patient's; or give need.")
    need: Id | None = Field(None, description="An aid need of the stay; or give loan.")


class LeaveAidOut(Schema):
    id: int
    loan: int | None
    need: int | None
    handed_out_on: datetime.date


class LeaveOut(Schema):
    id: int
    kind: LeaveKind
    status: LeaveStatus
    planned_start: datetime.datetime
    planned_end: datetime.datetime | None
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    exception: LeaveException
    exception_reason: str
    hand_out_by: datetime.date | None = Field(
        description="The last day the aids may be handed out (a weekday, not after the start); "
        "null: the agreement sets no day, or the period is one of its exceptions."
    )
    rule: str = Field(description="What the patient's agreement says of leave; empty: nothing.")
    cites: list[str]
    aids: list[LeaveAidOut]


def leave_out(period: LeavePeriod) -> dict[str, object]:
    rules = writers.leave_rules(period.stay)
    return {
        "id": period.pk,
        "kind": period.kind,
        "status": period.status,
        "planned_start": period.planned_start,
        "planned_end": period.planned_end,
        "started_at": period.started_at,
        "ended_at": period.ended_at,
        "exception": period.exception,
        "exception_reason": period.exception_reason,
        "hand_out_by": writers.latest_handout(period),
        "rule": rules.text.get(current_language(), "") if rules.said else "",
        "cites": list(rules.cites),
        "aids": [
            _aid_out(a)
            for a in LeaveAid.objects.filter(period=period).order_by("handed_out_on", "id")
        ],
    }


def _aid_out(aid: LeaveAid) -> dict[str, object]:
    return {
        "id": aid.pk,
        "loan": aid.loan_id,
        "need": aid.need_id,
        "handed_out_on": aid.handed_out_on,
    }


def _period(stay: Stay, leave_pk: int) -> LeavePeriod:
    period = LeavePeriod.objects.filter(stay=stay, pk=leave_pk).first()
    if period is None:
        raise HttpError(404, "Not Found")
    period.stay = stay
    return period


@router.post("/stays/{int:pk}/leaves", response={201: LeaveOut})
def post_leave(request: HttpRequest, pk: Id, payload: LeaveIn) -> Status[dict[str, object]]:
    """Plan a trial discharge or a leave (N5). Where the agreement has leave rules, the final
    care plan and the hand-out of aids go on the worklists, due as before a discharge."""
    stay = _stay(request, pk, CHANGE)
    period = writers.plan_leave(
        stay,
        actor=request_user(request),
        kind=payload.kind,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
        exception=payload.exception,
        exception_reason=payload.exception_reason,
    )
    return Status(201, leave_out(period))


@router.get("/stays/{int:pk}/leaves", response=list[LeaveOut])
def list_leaves(request: HttpRequest, pk: Id, paging: Query[Page]) -> list[dict[str, object]]:
    stay = _stay(request, pk)
    read_one(request, stay.patient_id, ReadPurpose.STAY, what=f"stay {stay.pk} leaves")
    periods = list(
        page(LeavePeriod.objects.filter(stay=stay).order_by("planned_start", "id"), paging)
    )
    for period in periods:
        period.stay = stay
    return [leave_out(p) for p in periods]


@router.post("/stays/{int:pk}/leaves/{int:leave_pk}/start", response=LeaveOut)
def post_leave_start(
    request: HttpRequest, pk: Id, leave_pk: Id, payload: WhenIn
) -> dict[str, object]:
    """The patient has gone home; on a Danish stay the start-leave notification is sent."""
    stay = _stay(request, pk, CHANGE)
    period = writers.start_leave(
        _period(stay, leave_pk), actor=request_user(request), at=payload.at
    )
    return leave_out(period)


@router.post("/stays/{int:pk}/leaves/{int:leave_pk}/end", response=LeaveOut)
def post_leave_end(
    request: HttpRequest, pk: Id, leave_pk: Id, payload: WhenIn
) -> dict[str, object]:
    """The patient is back; on a Danish stay the end-leave notification is sent."""
    stay = _stay(request, pk, CHANGE)
    period = writers.end_leave(_period(stay, leave_pk), actor=request_user(request), at=payload.at)
    return leave_out(period)


@router.post("/stays/{int:pk}/leaves/{int:leave_pk}/cancel", response=LeaveOut)
def post_leave_cancel(
    request: HttpRequest, pk: Id, leave_pk: Id, payload: ReasonIn
) -> dict[str, object]:
    """A planned leave will not happen; its duties are withdrawn."""
    stay = _stay(request, pk, CHANGE)
    period = writers.cancel_leave(
        _period(stay, leave_pk), actor=request_user(request), reason=payload.reason
    )
    return leave_out(period)


@router.post("/stays/{int:pk}/leaves/{int:leave_pk}/aids", response={201: LeaveAidOut})
def post_leave_aid(
    request: HttpRequest, pk: Id, leave_pk: Id, payload: LeaveAidIn
) -> Status[dict[str, object]]:
    """An aid went home for the leave, handed out on a weekday no later than the start
    (unless the period is one of the agreement's exceptions): 422 on `handed_out_on`."""
    stay = _stay(request, pk, CHANGE)
    period = _period(stay, leave_pk)
    if (payload.loan is None) == (payload.need is None):
        raise InvalidInput({"loan": "Give a loan or a need, one of them."})
    loan = need = None
    if payload.loan is not None:
        loan = Loan.objects.filter(pk=payload.loan, patient=stay.patient_id).first()
        if loan is None:
            raise InvalidInput({"loan": "No such loan of this patient."})
    if payload.need is not None:
        need = Need.objects.filter(pk=payload.need, stay=stay).first()
        if need is None:
            raise InvalidInput({"need": "No such need on this stay."})
    aid = writers.hand_out_for_leave(
        period,
        actor=request_user(request),
        handed_out_on=payload.handed_out_on,
        loan=loan,
        need=need,
    )
    return Status(201, _aid_out(aid))
