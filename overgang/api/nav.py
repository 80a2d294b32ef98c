"""NAV applications for long-term technical aids (H2, H5, H6): the office the agreement
names registers the application, the user's signature, the sending (urgent by exception),
NAV's decision, the delivery and the follow-up. Reminders come while the signature is
missing."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang.api.answers import answer
from overgang.api.auth import request_user
from overgang.api.inputs import Day, Id, SmallCount, checked_one_of, max_length, one_of
from overgang.api.paging import Page, page
from overgang.api.reads import read_list, read_one
from overgang.api.rows import BY_PATIENT_ID, Row, grouped, schema_rows, value_rows
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.permissions import VIEW, is_unrestricted
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.requisitions.access import (
    applying_offices,
    may_apply_to_nav,
    nav_side,
    nav_side_of_kind,
)
from overgang.requisitions.models import NavApplication, NavReminder
from overgang.requisitions.models.nav import Signer
from overgang.requisitions.states import NavStatus
from overgang.stays.models import Need, Stay

router = Router(tags=["nav"])


class NavIn(Schema):
    patient: Id
    aid_type: str = Field(examples=["care-bed", "wheelchair"])
    duration_months: SmallCount | None = Field(None, description="Expected need; over 24: NAV.")
    terminal: bool = False
    description: str = ""
    urgent: bool = Field(False, description='"Hastesak", by exception (H6).')
    urgent_reason: str = ""
    office: str = Field("", description="Key of the applying office; empty: your only one.")
    stay: Id | None = None
    need: Id | None = Field(
        None, description="The need on a stay it answers (the stay follows); sending does its task."
    )
    needed_for_journey_home: bool = Field(
        False, description="A fitted aid needed for the journey home (H2); a need says it itself."
    )


class ReminderOut(Schema):
    number: int
    due_at: datetime.datetime
    created_at: datetime.datetime


class NavOut(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    stay: int | None = Field(alias="stay_id")
    need: int | None = Field(alias="need_id")
    office: str = Field(alias="municipality.key")
    applicant: str = Field(description="The applying office's side: municipality or hospital.")
    aid_type: str = Field(alias="aid_type.slug")
    description: str
    duration_months: int | None
    terminal: bool
    urgent: bool
    urgent_reason: str
    cites: list[str]
    status: NavStatus = Field(examples=NavStatus.values)
    signed_by: Signer | Literal[""]
    signer_name: str
    signed_on: datetime.date | None
    sent_on: datetime.date | None
    nav_reference: str
    decided_on: datetime.date | None
    decision_note: str
    delivered_on: datetime.date | None
    followed_up_on: datetime.date | None
    follow_up_note: str
    remind_at: datetime.datetime | None
    reminders: int
    reminder_log: list[ReminderOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_applicant(application: NavApplication | Row) -> str:
        if isinstance(application, dict):
            return nav_side_of_kind(application["municipality__kind"])
        return nav_side(application.municipality)


# A listed application's columns, keyed as NavOut reads them (see overgang.api.rows).
LISTED = {
    **{name: name for name in ("id", "patient_id", "stay_id", "need_id", "description")},
    **{"municipality.key": "municipality__key", "municipality__kind": "municipality__kind"},
    **{"aid_type.slug": "aid_type__slug", "duration_months": "duration_months"},
    **{name: name for name in ("terminal", "urgent", "urgent_reason", "cites", "status")},
    **{name: name for name in ("signed_by", "signer_name", "signed_on", "sent_on")},
    **{name: name for name in ("nav_reference", "decided_on", "decision_note")},
    **{name: name for name in ("delivered_on", "followed_up_on", "follow_up_note")},
    **{name: name for name in ("remind_at", "reminders", "created_at")},
}


class SignatureIn(Schema):
    signed_by: Annotated[str, one_of(Signer)] = Field(examples=["user", "relative", "guardian"])
    signer_name: str = Field("", max_length=max_length(NavApplication, "signer_name"))
    signed_on: Day | None = None


class SentIn(Schema):
    sent_on: Day | None = None
    nav_reference: str = Field("", max_length=max_length(NavApplication, "nav_reference"))


class NavDecisionIn(Schema):
    granted: bool
    note: str = ""
    decided_on: Day | None = None


class DeliveryIn(Schema):
    delivered_on: Day | None = None


class FollowUpIn(Schema):
    note: str
    followed_up_on: Day | None = None


class NavFilter(Schema):
    status: Annotated[
        str, one_of(NavStatus, "open", "all"), checked_one_of(NavStatus, "open", "all")
    ] = Field("open", description="open, all, or a status (awaiting-signature …)")
    patient: Id | None = None


def _found(request: HttpRequest, pk: int) -> NavApplication:
    found = (
        NavApplication.objects.restrict(request_user(request), VIEW)
        .select_related("municipality", "aid_type")
        .prefetch_related("reminder_log")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


def _mine(request: HttpRequest, pk: int) -> NavApplication:
    application = _found(request, pk)
    if not may_apply_to_nav(request_user(request), application):
        raise HttpError(404, "Not Found")
    return application


@router.post("/nav-applications", response={201: NavOut})
def register(request: HttpRequest, payload: NavIn) -> Status[NavApplication]:
    """Register the application of the office the agreement names (the municipality; the
    hospital for a fitted aid for the journey home, H2); 422 when the agreement has NAV not
    provide it, routes nothing to NAV, or has the other side apply."""
    actor = request_user(request)
    offices = applying_offices(actor)
    if not offices and not is_unrestricted(actor):
        raise HttpError(403, "The municipality applies to NAV.")
    patient = Patient.objects.restrict(actor, VIEW).filter(pk=payload.patient).first()
    if patient is None:
        raise InvalidInput({"patient": "No such patient among those you may see."})
    office = next((o for o in offices if o.key == payload.office), None)
    if office is None and not payload.office and len(offices) == 1:
        office = offices[0]
    if office is None:
        raise InvalidInput({"office": "Name your applying office by its key."})
    stay = (
        Stay.objects.restrict(actor, VIEW).filter(pk=payload.stay).first() if payload.stay else None
    )
    if payload.stay and stay is None:
        raise InvalidInput({"stay": "No such stay among those you may see."})
    need = None
    if payload.need:
        needs = Need.objects.restrict(actor, VIEW).select_related("stay", "aid_type")
        need = needs.filter(pk=payload.need, **({"stay": stay} if stay else {})).first()
        if need is None:
            raise InvalidInput({"need": "No such need among those you may see on that stay."})
        stay = need.stay
    application = actions.register_application(
        actions.NavApplicationInput(
            patient=patient,
            municipality=office,
            aid_type=payload.aid_type,
            duration_months=payload.duration_months,
            terminal=payload.terminal,
            description=payload.description,
            urgent=payload.urgent,
            urgent_reason=payload.urgent_reason,
            stay=stay,
            need=need,
            needed_for_journey_home=payload.needed_for_journey_home,
        ),
        actor=actor,
    )
    return Status(201, _found(request, application.pk))


@router.get("/nav-applications", response=list[NavOut])
def list_applications(
    request: HttpRequest, filters: Query[NavFilter], paging: Query[Page]
) -> HttpResponse:
    found = NavApplication.objects.restrict(request_user(request), VIEW)
    if filters.status == "open":
        found = found.filter(status__in=sorted(NavStatus.OPEN))
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    if filters.patient is not None:
        found = found.filter(patient=filters.patient)
    rows = value_rows(page(found.order_by("created_at", "id"), paging), LISTED)
    _attach_reminders(rows)
    return answer(schema_rows(NavOut, read_list(request, rows, patient=BY_PATIENT_ID)))


def _attach_reminders(rows: list[Row]) -> None:
    """Each listed application's reminders, newest first as NavReminder orders them, from
    one query for the page."""
    if not rows:
        return
    reminders = NavReminder.objects.filter(application_id__in=[row["id"] for row in rows])
    log = grouped(
        (application, {"number": number, "due_at": due_at, "created_at": created_at})
        for application, number, due_at, created_at in reminders.values_list(
            "application_id", "number", "due_at", "created_at"
        )
    )
    for row in rows:
        row["reminder_log"] = log.get(row["id"], [])


@router.get("/nav-applications/{int:pk}", response=NavOut)
def get_application(request: HttpRequest, pk: Id) -> NavApplication:
    found = _found(request, pk)
    what = f"NAV application {found.pk}"
    read_one(request, found.patient_id, ReadPurpose.NAV_APPLICATION, what=what)
    return found


@router.post("/nav-applications/{int:pk}/signature", response=NavOut)
def signature(request: HttpRequest, pk: Id, payload: SignatureIn) -> NavApplication:
    actions.record_signature(
        _mine(request, pk),
        actor=request_user(request),
        signed_by=payload.signed_by,
        signer_name=payload.signer_name,
        signed_on=payload.signed_on,
    )
    return _found(request, pk)


@router.post("/nav-applications/{int:pk}/sent", response=NavOut)
def sent(request: HttpRequest, pk: Id, payload: SentIn) -> NavApplication:
    actions.record_sent(
        _mine(request, pk),
        actor=request_user(request),
        sent_on=payload.sent_on,
        nav_reference=payload.nav_reference,
    )
    return _found(request, pk)


@router.post("/nav-applications/{int:pk}/decision", response=NavOut)
def decision(request: HttpRequest, pk: Id, payload: NavDecisionIn) -> NavApplication:
    actions.record_nav_decision(
        _mine(request, pk),
        actor=request_user(request),
        granted=payload.granted,
        note=payload.note,
        decided_on=payload.decided_on,
    )
    return _found(request, pk)


@router.post("/nav-applications/{int:pk}/delivery", response=NavOut)
def delivery(request: HttpRequest, pk: Id, payload: DeliveryIn) -> NavApplication:
    actions.record_nav_delivery(
        _mine(request, pk), actor=request_user(request), delivered_on=payload.delivered_on
    )
    return _found(request, pk)


@router.post("/nav-applications/{int:pk}/follow-up", response=NavOut)
def follow_up(request: HttpRequest, pk: Id, payload: FollowUpIn) -> NavApplication:
    actions.record_follow_up(
        _mine(request, pk),
        actor=request_user(request),
        note=payload.note,
        followed_up_on=payload.followed_up_on,
    )
    return _found(request, pk)


@router.post("/nav-applications/{int:pk}/withdraw", response=NavOut)
def withdraw(request: HttpRequest, pk: Id) -> NavApplication:
    actions.withdraw_application(_mine(request, pk), actor=request_user(request))
    return _found(request, pk)
