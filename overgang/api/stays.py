"""Stays (R1–R10, H1, H4, N5): admission, the events and messages of the transition, the
deadlines they open and close, and what still blocks the discharge. The shapes of
`POST /stays`, `GET /stays/{id}` and `POST /stays/{id}/events` are fixed by the contract."""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang import clock
from overgang.aids.models import Loan
from overgang.api.auth import request_user
from overgang.audit.history import log_read
from overgang.errors import InvalidInput
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.patients.models import Patient
from overgang.rules.transitions import transitions
from overgang.stays import actions, waiting
from overgang.stays.access import admitting_units, visible_stays, worklist
from overgang.stays.checklist import departure_blockers, discharge_blockers
from overgang.stays.models import Deadline, DeadlineStatus, Message, Need, Stay, StayEvent, Training

router = Router(tags=["stays"])


class StayIn(Schema):
    patient: int
    admitted_at: datetime.datetime = Field(examples=["2026-11-30T09:15:00+01:00"])
    admission: str = Field(examples=["emergency", "planned", "outpatient"])
    expected_stay_hours: int | None = Field(None, examples=[72])
    expected_discharge: datetime.datetime | None = None
    department: str | None = Field(
        None, description="Key of the admitting department; default: the caller's own."
    )


class DeadlineOut(Schema):
    id: int
    duty: str
    party: str
    holder: str
    due: datetime.datetime
    done_at: datetime.datetime | None
    status: str = Field(examples=DeadlineStatus.values)
    outcome: str = Field(description="fulfilled or withdrawn, once done; empty while open.")
    cites: list[str]
    text: str
    stay: int


class MessageOut(Schema):
    id: int
    message_id: uuid.UUID
    type: str
    variant: str
    version: str
    sender: str
    sent_at: datetime.datetime
    received_at: datetime.datetime | None
    receipt: str


class EventOut(Schema):
    id: int
    name: str
    at: datetime.datetime
    planned_for: datetime.datetime | None
    note: str
    message: int | None


class StayOut(Schema):
    id: int
    patient: int
    hospital: str
    department: str | None
    admission: str
    admitted_at: datetime.datetime
    expected_stay_hours: int | None
    expected_discharge: datetime.datetime | None
    agreement: str
    status: str
    deadlines: list[DeadlineOut]
    discharge_ready_blockers: list[str]
    departure_ready_blockers: list[str]
    documented: list[str]
    override_reason: str
    discharge_ready_at: datetime.datetime | None
    notified_at: datetime.datetime | None
    in_notice_window: bool | None
    same_day_expected: bool | None
    answer: dict[str, object] | None
    prepared: list[str]
    supplies_until: datetime.date | None
    ended_at: datetime.datetime | None
    messages: list[MessageOut]
    events: list[EventOut]


def _local(value: datetime.datetime | None, zone: str) -> datetime.datetime | None:
    """Times go out on the agreement's clock (Europe/Oslo, Europe/Copenhagen), with offset."""
    return value.astimezone(ZoneInfo(zone)) if value is not None else None


def deadline_out(deadline: Deadline, now: datetime.datetime) -> dict[str, object]:
    zone = deadline.stay.time_zone
    return {
        "id": deadline.pk,
        "duty": deadline.duty,
        "party": deadline.party,
        "holder": deadline.holder.key,
        "due": _local(deadline.due, zone),
        "done_at": _local(deadline.done_at, zone),
        "status": deadline.status_at(now),
        "outcome": deadline.outcome,
        "cites": deadline.cites,
        "text": deadline.said,
        "stay": deadline.stay_id,
    }


def message_out(message: Message) -> dict[str, object]:
    zone = message.stay.time_zone
    return {
        "id": message.pk,
        "message_id": message.message_id,
        "type": message.type,
        "variant": message.variant,
        "version": message.version,
        "sender": message.sender,
        "sent_at": _local(message.sent_at, zone),
        "received_at": _local(message.received_at, zone),
        "receipt": message.receipt,
    }


