"""The MedCom Acknowledgement that answers every received MedCom message, accepted or refused.

A FHIR message Bundle (http://medcomfhir.dk/ig/acknowledgement): a MessageHeader whose
response names the original MessageHeader.id with `ok` or `fatal-error` (Overgang refuses
only for good: a message refused for its content is refused again when resent, so it never
answers `transient-error`), our Organization as the sender, the original sender's as the
destination, a Provenance with the activity `acknowledgement`, and for a refusal an
OperationOutcome carrying the reason.

For a message that cannot be read at all, or whose header cannot be found, the answer is what
is possible: response.identifier "unknown" and MedCom's unknown endpoint with no receiver, so
the sender's integration engine can still see a fatal error with its reason.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from lxml import etree

from overgang.messages.check import Rejected
from overgang.messages.errors import AppRecError
from overgang.messages.incoming import Incoming, Organisation
from overgang.messages.medcom.compose import endpoint, organization
from overgang.messages.medcom.fhir_xml import resource_xml
from overgang.messages.medcom.parse import FHIR_NS, read_data
from overgang.messages.medcom.terms import (
    ACKNOWLEDGEMENT_ACTIVITY,
    ACKNOWLEDGEMENT_EVENT,
    ACKNOWLEDGEMENT_PROFILE,
    ACTIVITY_SYSTEM,
    DESTINATION_USE_SYSTEM,
    DESTINATION_USE_URL,
    EVENT_SYSTEM,
    SOR_SYSTEM,
)

UNKNOWN_ID = "unknown"
_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_SOR_ID = re.compile(r"\d{1,30}")
_NS = {"f": FHIR_NS}

# A refusal's reason as a FHIR issue type (http://hl7.org/fhir/issue-type).
_ISSUE_TYPES = {
    AppRecError.NOT_XML: "structure",
    AppRecError.SCHEMA: "structure",
    AppRecError.UNSUPPORTED: "not-supported",
    AppRecError.OTHER_FORMAT: "too-costly",
}


@dataclass(frozen=True)
class _Original:
    header_id: str | None
    sender: Organisation | None


def acknowledgement(
    result: Incoming | Rejected, *, raw: bytes, by: Organisation, now: datetime.datetime
) -> bytes:
    """The Acknowledgement of the message `raw` that was checked as `result`, as FHIR XML.

    Raises (a bug, never the sender's fault) if the answer does not follow the R4 model. The
    model checks the answer as built; its XML is written from the same data (`resource_xml`,
    which the tests hold to the model's own XML), as the model's writer costs more than
    receiving the message."""
    if now.tzinfo is None:
        raise ValueError("now has no time zone.")
    original = _from_incoming(result) if isinstance(result, Incoming) else _peek(raw)
    answer = _bundle(result, original, by, now)
    Bundle.model_validate(answer)
    return resource_xml(answer)


def _bundle(
    result: Incoming | Rejected, original: _Original, by: Organisation, now: datetime.datetime
) -> dict[str, Any]:
    ids = {part: str(uuid.uuid4()) for part in ("header", "us", "them", "provenance", "outcome")}
    header: dict[str, Any] = {
        "eventCoding": {"system": EVENT_SYSTEM, "code": ACKNOWLEDGEMENT_EVENT},
        "destination": [_destination(original.sender, ids["them"])],
        "sender": {"reference": f"Organization/{ids['us']}"},
        "source": {"endpoint": endpoint(by)},
        "response": {
            "identifier": original.header_id or UNKNOWN_ID,
            "code": "ok" if isinstance(result, Incoming) else "fatal-error",
        },
    }
    entries = [
        ("MessageHeader", ids["header"], header),
        ("Organization", ids["us"], organization(by)),
    ]
    if original.sender is not None:
        entries.append(("Organization", ids["them"], organization(original.sender)))
    entries.append(("Provenance", ids["provenance"], _provenance(original, ids, now)))
    if isinstance(result, Rejected):
        header["response"]["details"] = {"reference": f"OperationOutcome/{ids['outcome']}"}
        entries.append(("OperationOutcome", ids["outcome"], _outcome(result)))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [ACKNOWLEDGEMENT_PROFILE]},
        "type": "message",
        "timestamp": now.isoformat(),
        "entry": [
            {"fullUrl": f"{kind}/{id_}", "resource": {"resourceType": kind, "id": id_, **body}}
            for kind, id_, body in entries
        ],
    }


def _destination(sender: Organisation | None, them: str) -> dict[str, Any]:
    destination: dict[str, Any] = {
        "extension": [
            {
                "url": DESTINATION_USE_URL,
                "valueCoding": {"system": DESTINATION_USE_SYSTEM, "code": "primary"},
            }
        ],
        "endpoint": endpoint(sender or Organisation("")),
    }
    if sender is not None:
        destination["receiver"] = {"reference": f"Organization/{them}"}
    return destination


def _provenance(original: _Original, ids: dict[str, str], now: datetime.datetime) -> dict[str, Any]:
    provenance: dict[str, Any] = {
        "target": [{"reference": f"MessageHeader/{ids['header']}"}],
        "occurredDateTime": now.isoformat(),
        "recorded": now.isoformat(),
        "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": ACKNOWLEDGEMENT_ACTIVITY}]},
        "agent": [{"who": {"reference": f"Organization/{ids['us']}"}}],
    }
    if original.header_id:
        provenance["entity"] = [
            {"role": "revision", "what": {"reference": f"MessageHeader/{original.header_id}"}}
        ]
    return provenance


def _outcome(rejected: Rejected) -> dict[str, Any]:
    return {
        "issue": [
            {
                "severity": "error",
                "code": _ISSUE_TYPES.get(rejected.code, "processing"),
                "details": {"text": _printable(rejected.text) or rejected.code.value},
            }
        ]
    }


def _from_incoming(incoming: Incoming) -> _Original:
    header_id = incoming.also_known_as[0] if incoming.also_known_as else incoming.message_id
    sender = incoming.sender[0] if incoming.sender else None
    return _Original(
        header_id=_fhir_id(header_id),
        sender=None if sender is None else _organisation(sender.name, list(sender.ids)),
    )


def _peek(raw: bytes) -> _Original:
    """The original's MessageHeader.id and sender, read without the model (which refused it)."""
    data = read_data(raw, "")
    if isinstance(data, Rejected):
        return _Original(None, None)
    if isinstance(data, dict):
        return _peek_json(data)
    return _peek_xml(data)


def _peek_json(bundle: dict[str, Any]) -> _Original:
    entries = [e.get("resource") for e in _list(bundle.get("entry")) if isinstance(e, dict)]
    resources = [r for r in entries if isinstance(r, dict)]
    header = (
        resources[0] if resources and resources[0].get("resourceType") == "MessageHeader" else {}
    )
    sender_reference = _dict(header.get("sender")).get("reference")
    sender = None
    for resource in resources:
        if resource.get("resourceType") == "Organization" and _refers(
            sender_reference, resource.get("id")
        ):
            sors = [
                i.get("value")
                for i in _list(resource.get("identifier"))
                if isinstance(i, dict) and i.get("system") == SOR_SYSTEM
            ]
            sender = _organisation(resource.get("name"), sors)
            break
    return _Original(_fhir_id(header.get("id")), sender)


def _peek_xml(bundle: etree._Element) -> _Original:
    header = bundle.find("f:entry/f:resource/f:MessageHeader", _NS)
    if header is None:
        return _Original(None, None)
    sender_reference = _value(header, "f:sender/f:reference")
    sender = None
    for resource in bundle.iterfind("f:entry/f:resource/f:Organization", _NS):
        if _refers(sender_reference, _value(resource, "f:id")):
            sors = [
                _value(identifier, "f:value")
                for identifier in resource.iterfind("f:identifier", _NS)
                if _value(identifier, "f:system") == SOR_SYSTEM
            ]
            sender = _organisation(_value(resource, "f:name"), sors)
            break
    return _Original(_fhir_id(_value(header, "f:id")), sender)


def _value(element: etree._Element, path: str) -> str | None:
    found = element.find(path, _NS)
    return None if found is None else found.get("value")


def _refers(reference: object, id_: object) -> bool:
    return isinstance(reference, str) and isinstance(id_, str) and reference.endswith(f"/{id_}")


def _organisation(name: object, sors: list[Any]) -> Organisation:
    """Only what is safe to repeat: a printable name, SOR-ids that are digits."""
    return Organisation(
        name=_printable(name) if isinstance(name, str) else "",
        ids=tuple(sor for sor in sors if isinstance(sor, str) and _SOR_ID.fullmatch(sor)),
    )


def _fhir_id(value: object) -> str | None:
    return value if isinstance(value, str) and _FHIR_ID.fullmatch(value) else None


def _printable(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
