"""Returns (O8): report lent devices for return, agree the pickup, cancel. Checking a device
in (POST /loans/{id}/return) closes the return once all its devices are back."""

from __future__ import annotations

import datetime
from operator import itemgetter
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids import actions
from overgang.aids.models import OPEN_RETURNS, Loan, ReturnRequest, ReturnStatus
from overgang.aids.models.returns import ReportedFor, ReturnMethod
from overgang.api.auth import request_user
from overgang.api.inputs import Id, Moment, checked_one_of, max_length, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_list, read_one
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW

router = Router(tags=["returns"])


class ReturnIn(Schema):
    loans: list[Id] = Field(description="Ids of the active loans to return (one patient).")
    method: Annotated[str, one_of(ReturnMethod)] = Field(examples=["pickup", "drop-off"])
    reported_for: Annotated[str, one_of(ReportedFor)] = Field(
        examples=["municipality", "patient", "relative", "unit"]
    )
    contact_name: str = Field("", max_length=max_length(ReturnRequest, "contact_name"))
    contact_phone: str = Field(
        "",
        description="Needed for a pickup.",
        max_length=max_length(ReturnRequest, "contact_phone"),
    )
    address: str = Field(
        "",
        description="Pickup address; default: where the devices are.",
        max_length=max_length(ReturnRequest, "address"),
    )
    note: str = ""


class ScheduleIn(Schema):
    appointment: Moment = Field(description="ISO 8601 with offset.")
    note: str = ""


class CancelIn(Schema):
    reason: str


class ReturnOut(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    unit: str = Field(alias="unit.key")
    loans: list[int]
    method: ReturnMethod
    reported_for: ReportedFor
    contact_name: str
    contact_phone: str
    address: str
    note: str
    status: ReturnStatus = Field(examples=ReturnStatus.values)
    appointment: datetime.datetime | None
    requested_at: datetime.datetime
    closed_at: datetime.datetime | None
    cancel_reason: str


class ReturnFilter(Schema):
    status: Annotated[
        str, one_of(ReturnStatus, "open", "all"), checked_one_of(ReturnStatus, "open", "all")
    ] = Field("open", description="open (requested or scheduled), all, or a status.")


def _one(queryset: QuerySet[ReturnRequest], pk: int) -> ReturnRequest:
    found = queryset.select_related("unit").filter(pk=pk).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


# Returns go out as plain rows of the columns ReturnOut shows, each with its loans' ids from
# one query: whole requests with their unit, and whole loans, were most of a list's time.
SHOWN_COLUMNS = (
    *("id", "patient_id", "unit__key", "method", "reported_for", "contact_name"),
    *("contact_phone", "address", "note", "status", "appointment", "requested_at"),
    *("closed_at", "cancel_reason"),
)
_SHOWN_NAMES = ("id", "patient_id", "unit.key", *SHOWN_COLUMNS[3:])


def _rows(found: QuerySet[ReturnRequest]) -> list[dict[str, Any]]:
    """The requests of `found`, in its order, under ReturnOut's names."""
    rows = [dict(zip(_SHOWN_NAMES, row, strict=True)) for row in found.values_list(*SHOWN_COLUMNS)]
    loans: dict[int, list[int]] = {row["id"]: [] for row in rows}
    if loans:
        pairs = ReturnRequest.loans.through.objects.filter(returnrequest_id__in=list(loans))
        for request_id, loan_id in pairs.values_list("returnrequest_id", "loan_id"):
            loans[request_id].append(loan_id)
    for row in rows:
        row["loans"] = sorted(loans[row["id"]])
    return rows


def _shown(queryset: QuerySet[ReturnRequest], pk: int) -> dict[str, Any]:
    """The request `pk` of `queryset` as ReturnOut answers it; 404 if none."""
    rows = _rows(queryset.filter(pk=pk).order_by())
    if not rows:
        raise HttpError(404, "Not Found")
    return rows[0]


@router.post("/returns", response={201: ReturnOut})
def request_return(request: HttpRequest, payload: ReturnIn) -> Status[dict[str, Any]]:
    """Report devices as no longer needed: the municipality must (000 7.0)."""
    actor = request_user(request)
    loans = list(
        Loan.objects.restrict(actor, VIEW).filter(pk__in=payload.loans).select_related("device")
    )
    unknown = sorted(set(payload.loans) - {loan.pk for loan in loans})
    if unknown:
        raise InvalidInput(
            {"loans": f"No loan you may see has the id {', '.join(map(str, unknown))}."}
        )
    created = actions.request_return(
        loans,
        actor=actor,
        method=payload.method,
        reported_for=payload.reported_for,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        address=payload.address,
        note=payload.note,
    )
    return Status(201, _shown(ReturnRequest.objects.restrict(actor, VIEW), created.pk))


@router.get("/returns", response=list[ReturnOut])
def list_returns(
    request: HttpRequest, filters: Query[ReturnFilter], paging: Query[Page]
) -> list[dict[str, Any]]:
    """Returns you may see, oldest first: to your units and of the patients you may see."""
    found = ReturnRequest.objects.restrict(request_user(request), VIEW)
    if filters.status == "open":
        found = found.filter(status__in=OPEN_RETURNS)
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    rows = _rows(page(found.order_by("requested_at", "id"), paging))
    return read_list(request, rows, patient=itemgetter("patient_id"))


@router.get("/returns/{int:pk}", response=ReturnOut)
def get_return(request: HttpRequest, pk: Id) -> dict[str, Any]:
    found = _shown(ReturnRequest.objects.restrict(request_user(request), VIEW), pk)
    read_one(request, found["patient_id"], ReadPurpose.RETURN, what=f"return {found['id']}")
    return found


@router.post("/returns/{int:pk}/schedule", response=ReturnOut)
def schedule_pickup(request: HttpRequest, pk: Id, payload: ScheduleIn) -> dict[str, Any]:
    """The unit agrees (or moves) the pickup time."""
    actor = request_user(request)
    actions.schedule_pickup(
        _one(ReturnRequest.objects.restrict(actor, MANAGE_DEVICES), pk),
        actor=actor,
        at=payload.appointment,
        note=payload.note,
    )
    return _shown(ReturnRequest.objects.restrict(actor, MANAGE_DEVICES), pk)


@router.post("/returns/{int:pk}/cancel", response=ReturnOut)
def cancel_return(request: HttpRequest, pk: Id, payload: CancelIn) -> dict[str, Any]:
    """The devices stay with the patient: the unit, or whoever reported it, cancels."""
    actor = request_user(request)
    found = _one(ReturnRequest.objects.restrict(actor, VIEW), pk)
    if (
        not ReturnRequest.objects.restrict(actor, MANAGE_DEVICES).filter(pk=pk).exists()
        and found.requested_by_id != actor.pk
    ):
        raise HttpError(404, "Not Found")
    actions.cancel_return(found, actor=actor, reason=payload.reason)
    return _shown(ReturnRequest.objects.restrict(actor, VIEW), pk)
