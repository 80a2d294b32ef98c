"""Which standard a received body is, and reading it: steps 1-3 of receiving (size, safe
XML or JSON, the schema), then what the message says (`Incoming`).

The standards' own code is in the pure package `overgang.messages`; this module only picks
the reader and keeps what the receipt needs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from lxml import etree

from overgang.messages import (
    AppRecError,
    Checked,
    ReceivedReceipt,
    Rejected,
    check_medcom,
    parse_receipt,
    read_plo,
)
from overgang.messages.check import MAX_BYTES, check_msghead, parse_xml
from overgang.messages.incoming import Incoming
from overgang.messages.medcom.acknowledged import is_acknowledgement, parse_acknowledgement
from overgang.messages.schemas import APPREC_NS, MSGHEAD_NS

FHIR_NS = "http://hl7.org/fhir"
XML_TYPES = ("application/xml", "text/xml", "application/fhir+xml")
JSON_TYPES = ("application/json", "application/fhir+json")
CONTENT_TYPES = (*XML_TYPES, *JSON_TYPES)


@dataclass(frozen=True)
class Reading:
    """What steps 1-3 made of a body: a message (`incoming`), an AppRec answering one we sent
    (`apprec`), or a refusal (`rejected`)."""

    standard: str  # "plo", "dialogmelding", "apprec", "medcom", or "" when unreadable
    digest: str
    incoming: Incoming | None = None
    checked: Checked | None = None  # a PLO message's envelope, for its AppRec
    apprec: ReceivedReceipt | None = None
    rejected: Rejected | None = None

    @property
    def message_id(self) -> str:
        if self.incoming is not None:
            return self.incoming.message_id
        if self.apprec is not None:
            return self.apprec.receipt_id
        return (self.rejected.message_id if self.rejected else None) or ""


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read(raw: bytes, content_type: str = "") -> Reading:
    """Read a body as it arrived; never raises."""
    digest = digest_of(raw)
    kind = content_type.split(";")[0].strip().lower()
    if len(raw) > MAX_BYTES:
        too_large = Rejected(
            AppRecError.OTHER_FORMAT, f"The message is larger than {MAX_BYTES} bytes."
        )
        return Reading(_guess(raw, kind), digest, rejected=too_large)
    if kind in JSON_TYPES or (not kind and raw.lstrip()[:1] == b"{"):
        return _medcom(raw, kind or "application/fhir+json", digest)
    root = parse_xml(raw)
    if isinstance(root, Rejected):
        return Reading(_guess(raw, kind), digest, rejected=root)
    namespace = etree.QName(root).namespace
    if root.tag == f"{{{MSGHEAD_NS}}}MsgHead":
        checked = check_msghead(root)
        if isinstance(checked, Rejected):
            return Reading("plo", digest, rejected=checked)
        return Reading(checked.standard, digest, incoming=read_plo(checked), checked=checked)
    if namespace == APPREC_NS:
        answer = parse_receipt(raw)
        if isinstance(answer, Rejected):
            return Reading("apprec", digest, rejected=answer)
        return Reading("apprec", digest, apprec=answer)
    if namespace == FHIR_NS:
        return _medcom(raw, kind or "application/fhir+xml", digest)
    unknown = Rejected(AppRecError.UNSUPPORTED, f"Not a message Overgang understands: {root.tag}.")
    return Reading("", digest, rejected=unknown)


def _medcom(raw: bytes, kind: str, digest: str) -> Reading:
    if is_acknowledgement(raw, kind):
        answer = parse_acknowledgement(raw, kind)
        if isinstance(answer, Rejected):
            return Reading("medcom", digest, rejected=answer)
        return Reading("medcom", digest, apprec=answer)
    result = check_medcom(raw, kind)
    if isinstance(result, Rejected):
        return Reading("medcom", digest, rejected=result)
    return Reading("medcom", digest, incoming=result)


def _guess(raw: bytes, kind: str) -> str:
    """The standard an unreadable body was meant as, for the receipt it gets."""
    if kind in JSON_TYPES or b"hl7.org/fhir" in raw[:4096]:
        return "medcom"
    return "plo"


def content_of(incoming: Incoming) -> dict[str, Any]:
    """What the message says for people, kept as data."""
    return {
        "sections": [{"heading": s.heading, "lines": list(s.lines)} for s in incoming.sections],
        "functional_levels": [
            {"area": f.area, "code": f.code, "level": f.level, "text": f.text}
            for f in incoming.functional_levels
        ],
        "existing_aids": [{"name": a.name, "note": a.note} for a in incoming.existing_aids],
        "status": incoming.status.value,
        "activity": incoming.activity,
        "sent_at": incoming.sent_at.isoformat(),
        "sender": [{"name": o.name, "ids": list(o.ids)} for o in incoming.sender],
        "receiver": [{"name": o.name, "ids": list(o.ids)} for o in incoming.receiver],
    }
