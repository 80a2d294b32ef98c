"""Home-ventilation (LTMV) agreements per patient (O11): drafted by the hospital, completed
and signed by both sides, versioned."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id
from overgang.api.paging import Page, page
from overgang.api.reads import read_list, read_one
from overgang.api.rows import BY_PATIENT_ID, Row, grouped, schema_rows, value_rows
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays.models import Stay
from overgang.ventilation import actions
from overgang.ventilation.models import AgreementVersion, VentilationAgreement, VersionStatus

router = Router(tags=["home ventilation"])

Text = Annotated[str, Field(max_length=actions.LONGEST_TEXT)]
Name = Annotated[str, Field(max_length=actions.LONGEST_NAME)]


class ParticipantIo(Schema):
    name: Name
    role: Name
    organisation: Name


class ResponsibilityIn(Schema):
    duty: Name = Field(examples=["maintenance"])
    party: Name = Field(examples=["hospital", "municipality"])
    reason: Text = ""


class ResponsibilityOut(Schema):
    duty: str
    rules_party: str = Field(description="Who the agreement's rules say is responsible.")
    party: str = Field(description="Who is responsible under this agreement.")
    reason: str = Field(description="Why it differs from the rules' answer; '' where not.")
    cites: list[str]


class TrainingIo(Schema):
    trainer: Name
    trainees: Text
    by: Day


class VersionOut(Schema):
    number: int
    status: VersionStatus
    assessment_date: datetime.date | None
    participants: list[ParticipantIo]
    responsibilities: list[ResponsibilityOut]
    staffing_plan: str
    training: list[TrainingIo]
    follow_up_days: list[int]
    hospital_signed_at: datetime.datetime | None
    municipality_signed_at: datetime.datetime | None
    created_at: datetime.datetime


class AgreementOut(Schema):
    id: int
    stay: int = Field(alias="stay_id")
    patient: int = Field(alias="patient_id")
    agreement: str
    hospital: str = Field(alias="hospital.key")
    municipality: str = Field(alias="municipality.key", description="Municipality or district.")
    current: VersionOut
    versions: list[int] = Field(description="The numbers of every version, oldest first.")

    @staticmethod
    def resolve_versions(obj: VentilationAgreement | Row) -> list[int]:
        if isinstance(obj, dict):
            return list(obj["versions"])
        return [v.number for v in obj.versions.order_by("number")]


# A listed agreement's columns, keyed as AgreementOut reads them (see overgang.api.rows).
LISTED = {
    **{name: name for name in ("id", "stay_id", "patient_id", "agreement")},
    **{"hospital.key": "hospital__key", "municipality.key": "municipality__key"},
}
# VersionOut's fields.
VERSION_FIELDS = (
    *("number", "status", "assessment_date", "participants", "responsibilities"),
    *("staffing_plan", "training", "follow_up_days", "hospital_signed_at"),
    *("municipality_signed_at", "created_at"),
)


def _attach_versions(rows: list[Row]) -> None:
    """Each listed agreement's version numbers, oldest first, and its current (newest)
    version: one query for the page, not two for each agreement."""
    if not rows:
        return
    versions = grouped(
        (version["ventilation_id"], version)
        for version in AgreementVersion.objects.filter(
            ventilation_id__in=[row["id"] for row in rows]
        )
        .order_by("ventilation_id", "number")
        .values("ventilation_id", *VERSION_FIELDS)
    )
    for row in rows:
        mine = versions[row["id"]]  # an agreement is created with its first version
        row["versions"] = [version["number"] for version in mine]
        row["current"] = mine[-1]


class AgreementIn(Schema):
    stay: Id


class ContentIn(Schema):
    assessment_date: Day | None = None
    participants: Annotated[list[ParticipantIo], Field(max_length=actions.MOST_ROWS)] = []
    responsibilities: Annotated[list[ResponsibilityIn], Field(max_length=20)] = []
    staffing_plan: Text = ""
    training: Annotated[list[TrainingIo], Field(max_length=actions.MOST_ROWS)] = []
    follow_up_days: Annotated[list[Annotated[int, Field(ge=1, le=3650)]], Field(max_length=20)]


class SignIn(Schema):
    side: Literal["", "hospital", "municipality"] = Field(
        "", description="Only for someone who acts for both sides."
    )


def _found(request: HttpRequest, pk: int, action: str = VIEW) -> VentilationAgreement:
    found = (
        VentilationAgreement.objects.restrict(request_user(request), action)
        .select_related("hospital", "municipality")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


@router.get("/ventilation-agreements", response=list[AgreementOut])
def list_agreements(request: HttpRequest, paging: Query[Page]) -> HttpResponse:
    found = VentilationAgreement.objects.restrict(request_user(request), VIEW)
    rows = value_rows(page(found.order_by("id"), paging), LISTED)
    _attach_versions(rows)
    return answer(schema_rows(AgreementOut, read_list(request, rows, patient=BY_PATIENT_ID)))


@router.get("/ventilation-agreements/{int:pk}", response=AgreementOut)
def get_agreement(request: HttpRequest, pk: Id) -> VentilationAgreement:
    found = _found(request, pk)
    read_one(request, found.patient_id, ReadPurpose.STAY, what=f"LTMV agreement {found.pk}")
    return found


@router.get("/ventilation-agreements/{int:pk}/versions", response=list[VersionOut])
def list_versions(request: HttpRequest, pk: Id, paging: Query[Page]) -> list[AgreementVersion]:
    """Every version, oldest first: the signed ones as they were signed."""
    agreement = _found(request, pk)
    read_one(request, agreement.patient_id, ReadPurpose.STAY, what=f"LTMV agreement {pk}")
    # The number is unique within the agreement: a total order.
    return list(page(agreement.versions.order_by("number"), paging))


@router.post("/ventilation-agreements", response={201: AgreementOut})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status[VentilationAgreement]:
    """The hospital initiates the agreement on a stay; responsibilities come filled in from
    the agreement's rules for a home ventilator."""
    actor = request_user(request)
    stay = Stay.objects.restrict(actor, CHANGE).filter(pk=payload.stay).first()
    if stay is None:
        raise InvalidInput({"stay": "No such stay among those you may change."})
    agreement = actions.draft(stay, actor=actor)
    return Status(201, _found(request, agreement.pk))


@router.put("/ventilation-agreements/{int:pk}", response=AgreementOut)
def update_agreement(request: HttpRequest, pk: Id, payload: ContentIn) -> VentilationAgreement:
    """Change the current draft; after both signed, a change makes a new draft version."""
    agreement = _found(request, pk, CHANGE)
    actions.update(
        agreement,
        actions.Content(
            assessment_date=payload.assessment_date,
            participants=[p.dict() for p in payload.participants],
            responsibilities=[r.dict() for r in payload.responsibilities],
            staffing_plan=payload.staffing_plan,
            training=[t.dict() for t in payload.training],
            follow_up_days=list(payload.follow_up_days),
        ),
        actor=request_user(request),
    )
    return _found(request, pk)


@router.post("/ventilation-agreements/{int:pk}/sign", response=AgreementOut)
def sign_agreement(request: HttpRequest, pk: Id, payload: SignIn) -> VentilationAgreement:
    """Sign the current version for your side; the second side's signature locks it."""
    actions.sign(_found(request, pk, CHANGE), actor=request_user(request), side=payload.side)
    return _found(request, pk)
