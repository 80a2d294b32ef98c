"""Swap reports (O3, 000 3.1): the institution reports a resident on its own equipment; the
agreement decides; the treatment-aids unit lends the hospital's equipment."""

from __future__ import annotations

import datetime
from operator import itemgetter
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.aids.models import Device
from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.inputs import Id, checked_one_of, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_list, read_one
from overgang.api.rows import schema_rows
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.i18n import current_language
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import may_lend_for_swaps, may_report_swaps
from overgang.requisitions.models import OPEN_SWAPS, SwapReport, SwapStatus
from overgang.requisitions.models.requisitions import reason_in
from overgang.requisitions.models.swaps import StartedBy

router = Router(tags=["swaps"])


class SwapIn(Schema):
    patient: Id
    aid_type: str = Field(examples=["oxygen-concentrator"])
    started_by: Annotated[str, one_of(StartedBy)] = Field(
        examples=["specialist", "nursing-home-doctor"]
    )
    documentation: str = Field("", description="Needed when the hospital started it.")
    terminal: bool = False


class SwapOut(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    institution: str = Field(alias="institution.key")
    aid_type: str = Field(alias="aid_type.slug")
    started_by: StartedBy
    documentation: str
    terminal: bool
    swap: bool | None = Field(description="The agreement's answer; null: it does not say.")
    reason: str = Field(description="The agreement's words, in the language of the request.")
    reasons: dict[str, str] = Field(description="The same in nb, da and en.")
    cites: list[str]
    status: SwapStatus = Field(examples=SwapStatus.values)
    loan: int | None = Field(alias="loan_id")
    reported_at: datetime.datetime
    closed_at: datetime.datetime | None


class SwapLendIn(Schema):
    device: str
    companions: list[str] = Field(default_factory=list)
    manual_handed_over: bool = False
    instruction_given: bool = False


class SwapFilter(Schema):
    status: Annotated[
        str, one_of(SwapStatus, "open", "all"), checked_one_of(SwapStatus, "open", "all")
    ] = Field("open", description="open (to be swapped), all, or a status.")


def _one(request: HttpRequest, pk: int) -> SwapReport:
    found = (
        SwapReport.objects.restrict(request_user(request), VIEW)
        .select_related("institution", "aid_type")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.post("/swaps", response={201: SwapOut})
def report_swap(request: HttpRequest, payload: SwapIn) -> Status[SwapReport]:
    """Report a resident who uses the institution's equipment; the answer is the agreement's."""
    actor = request_user(request)
    if not may_report_swaps(actor):
        raise HttpError(403, "The institution or the municipality reports swaps.")
    patient = Patient.objects.restrict(actor, VIEW).filter(pk=payload.patient).first()
    if patient is None:
        raise InvalidInput({"patient": "No such patient among those you may see."})
    report = actions.report_swap(
        patient,
        actor=actor,
        aid_type=payload.aid_type,
        started_by=payload.started_by,
        documentation=payload.documentation,
        terminal=payload.terminal,
    )
    return Status(201, _one(request, report.pk))


@router.get("/swaps", response=list[SwapOut])
def list_swaps(
    request: HttpRequest, filters: Query[SwapFilter], paging: Query[Page]
) -> HttpResponse:
    found = SwapReport.objects.restrict(request_user(request), VIEW)
    if filters.status == "open":
        found = found.filter(status__in=OPEN_SWAPS)
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    rows = page(found.order_by("reported_at", "id"), paging).values_list(*LISTED_COLUMNS)
    language = current_language("nb")
    shown = read_list(
        request, [_listed(row, language) for row in rows], patient=itemgetter("patient_id")
    )
    return answer(schema_rows(SwapOut, shown))


# The list reads only the columns SwapOut shows, as plain rows: whole reports with their
# institution and aid type were most of the list's time.
LISTED_COLUMNS = (
    *("id", "patient_id", "institution__key", "aid_type__slug", "started_by", "documentation"),
    *("terminal", "swap", "reasons", "cites", "status", "loan_id", "reported_at", "closed_at"),
)
_LISTED_NAMES = (
    *("id", "patient_id", "institution.key", "aid_type.slug", "started_by", "documentation"),
    *("terminal", "swap", "reasons", "cites", "status", "loan_id", "reported_at", "closed_at"),
)


def _listed(row: tuple[Any, ...], language: str) -> dict[str, Any]:
    """A row of LISTED_COLUMNS under SwapOut's names, with the reason in `language`."""
    listed = dict(zip(_LISTED_NAMES, row, strict=True))
    listed["reason"] = reason_in(listed["reasons"], language)
    return listed


@router.get("/swaps/{int:pk}", response=SwapOut)
def get_swap(request: HttpRequest, pk: Id) -> SwapReport:
    report = _one(request, pk)
    read_one(request, report.patient_id, ReadPurpose.SWAP, what=f"swap {report.pk}")
    return report


@router.post("/swaps/{int:pk}/lend", response=SwapOut)
def lend_for_swap(request: HttpRequest, pk: Id, payload: SwapLendIn) -> SwapReport:
    """The unit lends its device to the resident in the institution."""
    actor = request_user(request)
    report = _one(request, pk)
    if not may_lend_for_swaps(actor):
        raise HttpError(404, "Not Found")
    found, missing = Device.objects.restrict(actor, MANAGE_DEVICES).by_serials(
        [payload.device, *payload.companions]
    )
    if missing:
        raise InvalidInput(
            {"device": f"No device of your unit has the serial number {', '.join(missing)}."}
        )
    device, *companions = found
    actions.lend_for_swap(
        report,
        device,
        actor=actor,
        companions=companions,
        manual_handed_over=payload.manual_handed_over,
        instruction_given=payload.instruction_given,
    )
    return _one(request, pk)


@router.post("/swaps/{int:pk}/withdraw", response=SwapOut)
def withdraw_swap(request: HttpRequest, pk: Id) -> SwapReport:
    actor = request_user(request)
    report = _one(request, pk)
    if not may_lend_for_swaps(actor) and report.reported_by_id != actor.pk:
        raise HttpError(404, "Not Found")
    actions.withdraw_swap(report, actor=actor)
    return _one(request, pk)
