"""What happens on a stay after admission (R3–R7, R10): its events, the messages between
hospital and municipality, the municipality's answer, the checklists and the relatives. The
shape of `POST /stays/{id}/events` is fixed by the contract."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from overgang import clock
from overgang.api.auth import request_user
from overgang.api.inputs import Id, Moment, max_length
from overgang.api.stays.common import MessageOut, StayOut, _stay, message_out, stay_out
from overgang.errors import InvalidInput
from overgang.organisations.permissions import CHANGE
from overgang.rules.transitions import transitions
from overgang.stays import actions
from overgang.stays.models import Message, Stay

router = Router()


class EventIn(Schema):
    event: str = Field(
        examples=[
            "admission-date-set",
            "discharge-planned",
            "discharge-ready",
            "discharged",
            "arrived",
            "planned-admission-cancelled",
            "planned-admission-moved",
        ]
    )
    at: Moment | None = Field(None, description="When it happened; default: now.")
    discharge_at: Moment | None = Field(
        None, description="For discharge-planned: when the discharge is planned."
    )
    reason: str = Field(
        "",
        description="discharge-ready despite open items: the physician's reason; "
        "discharged from discharge-ready: the force majeure; "
        "planned-admission-cancelled: why the planned admission is called off; "
        "planned-admission-moved: why it moves.",
    )
    admitted_at: Moment | None = Field(
        None, description="For planned-admission-moved: the new planned time of admission."
    )
    note: str = ""
    early_reason: str = Field(
        "",
        description="departure-ready or discharged before the time the municipality answered "
        "it can receive the patient: the hospital's reason (required then; the municipality "
        "is shown it).",
    )
    destination: str = Field(
        "", description="For discharged: home, or the key of the institution the patient goes to."
    )


STAY_EVENTS = (
    "discharge-ready",
    "departure-ready",
    "discharged",
    "died",
    actions.ARRIVED,
    actions.PLANNED_CANCELLED,
    actions.PLANNED_MOVED,
    "episode-ended",
)


def _message_for(stay: Stay, event: str) -> str | None:
    return next(
        (m.code for m in transitions(stay.country).messages.values() if m.event == event), None
    )


PLANNED_STEPS = (actions.ARRIVED, actions.PLANNED_CANCELLED, actions.PLANNED_MOVED)


def _planned_step(
    stay: Stay, name: str, *, actor: User, at: datetime.datetime, payload: EventIn
) -> None:
    """A planned stay's steps: the patient arrives, the admission moves, or it is called
    off."""
    if name == actions.ARRIVED:
        actions.record_arrival(stay, actor=actor, at=at)
    elif name == actions.PLANNED_MOVED:
        if payload.admitted_at is None:
            raise InvalidInput({"admitted_at": "Give the new planned time of admission."})
        actions.move_planned(stay, actor=actor, to=payload.admitted_at, reason=payload.reason)
    else:
        actions.cancel_planned(stay, actor=actor, reason=payload.reason)


@router.post("/stays/{int:pk}/events", response={201: StayOut})
def post_event(request: HttpRequest, pk: Id, payload: EventIn) -> Status[dict[str, object]]:
    """An event on the stay: one the agreement sets deadlines by (as in the rules contract),
    or a step of the stay itself (discharge-ready, departure-ready, discharged, died; on a
    planned stay: arrived, planned-admission-cancelled or -moved with a reason; an outpatient
    episode: episode-ended)."""
    actor = request_user(request)
    stay = _stay(request, pk, CHANGE)
    at = payload.at or clock.now()
    name = payload.event
    if name in actions.RECORDABLE_EVENTS:
        actions.record_event(
            stay, name, actor=actor, at=at, note=payload.note, discharge_at=payload.discharge_at
        )
    elif name == actions.SUPPLEMENTARY_REQUESTED:
        actions.request_supplementary_information(stay, actor=actor, at=at, note=payload.note)
    elif name in ("admission-notified", "discharge-ready-notified"):
        code = _message_for(stay, name)
        if code is None:
            raise InvalidInput({"event": f"The agreement {stay.agreement} has no {name} message."})
        actions.record_message(stay, code, actor=actor, sent_at=at)
    elif name == "discharge-ready":
        actions.declare_discharge_ready(stay, actor=actor, at=at, override=payload.reason)
    elif name == "departure-ready":
        actions.declare_departure_ready(
            stay, actor=actor, at=at, reason=payload.early_reason or payload.reason
        )
    elif name == "discharged":
        actions.discharge(
            stay,
            actor=actor,
            at=at,
            force_majeure=payload.reason,
            destination=payload.destination,
            reason=payload.early_reason,
        )
    elif name == "died":
        actions.record_death(stay, actor=actor, at=at)
    elif name in BEFORE_AND_OUTSIDE_A_STAY:
        _before_or_outside_a_stay(stay, name, actor=actor, at=at, payload=payload)
    else:
        known = (
            *actions.RECORDABLE_EVENTS,
            actions.SUPPLEMENTARY_REQUESTED,
            "admission-notified",
            "discharge-ready-notified",
        )
        raise InvalidInput(
            {"event": f"Unknown event {name!r}; known: {', '.join((*known, *STAY_EVENTS))}."}
        )
    return Status(201, stay_out(_stay(request, pk)))


# The steps of a planned stay before the patient arrives, and of an outpatient episode.
BEFORE_AND_OUTSIDE_A_STAY = (*PLANNED_STEPS, "episode-ended")


def _before_or_outside_a_stay(
    stay: Stay, name: str, *, actor: User, at: datetime.datetime, payload: EventIn
) -> None:
    if name in PLANNED_STEPS:
        _planned_step(stay, name, actor=actor, at=at, payload=payload)
    else:
        # An outpatient episode is closed by the hospital, not discharged (R11, U1).
        actions.end_episode(stay, actor=actor, at=at, note=payload.note)


class MessageIn(Schema):
    type: str = Field(examples=["INNLEGGELSESRAPPORT", "HELSEOPPL_SOKNAD:oppdatert"])
    sent_at: Moment | None = None
    received_at: Moment | None = None
    version: str = Field("", examples=["1.6"], max_length=max_length(Message, "version"))
    message_id: uuid.UUID | None = None
    sender: str | None = Field(
        None,
        description="For a dialogue message: who sends it.",
        max_length=max_length(Message, "sender"),
    )
    payload: str = ""


@router.post("/stays/{int:pk}/messages", response={201: MessageOut})
def post_message(request: HttpRequest, pk: Id, payload: MessageIn) -> Status[dict[str, object]]:
    """A message of the agreement was sent on the stay; it closes the duties it fulfils."""
    stay = _stay(request, pk, CHANGE)
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
    receive_at: Moment | None = None
    service: str = Field("", max_length=max_length(Stay, "service"))
    needs_from_hospital: str = Field("", description="Medicines and equipment needed (R5).")


@router.post("/stays/{int:pk}/answer", response=StayOut)
def post_answer(request: HttpRequest, pk: Id, payload: AnswerIn) -> dict[str, object]:
    """The municipality's answer to the notice of a discharge-ready patient (R5)."""
    stay = _stay(request, pk, CHANGE)
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