def stay_out(stay: Stay) -> dict[str, object]:
    now = clock.now()
    zone = stay.time_zone
    deadlines = stay.deadlines.select_related("holder", "stay", "need__aid_type").order_by(
        "due", "id"
    )
    answer = None
    if stay.answered_at is not None:
        answer = {
            "answered_at": _local(stay.answered_at, zone),
            "can_receive": stay.can_receive,
            "receive_at": _local(stay.receive_at, zone),
            "service": stay.service,
            "needs_from_hospital": stay.needs_from_hospital,
        }
    return {
        "id": stay.pk,
        "patient": stay.patient_id,
        "hospital": stay.hospital.key,
        "department": stay.department.key if stay.department else None,
        "admission": stay.admission,
        "admitted_at": _local(stay.admitted_at, zone),
        "expected_stay_hours": stay.expected_stay_hours,
        "expected_discharge": _local(stay.expected_discharge, zone),
        "agreement": stay.agreement,
        "status": stay.status,
        "deadlines": [deadline_out(d, now) for d in deadlines],
        "discharge_ready_blockers": [str(b) for b in discharge_blockers(stay)]
        if stay.is_open
        else [],
        "departure_ready_blockers": [str(b) for b in departure_blockers(stay)]
        if stay.is_open
        else [],
        "documented": stay.documented,
        "override_reason": stay.override_reason,
        "discharge_ready_at": _local(stay.discharge_ready_at, zone),
        "notified_at": _local(stay.notified_at, zone),
        "in_notice_window": stay.in_notice_window,
        "same_day_expected": stay.same_day_expected,
        "answer": answer,
        "prepared": stay.prepared,
        "supplies_until": stay.supplies_until,
        "ended_at": _local(stay.ended_at, zone),
        "messages": [
            message_out(m) for m in Message.objects.filter(stay=stay).select_related("stay")
        ],
        "events": [
            {
                "id": e.pk,
                "name": e.name,
                "at": _local(e.at, zone),
                "planned_for": _local(e.planned_for, zone),
                "note": e.note,
                "message": e.message_id,
            }
            for e in StayEvent.objects.filter(stay=stay)
        ],
    }


def _stay(request: HttpRequest, pk: int, action: str = VIEW) -> Stay:
    found = (
        visible_stays(request_user(request), action)
        .select_related("patient", "hospital", "department")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise HttpError(404, "Not Found")
    return found


def _aware(value: datetime.datetime | None, field: str) -> None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput({field: "Give the time with its UTC offset, e.g. +01:00."})


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
    """The patient is admitted: the agreement's deadlines start (R1, R2, H1, N5)."""
    actor = request_user(request)
    _aware(payload.admitted_at, "admitted_at")
    _aware(payload.expected_discharge, "expected_discharge")
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
    )
    return Status(201, stay_out(_stay(request, stay.pk)))


class StayFilter(Schema):
    status: str = Field("open", description="open (not ended), all, or a status.")


class StaySummary(Schema):
    id: int
    patient: int = Field(alias="patient_id")
    hospital: str = Field(alias="hospital.key")
    status: str
    admitted_at: datetime.datetime
    expected_discharge: datetime.datetime | None
    agreement: str


@router.get("/stays", response=list[StaySummary])
def list_stays(request: HttpRequest, filters: Query[StayFilter]) -> QuerySet[Stay]:
    found = visible_stays(request_user(request)).select_related("hospital")
    if filters.status == "open":
        found = found.filter(ended_at__isnull=True)
    elif filters.status != "all":
        found = found.filter(status=filters.status)
    return found.order_by("-admitted_at", "-id")[:500]


@router.get("/stays/{int:pk}", response=StayOut)
def get_stay(request: HttpRequest, pk: int) -> dict[str, object]:
    stay = _stay(request, pk)
    log_read(stay.patient, user=request_user(request), purpose="stay")
    return stay_out(stay)


class EventIn(Schema):
    event: str = Field(
        examples=["admission-date-set", "discharge-planned", "discharge-ready", "discharged"]
    )
    at: datetime.datetime | None = Field(None, description="When it happened; default: now.")
    discharge_at: datetime.datetime | None = Field(
        None, description="For discharge-planned: when the discharge is planned."
    )
    reason: str = Field(
        "",
        description="discharge-ready despite open items: the physician's reason; "
        "discharged from discharge-ready: the force majeure.",
    )
    note: str = ""
    destination: str = Field(
        "", description="For discharged: home, or the key of the institution the patient goes to."
    )


