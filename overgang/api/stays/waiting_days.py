"""Waiting days (R9): what each municipality pays in a month for patients ready to leave."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.auth import request_user
from overgang.api.inputs import MONTH_PATTERN, Id
from overgang.api.paging import Page, page
from overgang.api.reads import itself, read_list
from overgang.api.stays.common import _stay
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays import actions, waiting
from overgang.stays.models import ObjectionStatus, Stay, WaitingDayObjection
from overgang.stays.statement import statement_csv, statement_pdf

router = Router()


class WaitingFilter(Schema):
    month: str = Field(..., examples=["2026-11"], pattern=MONTH_PATTERN)


class ObjectionOut(Schema):
    id: int
    stay: int
    days: list[datetime.date]
    reason: str
    objected_at: datetime.datetime
    status: ObjectionStatus
    answer_reason: str
    answered_at: datetime.datetime | None


class WaitingLineOut(Schema):
    stay: int
    patient: int
    hospital: str
    days: list[datetime.date]
    amount_nok: str | None
    # Added for the statement the hospital invoices from (R9).
    patient_name: str = ""
    national_id: str = ""
    discharge_ready: datetime.date | None = None
    rate_nok: str | None = None
    removed_days: list[datetime.date] = []
    objections: list[ObjectionOut] = []


class WaitingOut(Schema):
    municipality: str
    month: str
    days: int
    amount_nok: str | None
    missing_rates: list[int]
    lines: list[WaitingLineOut]


@router.get("/waiting-days", response=list[WaitingOut])
def get_waiting_days(
    request: HttpRequest, filters: Query[WaitingFilter], paging: Query[Page]
) -> list[dict[str, object]]:
    """What each municipality pays for waiting days in a month (R9), per stay you can see;
    a page holds whole municipalities (each with all its lines), by name."""
    year, month = (int(part) for part in filters.month.split("-"))
    first, last = waiting.month_bounds(year, month)
    found = []
    # The statements are summed in Python from the month's stays: paged once made.
    statements = page(
        waiting.statements(Stay.objects.restrict(request_user(request), VIEW), first, last),
        paging,
    )
    read_list(
        request,
        [line.stay.patient_id for statement in statements for line in statement.lines],
        patient=itself,
    )
    for statement in statements:
        found.append(
            {
                "municipality": statement.municipality,
                "month": filters.month,
                "days": statement.days,
                "amount_nok": None if statement.missing_rates else str(statement.amount),
                "missing_rates": sorted(statement.missing_rates),
                "lines": [
                    {
                        "stay": line.stay.pk,
                        "patient": line.stay.patient_id,
                        "hospital": line.stay.hospital.key,
                        "days": list(line.days),
                        "amount_nok": None if line.amount is None else str(line.amount),
                        "patient_name": line.stay.patient.name,
                        "national_id": line.stay.patient.national_id,
                        "discharge_ready": line.stay.discharge_ready_at.astimezone(
                            ZoneInfo(line.stay.time_zone)
                        ).date()
                        if line.stay.discharge_ready_at
                        else None,
                        "rate_nok": None if line.rate is None else str(line.rate),
                        "removed_days": list(line.removed),
                        "objections": [objection_out(o) for o in line.objections],
                    }
                    for line in statement.lines
                ],
            }
        )
    return found


def objection_out(objection: WaitingDayObjection) -> dict[str, object]:
    return {
        "id": objection.pk,
        "stay": objection.stay_id,
        "days": objection.dates,
        "reason": objection.reason,
        "objected_at": objection.objected_at,
        "status": objection.status,
        "answer_reason": objection.answer_reason,
        "answered_at": objection.answered_at,
    }


STATEMENT_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The statement: CSV (semicolons, UTF-8) or PDF.",
            "content": {"text/csv": {}, "application/pdf": {}},
        }
    }
}


class StatementFilter(Schema):
    month: str = Field(..., examples=["2026-11"], pattern=MONTH_PATTERN)
    format: Literal["csv", "pdf"] = "csv"
    municipality: str | None = Field(
        None,
        examples=["levanger"],
        max_length=80,
        description="One municipality's statement (its organisation key): the one sent to it.",
    )


@router.get("/waiting-days/statement", openapi_extra=STATEMENT_RESPONSE)
def get_waiting_day_statement(
    request: HttpRequest, filters: Query[StatementFilter]
) -> HttpResponse:
    """The statement of a month's waiting days the hospital invoices from (R9), per
    municipality, as CSV or PDF in your language; an export of every patient on it."""
    year, month = (int(part) for part in filters.month.split("-"))
    first, last = waiting.month_bounds(year, month)
    if filters.municipality is not None and not waiting.is_municipality(filters.municipality):
        raise InvalidInput(
            {"municipality": f"No municipality has the key {filters.municipality!r}."}
        )
    statements = waiting.statements(
        Stay.objects.restrict(request_user(request), VIEW), first, last, filters.municipality
    )
    read_list(
        request,
        [line.stay.patient_id for statement in statements for line in statement.lines],
        patient=itself,
        purpose=ReadPurpose.EXPORT,
    )
    if filters.format == "pdf":
        return HttpResponse(
            statement_pdf(statements, filters.month), content_type="application/pdf"
        )
    return HttpResponse(statement_csv(statements), content_type="text/csv; charset=utf-8")


@router.get("/stays/{int:pk}/waiting-day-objections", response=list[ObjectionOut])
def list_objections(request: HttpRequest, pk: Id, paging: Query[Page]) -> list[dict[str, object]]:
    """The objections to the stay's waiting days, with the hospital's answers (R9)."""
    stay = _stay(request, pk)
    log_read(stay.patient, user=request_user(request), purpose=ReadPurpose.STAY)
    found = WaitingDayObjection.objects.filter(stay=stay).order_by("objected_at", "id")
    return [objection_out(o) for o in page(found, paging)]


class ObjectionIn(Schema):
    days: list[datetime.date] = Field(..., min_length=1, max_length=400)
    reason: str = Field(..., max_length=2000)


@router.post("/stays/{int:pk}/waiting-day-objections", response={201: ObjectionOut})
def post_objection(request: HttpRequest, pk: Id, payload: ObjectionIn) -> Status[dict[str, object]]:
    """The municipality objects to waiting days of the stay, with its reason (R9): a task
    for the hospital."""
    stay = _stay(request, pk, CHANGE)
    objection = actions.object_to_waiting_days(
        stay, payload.days, actor=request_user(request), reason=payload.reason
    )
    return Status(201, objection_out(objection))


class AnswerObjectionIn(Schema):
    accept: bool
    reason: str = Field("", max_length=2000)


@router.post("/waiting-day-objections/{int:pk}/answer", response=ObjectionOut)
def post_objection_answer(
    request: HttpRequest, pk: Id, payload: AnswerObjectionIn
) -> dict[str, object]:
    """The hospital accepts the objection (the days leave the statement) or rejects it with
    a reason (required); the municipality is told (R9)."""
    actor = request_user(request)
    objection = WaitingDayObjection.objects.restrict(actor, CHANGE).filter(pk=pk).first()
    if objection is None:
        raise HttpError(404, "Not Found")
    answered = actions.answer_objection(
        objection, actor=actor, accept=payload.accept, reason=payload.reason
    )
    return objection_out(answered)
