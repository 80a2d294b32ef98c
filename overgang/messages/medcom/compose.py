"""Compose a MedCom HospitalNotification for sending, checked by the same door it would enter."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from overgang.messages.check import Rejected
from overgang.messages.incoming import Organisation, Person, Status
from overgang.messages.medcom.fhir_xml import resource_xml
from overgang.messages.medcom.receive import check_medcom
from overgang.messages.medcom.terms import (
    ACT_CODE_SYSTEM,
    ACTIVITIES,
    ACTIVITY_SYSTEM,
    CPR_SYSTEM,
    DESTINATION_USE_SYSTEM,
    DESTINATION_USE_URL,
    EVENT_SYSTEM,
    NOTIFICATION_EVENT,
    NOTIFICATION_PROFILE,
    SOR_ENDPOINT,
    SOR_SYSTEM,
    UNKNOWN_ENDPOINT,
    split_activity,
)

# The ids of a message's other resources follow from its own id, so composing the same
# notification twice gives the same document (a resend is byte for byte the first).
_IDS = uuid.UUID("0b1c5e8e-4d0f-4c38-9f4e-6d2a1e7c9a10")


@dataclass(frozen=True)
class Notification:
    """What a HospitalNotification says, in plain terms.

    `message_id` becomes both Bundle.id and MessageHeader.id, so a later revise-/cancel-
    names it in `refers_to` the way a receiver (Overgang too) knows it."""

    message_id: str
    activity: str  # a code of the profile: admit-inpatient, revise-…, cancel-…
    sent_at: datetime.datetime  # aware
    sender: Organisation  # ids: its SOR-ids, the first one addresses it
    receiver: Organisation
    patient: Person  # id: the CPR
    encounter_start: datetime.datetime  # aware
    encounter_end: datetime.datetime | None = None
    refers_to: str | None = None  # the earlier message a revise-/cancel- amends


def hospital_notification(notification: Notification) -> bytes:
    """The notification as a FHIR XML Bundle; ValueError, with the reason, if it would not pass
    a receiver's check (check_medcom)."""
    if notification.activity not in ACTIVITIES:
        raise ValueError(f"Unknown HospitalNotification activity {notification.activity!r}.")
    for name in ("sent_at", "encounter_start", "encounter_end"):
        value = getattr(notification, name)
        if value is not None and value.tzinfo is None:
            raise ValueError(f"{name} has no time zone.")
    bundle = _bundle(notification)
    # The FHIR model checks the Bundle as built; its XML is written from the same data
    # (resource_xml: fhir.resources' own writer takes longer than the rest together).
    Bundle.model_validate(bundle)
    document = resource_xml(bundle)
    checked = check_medcom(document, "application/fhir+xml")
    if isinstance(checked, Rejected):
        raise ValueError(f"The HospitalNotification would be refused: {checked.text}")
    return document


def _bundle(n: Notification) -> dict[str, Any]:
    ids = _Ids(n.message_id)
    return {
        "resourceType": "Bundle",
        "id": n.message_id,
        "meta": {"profile": [NOTIFICATION_PROFILE]},
        "type": "message",
        "timestamp": n.sent_at.isoformat(),
        "entry": [
            _entry("MessageHeader", n.message_id, _header(n, ids)),
            _entry("Patient", ids.patient, _patient(n.patient)),
            _entry("Encounter", ids.encounter, _encounter(n, ids)),
            _entry("Organization", ids.sender, organization(n.sender)),
            _entry("Organization", ids.receiver, organization(n.receiver)),
            _entry("Provenance", ids.provenance, _provenance(n, ids)),
        ],
    }


class _Ids:
    def __init__(self, message_id: str) -> None:
        def derived(part: str) -> str:
            return str(uuid.uuid5(_IDS, f"{message_id}/{part}"))

        self.patient = derived("patient")
        self.encounter = derived("encounter")
        self.sender = derived("sender")
        self.receiver = derived("receiver")
        self.provenance = derived("provenance")