STAY_EVENTS = ("discharge-ready", "departure-ready", "discharged", "died")


def _message_for(stay: Stay, event: str) -> str | None:
    return next(
        (m.code for m in transitions(stay.country).messages.values() if m.event == event), None
    )


@router.post("/stays/{int:pk}/events", response={201: StayOut})
def post_event(request: HttpRequest, pk: int, payload: EventIn) -> Status[dict[str, object]]:
    """An event on the stay: one the agreement sets deadlines by (as in the rules contract),
    or a step of the stay itself (discharge-ready, departure-ready, discharged, died)."""
    actor = request_user(request)
    stay = _stay(request, pk, CHANGE)
    _aware(payload.at, "at")
    _aware(payload.discharge_at, "discharge_at")
    at = payload.at or clock.now()
    name = payload.event
    if name in actions.RECORDABLE_EVENTS:
        actions.record_event(
            stay, name, actor=actor, at=at, note=payload.note, discharge_at=payload.discharge_at
        )
    elif name in ("admission-notified", "discharge-ready-notified"):
        code = _message_for(stay, name)
        if code is None:
            raise InvalidInput({"event": f"The agreement {stay.agreement} has no {name} message."})
        actions.record_message(stay, code, actor=actor, sent_at=at)
    elif name == "discharge-ready":
        actions.declare_discharge_ready(stay, actor=actor, at=at, override=payload.reason)
    elif name == "departure-ready":
        actions.declare_departure_ready(stay, actor=actor, at=at)
    elif name == "discharged":
        actions.discharge(
            stay,
            actor=actor,
            at=at,
            force_majeure=payload.reason,
            destination=payload.destination,
        )
    elif name == "died":
        actions.record_death(stay, actor=actor, at=at)
    else:
        known = (*actions.RECORDABLE_EVENTS, "admission-notified", "discharge-ready-notified")
        raise InvalidInput(
            {"event": f"Unknown event {name!r}; known: {', '.join((*known, *STAY_EVENTS))}."}
        )
    return Status(201, stay_out(_stay(request, pk)))


class MessageIn(Schema):
    type: str = Field(examples=["INNLEGGELSESRAPPORT", "HELSEOPPL_SOKNAD:oppdatert"])
    sent_at: datetime.datetime | None = None
    received_at: datetime.datetime | None = None
    version: str = Field("", examples=["1.6"])
    message_id: uuid.UUID | None = None
    sender: str | None = Field(None, description="For a dialogue message: who sends it.")
    payload: str = ""


@router.post("/stays/{int:pk}/messages", response={201: MessageOut})
def post_message(request: HttpRequest, pk: int, payload: MessageIn) -> Status[dict[str, object]]:
    """A message of the agreement was sent on the stay; it closes the duties it fulfils."""
    stay = _stay(request, pk, CHANGE)
    _aware(payload.sent_at, "sent_at")
    _aware(payload.received_at, "received_at")
    message = actions.record_message(
        stay,
        payload.type,
        actor=request_user(request),
        sent_at=payload.sent_at,
        received_at=payload.received_at,
        version=payload.version,
        message_id=payload.message_id,
        sender=payload.sender,
        payload=payload.payload,
    )
    return Status(201, message_out(message))


class AnswerIn(Schema):
    can_receive: bool
    receive_at: datetime.datetime | None = None
    service: str = ""
    needs_from_hospital: str = Field("", description="Medicines and equipment needed (R5).")


@router.post("/stays/{int:pk}/answer", response=StayOut)
def post_answer(request: HttpRequest, pk: int, payload: AnswerIn) -> dict[str, object]:
    """The municipality's answer to the notice of a discharge-ready patient (R5)."""
    stay = _stay(request, pk, CHANGE)
    _aware(payload.receive_at, "receive_at")
    actions.record_answer(
        stay,
        actor=request_user(request),
        can_receive=payload.can_receive,
        receive_at=payload.receive_at,
        service=payload.service,
        needs_from_hospital=payload.needs_from_hospital,
    )
    return stay_out(_stay(request, pk))


