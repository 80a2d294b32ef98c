"""Compose the messages Overgang's users send on a stay (docs/contracts/messages.md,
"Sending"): the PLO document (v1.6; v2.0 for the municipality's answer) or Dialogmelding in
a MsgHead v1.2 with the sender's and receiver's HER-ids, checked against its schema before
it is returned. Pure Python, no Django."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from overgang.messages.check import Rejected, check
from overgang.messages.dialog_document import DIALOGUES
from overgang.messages.incoming import Organisation, Person
from overgang.messages.outgoing import (
    InvalidOutgoing,
    NotComposable,
    Outgoing,
    check_outgoing,
    clean,
)
from overgang.messages.plo_documents import DOCUMENTS
from overgang.messages.schemas import MSGHEAD_NS
from overgang.messages.xmlbuild import HER_OID, sub, timestamp

__all__ = ["InvalidOutgoing", "NotComposable", "Outgoing", "compose"]

MIG_VERSION = "v1.2 2006-05-24"
_ID_KINDS = {"FNR": "Fødselsnummer", "DNR": "D-nummer"}
_SEXES = {"male": ("1", "Mann"), "female": ("2", "Kvinne")}

_ALL: dict[str, tuple[str, str, Callable[[Outgoing], etree._Element]]] = {
    **DOCUMENTS,
    **DIALOGUES,
}


def compose(outgoing: Outgoing) -> bytes:
    """The message as bytes (UTF-8 XML), valid against its schemas.

    Raises `NotComposable` for a code with no document here (EPIKRISE, Danish codes) and
    `InvalidOutgoing` for input no valid message can be built from, or a message its
    schema refuses; the exception names the field and the reason."""
    found = _ALL.get(outgoing.code)
    if found is None:
        raise NotComposable(outgoing.code, _why_not(outgoing.code))
    check_outgoing(outgoing)
    message_type, type_name, build = found
    document = build(outgoing)
    root = etree.Element(f"{{{MSGHEAD_NS}}}MsgHead", nsmap={None: MSGHEAD_NS})  # type: ignore[dict-item]
    info = sub(root, MSGHEAD_NS, "MsgInfo")
    sub(info, MSGHEAD_NS, "Type", V=message_type, DN=type_name)
    sub(info, MSGHEAD_NS, "MIGversion", MIG_VERSION)
    sub(info, MSGHEAD_NS, "GenDate", timestamp(outgoing.sent_at))
    sub(info, MSGHEAD_NS, "MsgId", outgoing.message_id)
    if outgoing.refers_to:
        conversation = sub(info, MSGHEAD_NS, "ConversationRef")
        sub(conversation, MSGHEAD_NS, "RefToParent", outgoing.refers_to)
        sub(conversation, MSGHEAD_NS, "RefToConversation", outgoing.refers_to)
    _organisations(sub(info, MSGHEAD_NS, "Sender"), outgoing.sender)
    _organisations(sub(info, MSGHEAD_NS, "Receiver"), outgoing.receiver)
    _patient(sub(info, MSGHEAD_NS, "Patient"), outgoing.patient)
    ref = sub(sub(root, MSGHEAD_NS, "Document"), MSGHEAD_NS, "RefDoc")
    sub(ref, MSGHEAD_NS, "IssueDate", V=timestamp(outgoing.sent_at))
    sub(ref, MSGHEAD_NS, "MsgType", V="XML", DN="XML-instans")
    sub(ref, MSGHEAD_NS, "Content").append(document)
    raw = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    result = check(raw)
    if isinstance(result, Rejected):
        raise InvalidOutgoing("message", result.text)
    return raw


def _why_not(code: str) -> str:
    if code == "EPIKRISE":
        return "the discharge summary is the hospital's record system's, not a PLO message"
    return "Overgang composes no PLO or Dialogmelding document for this code"


def _organisations(parent: etree._Element, organisations: tuple[Organisation, ...]) -> None:
    """Organisation inside organisation, outermost first, each with its HER-ids."""
    for organisation in organisations:
        parent = sub(parent, MSGHEAD_NS, "Organisation")
        sub(parent, MSGHEAD_NS, "OrganisationName", organisation.name)
        for her_id in organisation.ids:
            if clean(her_id).strip():
                ident = sub(parent, MSGHEAD_NS, "Ident")
                sub(ident, MSGHEAD_NS, "Id", clean(her_id).strip())
                sub(ident, MSGHEAD_NS, "TypeId", V="HER", DN="HER-id", S=HER_OID)


def _patient(element: etree._Element, person: Person) -> None:
    if person.family_name:
        sub(element, MSGHEAD_NS, "FamilyName", person.family_name)
    if person.given_name:
        sub(element, MSGHEAD_NS, "GivenName", person.given_name)
    if person.birth_date is not None:
        sub(element, MSGHEAD_NS, "DateOfBirth", person.birth_date.isoformat())
    if person.sex in _SEXES:
        code, name = _SEXES[person.sex]
        sub(element, MSGHEAD_NS, "Sex", V=code, DN=name)
    ident = sub(element, MSGHEAD_NS, "Ident")
    sub(ident, MSGHEAD_NS, "Id", clean(person.id).strip())
    kind = clean(person.id_kind).strip()
    names = {"DN": _ID_KINDS[kind]} if kind in _ID_KINDS else {}
    sub(ident, MSGHEAD_NS, "TypeId", V=kind, S="2.16.578.1.12.4.1.1.8116", **names)
    if person.street or person.postal_code or person.city:
        address = sub(element, MSGHEAD_NS, "Address")
        sub(address, MSGHEAD_NS, "Type", V="H", DN="Bostedsadresse")
        for name, value in (
            ("StreetAdr", person.street),
            ("PostalCode", person.postal_code),
            ("City", person.city),
        ):
            if value:
                sub(address, MSGHEAD_NS, name, value)
