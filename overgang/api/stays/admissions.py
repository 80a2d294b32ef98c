"""Admitting a patient (R1, R2, H1, N5), and the stays the caller can see. The shapes of
`POST /stays` and `GET /stays/{id}` are fixed by the contract."""

from __future__ import annotations

import datetime
from operator import itemgetter
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.inputs import Count, Id, Moment, checked_one_of, one_of
from overgang.api.paging import PageOf500, page
from overgang.api.reads import read_list, read_one
from overgang.api.rows import schema_rows
from overgang.api.stays.common import StayOut, _shown, _stay, stay_out
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.stays import actions
from overgang.stays.access import admitting_units
from overgang.stays.models import Stay
from overgang.stays.models.stays import Admission, CareType
from overgang.stays.states import StayStatus

router = Router()


class StayIn(Schema):
    patient: Id
    admitted_at: Moment = Field(examples=["2026-11-30T09:15:00+01:00"])
    admission: Annotated[str, one_of(Admission)] = Field(
        examples=["emergency", "planned", "outpatient"]
    )
    care: Annotated[str, one_of(CareType)] = Field(
        "somatic",
        examples=["somatic", "mental-health", "tsb"],
        description="The care the patient is admitted for: mental health care and TSB have "
        "more conditions before discharge-ready, and a psychologist may decide.",
    )
    expected_stay_hours: Count | None = Field(None, examples=[72])
    expected_discharge: Moment | None = None
    department: str | None = Field(
        None, description="Key of the admitting department; default: the caller's own."
    )
    aid_need_foreseeable: bool = Field(
        False,
        description="A planned admission ahead: the hospital foresees at the pre-examination "
        "that aids will be needed (planned hip and knee operations), which opens the notice "
        "to the municipality where the agreement sets one (N5).",
    )


def _unit(request: HttpRequest, key: str | None) -> Organisation:
    units = admitting_units(request_user(request))
    if key is None:
        departments = [u for u in units if u.kind == "department"] or units
        if not departments:
            raise HttpError(403, "Only hospital staff admit patients.")
        return departments[0]
    found = next((u for u in units if u.key == key), None)
    if found is None:
        raise InvalidInput({"department": f"{key!r} is not a department you admit to."})
    return found


@router.post("/stays", response={201: StayOut})
def admit(request: HttpRequest, payload: StayIn) -> Status[dict[str, object]]:
    """The patient is admitted: the agreement's deadlines start (R1, R2, H1, N5). A planned
    admission with a time ahead is a planned stay (status "planned"): the notices before
    arrival start now (H4, N5), and the stay is admitted when the patient arrives (the event
    "arrived", or the admission message)."""
    actor = request_user(request)
    unit = _unit(request, payload.department)
    patient = Patient.objects.restrict(actor, VIEW).filter(pk=payload.patient).first()
    if patient is None:
        raise InvalidInput({"patient": "No such patient among those you may see."})
    stay = actions.admit(
        patient,
        actor=actor,
        unit=unit,
        admission=payload.admission,
        admitted_at=payload.admitted_at,
        expected_stay_hours=payload.expected_stay_hours,
        expected_discharge=payload.expected_discharge,
        care=payload.care,
        aid_need_foreseeable=payload.aid_need_foreseeable,
    )
    return Status(201, stay_out(_stay(request, stay.pk)))


class StayFilter(Schema):
    status: Annotated[
        str, one_of(StayStatus, "open", "all"), checked_one_of(StayStatus, "open", "all")
    ] = Field("open", description="open (not ended), all, or a status.")


class StaySummary(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    hospital: str = Field(alias="hospital.key")
    status: StayStatus
    admitted_at: datetime.datetime
    expected_discharge: datetime.datetime | None
    agreement: str


@router.get("/stays", response=list[StaySummary])
def list_stays(
    request: HttpRequest, filters: Query[StayFilter], paging: Query[PageOf500]
) -> HttpResponse:
    found = Stay.objects.restrict(request_user(request), VIEW)
    if filters.status == "open":
        found = found.filter(ended_at__isnull=True)
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    rows = page(found.order_by("-admitted_at", "-id").values_list(*SUMMARY_COLUMNS), paging)
    shown = read_list(request, map(_summary, rows), patient=itemgetter("patient_id"))
    return answer(schema_rows(StaySummary, shown))


# The list reads only the columns its rows show (StaySummary), as plain rows: whole stays
# with their hospital were two model instances a row, most of the answer's time.
SUMMARY_COLUMNS = (
    "id",
    "patient_id",
    "hospital__key",
    "status",
    "admitted_at",
    "expected_discharge",
    "agreement",
)


def _summary(row: tuple[object, ...]) -> dict[str, object]:
    """A row of the list under StaySummary's names (its alias for the hospital)."""
    return dict(zip(("id", "patient_id", "hospital.key", *SUMMARY_COLUMNS[3:]), row, strict=True))


@router.get("/stays/{int:pk}", response=StayOut)
def get_stay(request: HttpRequest, pk: Id) -> HttpResponse:
    stay, lists = _shown(request, pk)
    read_one(request, stay.patient_id, ReadPurpose.STAY, what="")
    # stay_out builds StayOut's fields in its order from typed columns: answered without
    # ninja validating it again (overgang.api.answers); tests hold it to an event's answer,
    # which is validated.
    return answer(stay_out(stay, lists))
