"""The standard document of a message a user sends on a stay: PLO v1.6 (v2.0 for the
municipality's answer) in MsgHead with HER-ids, or a MedCom HospitalNotification with
SOR-ids (docs/contracts/messages.md, "Sending")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from overgang.messages import (
    InvalidOutgoing,
    NotComposable,
    Notification,
    Outgoing,
    compose,
    hospital_notification,
)
from overgang.messages import incoming as plain
from overgang.messages.plo_documents import (
    ADMITTED,
    DIED,
    DISCHARGE_READY,
    DISCHARGED,
    WITHDRAWN,
)
from overgang.organisations import access_cache
from overgang.organisations.models import Kind, Organisation
from overgang.stays.access import holder_for
from overgang.stays.models import Admission, Message, Stay, StayEvent


class NotSendable(Exception):
    """The message has no document to send, or no address to send it to: it is recorded on
    the stay, and its delivery says why it was not sent."""


@dataclass(frozen=True)
class Document:
    body: bytes
    content_type: str


def document_for(message: Message) -> Document:
    """The message's document. NotSendable when the standard has none for it or a party has
    no id in the register; InvalidOutgoing when the document would not be valid."""
    stay = message.stay
    if stay.country == "DK":
        return _medcom(message, stay)
    return _plo(message, stay)


def _plo(message: Message, stay: Stay) -> Document:
    hospital = _levels(_hospital_levels(stay), "her_id")
    municipality = _levels(_municipal_levels(stay), "her_id")
    from_hospital = message.sender == "hospital"
    try:
        body = compose(
            Outgoing(
                code=message.code,
                message_id=str(message.message_id),
                status=plain.Status.NEW,
                sent_at=message.sent_at,
                sender=hospital if from_hospital else municipality,
                receiver=municipality if from_hospital else hospital,
                patient=_person(stay, "FNR" if stay.patient.id_kind != "DNR" else "DNR"),
                happenings=_happenings(message, stay),
                sections=_sections(message),
                can_receive=stay.can_receive,
                receive_at=stay.receive_at,
                service=stay.service,
            )
        )
    except NotComposable as error:
        raise NotSendable(str(error)) from None
    return Document(body, "application/xml")


def _medcom(message: Message, stay: Stay) -> Document:
    activity = _activity(message, stay)
    hospital = _levels(_hospital_levels(stay), "sor_id")[-1]
    municipality = _levels(_municipal_levels(stay), "sor_id")[-1]
    try:
        body = hospital_notification(
            Notification(
                message_id=str(message.message_id),
                activity=activity,
                sent_at=message.sent_at,
                sender=hospital,
                receiver=municipality,
                patient=_person(stay, "CPR"),
                encounter_start=stay.admitted_at,
                encounter_end=stay.ended_at if activity.startswith("discharge") else None,
            )
        )
    except ValueError as error:
        raise InvalidOutgoing("message", str(error)) from None
    return Document(body, "application/fhir+xml")


def _activity(message: Message, stay: Stay) -> str:
    if message.type == "SYGEHUSADVIS_INDLAGT":
        return "admit-emergency" if stay.admission == Admission.EMERGENCY else "admit-inpatient"
    if message.type == "SYGEHUSADVIS_UDSKREVET":
        return "discharge-inpatient-home"
    # A leave from the stay (N5): the Encounter is "onleave", then "in-progress" again.
    if message.type == "SYGEHUSADVIS_ORLOV_START":
        return "start-leave-inpatient"
    if message.type == "SYGEHUSADVIS_ORLOV_SLUT":
        return "end-leave-inpatient"
    raise NotSendable(f"MedCom has no HospitalNotification for {message.code}.")


def _hospital_levels(stay: Stay) -> list[Organisation]:
    """The hospital as its messages name it: the trust, then the department (or hospital)."""
    # From the register: the unit and its parents without a query each.
    unit = access_cache.current_register().get(stay.department_id or stay.hospital_id)
    trust = unit.nearest(Kind.TRUST, Kind.REGION)
    return [org for org in (trust, unit) if org is not None]


def _municipal_levels(stay: Stay) -> list[Organisation]:
    """The municipality, then the office that holds its duties on the stay."""
    holder = holder_for(stay, "municipality")
    municipality = holder.nearest(Kind.MUNICIPALITY)
    levels = [municipality] if municipality is not None and municipality != holder else []
    return [*levels, holder]


def _levels(organisations: list[Organisation], id_field: str) -> tuple[plain.Organisation, ...]:
    """The levels that have an id in the register; none at all is no address."""
    levels = tuple(
        plain.Organisation(org.name, (getattr(org, id_field),))
        for org in organisations
        if getattr(org, id_field)
    )
    if not levels:
        kind = "HER-id" if id_field == "her_id" else "SOR-id"
        raise NotSendable(f"{organisations[-1].name} has no {kind} in the organisation register.")
    return levels


def _person(stay: Stay, kind: str) -> plain.Person:
    patient = stay.patient
    family = patient.sort_name.split(",")[0].strip() if patient.sort_name else patient.name
    given = patient.name[: len(patient.name) - len(family)].strip()
    return plain.Person(
        id=patient.national_id,
        id_kind=kind,
        family_name=family,
        given_name=given,
        birth_date=patient.birth_date,
        street=patient.address,
        postal_code=patient.postcode,
        city=patient.post_town,
    )


def _happenings(message: Message, stay: Stay) -> tuple[plain.Happening, ...]:
    """The dates a logistics message carries, as the stay has them."""
    admitted = plain.Happening(ADMITTED, stay.admitted_at)
    ready_at = stay.discharge_ready_at or _last(stay, "discharge-ready")
    ready = (plain.Happening(DISCHARGE_READY, ready_at),) if ready_at else ()
    match message.type:
        case "LOG_INNLAGT":
            return (admitted,)
        case "LOG_UTSKRIVNINGSKLAR" | "TILBAKEMELDING_UTSKRIVNINGSKLAR":
            return (admitted, *ready)
        case "LOG_AVMELDING":
            return (admitted, *ready, plain.Happening(WITHDRAWN, message.sent_at))
        case "LOG_UTSKREVET":
            return (admitted, plain.Happening(DISCHARGED, stay.ended_at or message.sent_at))
        case "LOG_DOD":
            return (plain.Happening(DIED, stay.ended_at or message.sent_at),)
    # Reports and health information tell of the stay they belong to.
    return (admitted,)


def _last(stay: Stay, name: str) -> datetime.datetime | None:
    event = StayEvent.objects.filter(stay=stay, name=name).order_by("-at", "-id").first()
    return event.at if event else None


def _sections(message: Message) -> tuple[plain.Section, ...]:
    text = message.payload.strip()
    return (plain.Section("Merknad", tuple(text.splitlines())),) if text else ()