class ItemsIn(Schema):
    items: list[str]


@router.put("/stays/{int:pk}/documented", response=StayOut)
def put_documented(request: HttpRequest, pk: int, payload: ItemsIn) -> dict[str, object]:
    """The § 9 items the physician has documented (R3)."""
    stay = _stay(request, pk, CHANGE)
    actions.document(stay, payload.items, actor=request_user(request))
    return stay_out(_stay(request, pk))


@router.put("/stays/{int:pk}/prepared", response=StayOut)
def put_prepared(request: HttpRequest, pk: int, payload: ItemsIn) -> dict[str, object]:
    """What is done of the departure (R6)."""
    stay = _stay(request, pk, CHANGE)
    actions.prepare(stay, payload.items, actor=request_user(request))
    return stay_out(_stay(request, pk))


@router.get("/deadlines", response=list[DeadlineOut])
def list_deadlines(request: HttpRequest) -> list[dict[str, object]]:
    """The caller's worklist: open deadlines their organisations hold, overdue first."""
    now = clock.now()
    found = worklist(request_user(request)).select_related("holder", "stay", "need__aid_type")[:200]
    return [deadline_out(d, now) for d in found]


class DoneIn(Schema):
    note: str


@router.post("/deadlines/{int:pk}/done", response=DeadlineOut)
def deadline_done(request: HttpRequest, pk: int, payload: DoneIn) -> dict[str, object]:
    """The holder did it another way (by phone, in a meeting) and says how."""
    deadline = (
        worklist(request_user(request))
        .filter(pk=pk)
        .select_related("holder", "stay", "need__aid_type")
        .first()
    )
    if deadline is None:
        raise HttpError(404, "Not Found")
    actions.complete_deadline(deadline, actor=request_user(request), note=payload.note)
    deadline.refresh_from_db()
    return deadline_out(deadline, clock.now())


class NeedIn(Schema):
    kind: str = Field(examples=["aid", "function"])
    description: str
    own_part: str = Field("", description="What the patient and relatives do themselves (H1).")
    aid_type: str = Field("", examples=["cpap", "wheelchair"])
    duration: str = Field("unknown", examples=["short", "long", "unknown"])
    needed_for_journey_home: bool = False


class TaskOut(Schema):
    id: int
    duty: str
    party: str
    holder: str
    due: datetime.datetime
    done_at: datetime.datetime | None
    status: str
    cites: list[str]


class NeedOut(Schema):
    id: int
    kind: str
    description: str
    own_part: str
    aid_type: str | None
    duration: str
    status: str
    loan: int | None
    notes: list[str]
    tasks: list[TaskOut]


def need_out(need: Need) -> dict[str, object]:
    now = clock.now()
    return {
        "id": need.pk,
        "kind": need.kind,
        "description": need.description,
        "own_part": need.own_part,
        "aid_type": need.aid_type.slug if need.aid_type else None,
        "duration": need.duration,
        "status": need.status,
        "loan": need.loan_id,
        "notes": need.decision.get("notes", []),
        "tasks": [
            deadline_out(d, now)
            for d in need.tasks.select_related("holder", "stay", "need__aid_type").order_by("id")
        ],
    }


@router.post("/stays/{int:pk}/needs", response={201: NeedOut})
def post_need(request: HttpRequest, pk: int, payload: NeedIn) -> Status[dict[str, object]]:
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
        needed_for_journey_home=payload.needed_for_journey_home,
    )
    return Status(201, need_out(need))


