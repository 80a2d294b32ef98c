"""Check a received MedCom HospitalNotification and read it as an `Incoming`.

Steps 1-3 of receiving (docs/contracts/messages.md): size, safe XML or a JSON object, the
FHIR R4 model, then the parts the HospitalNotification profile requires. The message's id is
Bundle.id (unique per message; MedCom's test messages share MessageHeader ids); its
MessageHeader.id is kept in `also_known_as`, because that is what a later revise-/cancel-
message's Provenance names in `refers_to`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Never
from zoneinfo import ZoneInfo

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.messageheader import MessageHeader, MessageHeaderDestination
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.provenance import Provenance

from overgang.messages.check import Rejected
from overgang.messages.errors import AppRecError
from overgang.messages.incoming import Happening, Incoming, Organisation, Person
from overgang.messages.medcom.bundle import Entries, identifier_values, organisation, referenced_id
from overgang.messages.medcom.parse import read_bundle
from overgang.messages.medcom.terms import (
    ACTIVITIES,
    ACTIVITY_SYSTEM,
    CODES,
    CPR_SYSTEM,
    EVENT_SYSTEM,
    NOTIFICATION_EVENT,
    split_activity,
)

# A time without an offset (or a bare date) is read in the sender's zone: Denmark's.
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
_CPR = re.compile(r"\d{10}")
_ENCOUNTER_STATUSES = frozenset(
    {
        "planned",
        "arrived",
        "triaged",
        "in-progress",
        "onleave",
        "finished",
        "cancelled",
        "entered-in-error",
        "unknown",
    }
)


class _Refused(Exception):
    """A profile rule the message breaks; becomes a `Rejected` at the one place that asks."""

    def __init__(self, code: AppRecError, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass(frozen=True)
class _Parts:
    header: MessageHeader
    patient: Patient
    encounter: Encounter
    provenance: Provenance
    activity: str
    sender: Organisation
    receiver: Organisation


def check_medcom(raw: bytes, content_type: str) -> Incoming | Rejected:
    """A HospitalNotification as data, or why it is refused; never raises for any input."""
    bundle = read_bundle(raw, content_type)
    if isinstance(bundle, Rejected):
        return bundle
    try:
        return _incoming(bundle, _parts(bundle))
    except _Refused as refused:
        return Rejected(refused.code, refused.text, bundle.id)


def _parts(bundle: Bundle) -> _Parts:
    if bundle.type != "message":
        _refuse(f"Bundle.type is {bundle.type!r}, not 'message'.")
    if not bundle.id:
        _refuse("The Bundle has no id.")
    entries = Entries(bundle)
    header = bundle.entry[0].resource if bundle.entry else None
    if not isinstance(header, MessageHeader):
        _refuse("The Bundle's first entry is not a MessageHeader.")
    event = header.eventCoding
    if event is None or (event.system, event.code) != (EVENT_SYSTEM, NOTIFICATION_EVENT):
        shown = None if event is None else f"{event.system}#{event.code}"
        raise _Refused(AppRecError.UNSUPPORTED, f"Not a HospitalNotification: event {shown}.")
    provenance = _provenance(entries, header)
    return _Parts(
        header=header,
        patient=_patient(entries),
        encounter=_encounter(entries, header),
        provenance=provenance,
        activity=_activity(provenance),
        sender=_organisation(entries, header, "sender"),
        receiver=_organisation(entries, header, "receiver"),
    )


def _patient(entries: Entries) -> Patient:
    patients = entries.of_type(Patient)
    if len(patients) != 1:
        _refuse(f"The Bundle holds {len(patients)} Patients, not one.")
    cprs = identifier_values(patients[0].identifier, CPR_SYSTEM)
    if not cprs:
        _refuse(f"The Patient has no CPR identifier (system {CPR_SYSTEM}).")
    if not _CPR.fullmatch(cprs[0]):
        _refuse(f"The Patient's CPR {cprs[0]!r} is not ten digits.")
    return patients[0]


def _encounter(entries: Entries, header: MessageHeader) -> Encounter:
    focus = header.focus or []
    encounter = entries.resolve(focus[0], Encounter) if focus else None
    if encounter is None:
        _refuse("MessageHeader.focus does not name an Encounter in the Bundle.")
    # A required binding the model leaves to the reader.
    if encounter.status not in _ENCOUNTER_STATUSES:
        _refuse(f"Encounter.status {encounter.status!r} is not an R4 encounter status.")
    return encounter


def _provenance(entries: Entries, header: MessageHeader) -> Provenance:
    """The Provenance of this message: the one whose target is its MessageHeader (the others
    tell the history of the earlier messages it follows)."""
    for provenance in entries.of_type(Provenance):
        if any(entries.resolve(target, MessageHeader) is header for target in provenance.target):
            return provenance
    _refuse("No Provenance has this message's MessageHeader as its target.")


def _activity(provenance: Provenance) -> str:
    codings = provenance.activity.coding if provenance.activity else None
    codes = [coding.code for coding in codings or () if coding.system == ACTIVITY_SYSTEM]
    if not codes or codes[0] not in ACTIVITIES:
        raise _Refused(
            AppRecError.UNSUPPORTED,
            f"Unknown HospitalNotification activity {codes[0] if codes else None!r}.",
        )
    return str(codes[0])


def _organisation(entries: Entries, header: MessageHeader, role: str) -> Organisation:
    reference = header.sender if role == "sender" else _primary(header.destination).receiver
    found = entries.resolve(reference, Organization)
    if found is None:
        _refuse(f"The MessageHeader's {role} is not an Organization in the Bundle.")
    result = organisation(found)
    if not result.ids:
        _refuse(f"The {role} Organization has no SOR-id.")
    return result


def _primary(destinations: list[MessageHeaderDestination] | None) -> MessageHeaderDestination:
    """The destination marked `primary` (MedCom's destinationUse), else the first."""
    if not destinations:
        _refuse("The MessageHeader has no destination.")
    for destination in destinations:
        for extension in destination.extension or ():
            coding = extension.valueCoding
            if coding is not None and coding.code == "primary":
                return destination
    return destinations[0]


def _incoming(bundle: Bundle, parts: _Parts) -> Incoming:
    status, kind = split_activity(parts.activity)
    sent_at = _aware(bundle.timestamp)
    if sent_at is None:
        _refuse("The Bundle has no timestamp.")
    refers_to = next(
        (
            referenced_id(entity.what)
            for entity in parts.provenance.entity or ()
            if referenced_id(entity.what)
        ),
        None,
    )
    return Incoming(
        standard="medcom",
        type="HospitalNotification",
        code=CODES[kind],
        version="R4",
        message_id=str(bundle.id),
        status=status,
        sent_at=sent_at,
        sender=(parts.sender,),
        receiver=(parts.receiver,),
        patient=_person(parts.patient),
        refers_to=refers_to,
        activity=parts.activity,
        happenings=(Happening(parts.activity, _when(kind, parts)),),
        also_known_as=(str(parts.header.id),) if parts.header.id else (),
    )


def _when(kind: str, parts: _Parts) -> datetime.datetime | None:
    """Admission: the Encounter's start; discharge: its end; a leave: when the Provenance says
    it occurred (the Encounter's period is the whole stay)."""
    period = parts.encounter.period
    if kind.startswith("admit-"):
        return _aware(period.start if period else None)
    if kind.startswith("discharge-"):
        return _aware(period.end if period else None)
    return _aware(parts.provenance.occurredDateTime)


def _person(patient: Patient) -> Person:
    name = next((n for n in patient.name or () if n.use == "official"), None) or next(
        iter(patient.name or ()), None
    )
    address = next(iter(patient.address or ()), None)
    birth = patient.birthDate
    return Person(
        id=identifier_values(patient.identifier, CPR_SYSTEM)[0],
        id_kind="CPR",
        family_name=str(name.family or "") if name else "",
        given_name=" ".join(str(given) for given in name.given or ()) if name else "",
        birth_date=birth if isinstance(birth, datetime.date) else None,
        sex=patient.gender if patient.gender in ("male", "female") else "",
        street=", ".join(str(line) for line in address.line or ()) if address else "",
        postal_code=str(address.postalCode or "") if address else "",
        city=str(address.city or "") if address else "",
    )


def _aware(value: object) -> datetime.datetime | None:
    """A FHIR dateTime as an aware datetime: a bare date is its midnight in Denmark, a partial
    one ("2023", "2023-03") is no time at all."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=DANISH_TIME)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), DANISH_TIME)
    return None


def _refuse(text: str) -> Never:
    raise _Refused(AppRecError.SCHEMA, text)