def _entry(kind: str, id_: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"{kind}/{id_}", "resource": {"resourceType": kind, "id": id_, **resource}}


def _header(n: Notification, ids: _Ids) -> dict[str, Any]:
    return {
        "eventCoding": {"system": EVENT_SYSTEM, "code": NOTIFICATION_EVENT},
        "destination": [
            {
                "extension": [
                    {
                        "url": DESTINATION_USE_URL,
                        "valueCoding": {"system": DESTINATION_USE_SYSTEM, "code": "primary"},
                    }
                ],
                "endpoint": endpoint(n.receiver),
                "receiver": {"reference": f"Organization/{ids.receiver}"},
            }
        ],
        "sender": {"reference": f"Organization/{ids.sender}"},
        "source": {"endpoint": endpoint(n.sender)},
        "focus": [{"reference": f"Encounter/{ids.encounter}"}],
    }


def endpoint(organisation: Organisation) -> str:
    """Where MedCom's examples address an organisation: its SOR entry."""
    return SOR_ENDPOINT.format(organisation.ids[0]) if organisation.ids else UNKNOWN_ENDPOINT


def organization(organisation: Organisation) -> dict[str, Any]:
    """An Organization resource (without id) naming the organisation and its SOR-ids."""
    resource: dict[str, Any] = {}
    if organisation.ids:
        resource["identifier"] = [{"system": SOR_SYSTEM, "value": sor} for sor in organisation.ids]
    if organisation.name:
        resource["name"] = organisation.name
    return resource


def _patient(person: Person) -> dict[str, Any]:
    resource: dict[str, Any] = {"identifier": [{"system": CPR_SYSTEM, "value": person.id}]}
    name: dict[str, Any] = {"use": "official"}
    if person.family_name:
        name["family"] = person.family_name
    if person.given_name:
        name["given"] = person.given_name.split()
    if len(name) > 1:
        resource["name"] = [name]
    if person.sex:
        resource["gender"] = person.sex
    if person.birth_date:
        resource["birthDate"] = person.birth_date.isoformat()
    address = {
        key: value
        for key, value in (
            # In the order FHIR defines Address's elements, as XML needs them.
            ("line", [person.street] if person.street else None),
            ("city", person.city),
            ("postalCode", person.postal_code),
        )
        if value
    }
    if address:
        resource["address"] = [address]
    return resource


# The Encounter's status after each activity (MedCom HospitalNotification's rules).
_ENCOUNTER_STATUS = {
    "admit": "in-progress",
    "start-leave": "onleave",
    "end-leave": "in-progress",
    "discharge": "finished",
}


def _encounter(n: Notification, ids: _Ids) -> dict[str, Any]:
    status, kind = split_activity(n.activity)
    period = {"start": n.encounter_start.isoformat()}
    if n.encounter_end is not None:
        period["end"] = n.encounter_end.isoformat()
    stage = next(stage for stage in _ENCOUNTER_STATUS if kind.startswith(stage + "-"))
    return {
        "status": "entered-in-error" if status is Status.CANCEL else _ENCOUNTER_STATUS[stage],
        "class": {
            "system": ACT_CODE_SYSTEM,
            "code": "EMER" if "emergency" in kind else "IMP",
        },
        "subject": {"reference": f"Patient/{ids.patient}"},
        "period": period,
        "serviceProvider": {"reference": f"Organization/{ids.sender}"},
    }


def _provenance(n: Notification, ids: _Ids) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "target": [{"reference": f"MessageHeader/{n.message_id}"}],
        "occurredDateTime": n.sent_at.isoformat(),
        "recorded": n.sent_at.isoformat(),
        "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": n.activity}]},
        "agent": [{"who": {"reference": f"Organization/{ids.sender}"}}],
    }
    if n.refers_to:
        resource["entity"] = [
            {"role": "revision", "what": {"reference": f"MessageHeader/{n.refers_to}"}}
        ]
    return resource