class DocumentedIn(Schema):
    items: list[str]
    # What the physician wrote for each ticked item (R9, forskrift § 14): required per item.
    texts: dict[str, str] = Field(default_factory=dict, examples=[{"admission-questions": "…"}])


@router.put("/stays/{int:pk}/documented", response=StayOut)
def put_documented(request: HttpRequest, pk: Id, payload: DocumentedIn) -> dict[str, object]:
    """The § 9 items the physician has documented (R3), each with what was written about
    it (R9): a ticked item without its text is refused (422, `texts.<item>`)."""
    stay = _stay(request, pk, CHANGE)
    actions.document(stay, payload.items, actor=request_user(request), texts=payload.texts)
    return stay_out(_stay(request, pk))


@router.put("/stays/{int:pk}/prepared", response=StayOut)
def put_prepared(request: HttpRequest, pk: Id, payload: ItemsIn) -> dict[str, object]:
    """What is done of the departure (R6)."""
    stay = _stay(request, pk, CHANGE)
    actions.prepare(stay, payload.items, actor=request_user(request))
    return stay_out(_stay(request, pk))


class RelativesIn(Schema):
    relatives_need_support: bool
    minor_children: bool
    note: str = ""
    individual_plan: str = Field("", examples=["not-needed", "requested", "exists"])
    coordinator: str = Field("", max_length=max_length(Stay, "coordinator"))
    responsibility_group: bool = False
    coordinator_needed: bool = Field(
        False,
        description="The patient needs a municipal coordinator: reported, with an individual "
        "plan 'requested', to the municipality's coordinating unit as a task (R10).",
    )


@router.put("/stays/{int:pk}/relatives", response=StayOut)
def put_relatives(request: HttpRequest, pk: Id, payload: RelativesIn) -> dict[str, object]:
    """Relatives who need support and minor children as relatives, assessed; an individual
    plan or a coordinator reported to the municipality (R10)."""
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
        coordinator_needed=payload.coordinator_needed,
    )
    return stay_out(_stay(request, pk))


class ReceiptIn(Schema):
    receipt: str = Field(examples=["ok", "error"])
    at: Moment


@router.post("/stays/{int:pk}/messages/{int:message_pk}/receipt", response=MessageOut)
def post_receipt(
    request: HttpRequest, pk: Id, message_pk: Id, payload: ReceiptIn
) -> dict[str, object]:
    """The receiver's application receipt (AppRec) for a message."""
    stay = _stay(request, pk, CHANGE)
    message = Message.objects.filter(stay=stay, pk=message_pk).select_related("stay").first()
    if message is None:
        raise HttpError(404, "Not Found")
    actions.record_receipt(
        message, actor=request_user(request), receipt=payload.receipt, at=payload.at
    )
    message.refresh_from_db()
    return message_out(message)