@router.get("/stays/{int:pk}/needs", response=list[NeedOut])
def list_needs(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    stay = _stay(request, pk)
    return [need_out(n) for n in Need.objects.filter(stay=stay).select_related("aid_type")]


class LinkIn(Schema):
    loan: int


@router.post("/stays/{int:pk}/needs/{int:need_pk}/loan", response=NeedOut)
def link_need(request: HttpRequest, pk: int, need_pk: int, payload: LinkIn) -> dict[str, object]:
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


class TrainingIn(Schema):
    aid_type: str
    trainee: str = Field(examples=["patient", "relative", "staff"])
    names: str
    at: datetime.datetime | None = None
    interpreter: bool = False
    written_procedures: str = ""
    repeat: bool = False
    note: str = ""


class TrainingOut(Schema):
    id: int
    aid_type: str = Field(alias="aid_type.slug")
    trainee: str
    names: str
    at: datetime.datetime
    interpreter: bool
    written_procedures: str
    repeat: bool
    trainer: str = Field(alias="trainer.username")
    trainer_organisation: str = Field(alias="trainer_organisation.key")


@router.post("/stays/{int:pk}/trainings", response={201: TrainingOut})
def post_training(request: HttpRequest, pk: int, payload: TrainingIn) -> Status[Training]:
    """Who was trained on which aid, how (O10, N7)."""
    stay = _stay(request, pk, CHANGE)
    _aware(payload.at, "at")
    training = actions.record_training(
        stay,
        actor=request_user(request),
        aid_type=payload.aid_type,
        trainee=payload.trainee,
        names=payload.names,
        at=payload.at,
        interpreter=payload.interpreter,
        written_procedures=payload.written_procedures,
        repeat=payload.repeat,
        note=payload.note,
    )
    return Status(201, training)


class RelativesIn(Schema):
    relatives_need_support: bool
    minor_children: bool
    note: str = ""
    individual_plan: str = Field("", examples=["not-needed", "requested", "exists"])
    coordinator: str = ""
    responsibility_group: bool = False


@router.put("/stays/{int:pk}/relatives", response=StayOut)
def put_relatives(request: HttpRequest, pk: int, payload: RelativesIn) -> dict[str, object]:
    """Relatives who need support and minor children as relatives, assessed (R10)."""
    stay = _stay(request, pk, CHANGE)
    actions.assess_relatives(
        stay,
        actor=request_user(request),
        relatives_need_support=payload.relatives_need_support,
        minor_children=payload.minor_children,
        note=payload.note,
        individual_plan=payload.individual_plan,
        coordinator=payload.coordinator,
        responsibility_group=payload.responsibility_group,
    )
    return stay_out(_stay(request, pk))


class ReceiptIn(Schema):
    receipt: str = Field(examples=["ok", "error"])
    at: datetime.datetime


@router.post("/stays/{int:pk}/messages/{int:message_pk}/receipt", response=MessageOut)
def post_receipt(
    request: HttpRequest, pk: int, message_pk: int, payload: ReceiptIn
) -> dict[str, object]:
    """The receiver's application receipt (AppRec) for a message."""
    stay = _stay(request, pk, CHANGE)
    _aware(payload.at, "at")
    message = Message.objects.filter(stay=stay, pk=message_pk).select_related("stay").first()
    if message is None:
        raise HttpError(404, "Not Found")
    actions.record_receipt(
        message, actor=request_user(request), receipt=payload.receipt, at=payload.at
    )
    message.refresh_from_db()
    return message_out(message)


class WaitingFilter(Schema):
    month: str = Field(..., examples=["2026-11"], pattern=r"^\d{4}-(0[1-9]|1[0-2])$")


class WaitingLineOut(Schema):
    stay: int
    patient: int
    hospital: str
    days: list[datetime.date]
    amount_nok: str | None


class WaitingOut(Schema):
    municipality: str
    month: str
    days: int
    amount_nok: str | None
    missing_rates: list[int]
    lines: list[WaitingLineOut]


@router.get("/waiting-days", response=list[WaitingOut])
def get_waiting_days(
    request: HttpRequest, filters: Query[WaitingFilter]
) -> list[dict[str, object]]:
    """What each municipality pays for waiting days in a month (R9), per stay you can see."""
    year, month = (int(part) for part in filters.month.split("-"))
    first, last = waiting.month_bounds(year, month)
    found = []
    for statement in waiting.statements(visible_stays(request_user(request)), first, last):
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
                    }
                    for line in statement.lines
                ],
            }
        )
    return found
