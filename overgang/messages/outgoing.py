"""What Overgang sends, as plain data, and the checks it passes before any XML is built
(docs/contracts/messages.md, "Sending"). `compose()` turns an `Outgoing` into a message."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from overgang.messages.incoming import Happening, Organisation, Person, Section, Status

# Characters XML 1.0 cannot carry at all (as in receipts.py); every text from outside is
# cleaned of them, so that odd input still gives well-formed XML.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# xs:dateTime allows offsets of whole minutes up to ±14:00; Python allows more.
_LARGEST_OFFSET = datetime.timedelta(hours=14)


class InvalidOutgoing(ValueError):
    """The message cannot be sent as asked: `field` names what is wrong and `reason` why.

    Raised for bad input before any XML is built, and for a built message that its schema
    refuses (field "message"); the caller shows the text and sends nothing."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotComposable(ValueError):
    """The code has no standard document Overgang can produce (EPIKRISE, Danish codes)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code!r}: {reason}")
        self.code = code


@dataclass(frozen=True)
class Contact:
    """Whom the receiver can call about the message: a ward or the person responsible."""

    name: str
    phone: str = ""


@dataclass(frozen=True)
class Outgoing:
    """One message a user sends on a stay."""

    code: str  # transitions.toml's type[:variant], e.g. "HELSEOPPL_SOKNAD:varsel"
    message_id: str  # MsgId, a uuid
    status: Status
    sent_at: datetime.datetime  # aware
    sender: tuple[Organisation, ...]  # outermost first; ids are HER-ids
    receiver: tuple[Organisation, ...]
    patient: Person
    # PLO Hendelsekode (kodeverk 9121) and time: admitted, discharge-ready, died, …
    happenings: tuple[Happening, ...] = ()
    contact: Contact | None = None
    sections: tuple[Section, ...] = ()  # reports, health information, dialogue text
    # The municipality's answer to a discharge-ready patient (TILBAKEMELDING_UTSKRIVNINGSKLAR).
    can_receive: bool | None = None
    receive_at: datetime.datetime | None = None
    service: str = ""  # the service offered, as text
    refers_to: str | None = None  # MsgId of the message a dialogue answer concerns


def clean(value: str) -> str:
    """`value` with every character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML_CHAR.sub("\ufffd", value)


def check_outgoing(outgoing: Outgoing) -> None:
    """Refuse what no valid message can be built from, naming the field."""
    if not outgoing.message_id.strip():
        raise InvalidOutgoing("message_id", "is empty")
    check_time("sent_at", outgoing.sent_at)
    for side in ("sender", "receiver"):
        _check_organisations(side, getattr(outgoing, side))
    _check_patient(outgoing.patient)
    for index, happening in enumerate(outgoing.happenings):
        if happening.at is None:
            raise InvalidOutgoing(f"happenings[{index}].at", "the time is missing")
        check_time(f"happenings[{index}].at", happening.at)
    if outgoing.receive_at is not None:
        check_time("receive_at", outgoing.receive_at)
    if outgoing.contact is not None:
        _check_contact(outgoing.contact)


def check_time(field: str, value: datetime.datetime) -> None:
    offset = value.utcoffset()
    if offset is None:
        raise InvalidOutgoing(field, "must be an aware datetime (with a time zone)")
    if offset % datetime.timedelta(minutes=1) or abs(offset) > _LARGEST_OFFSET:
        raise InvalidOutgoing(field, f"the offset {offset} is not whole minutes within ±14:00")


def phone_uri(phone: str) -> str:
    """A tel: URI of the phone number's digits (and a leading +); "" if it has none."""
    digits = "".join(c for c in phone if c.isascii() and c.isdigit())
    if not digits:
        return ""
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


def _check_organisations(side: str, organisations: tuple[Organisation, ...]) -> None:
    if not organisations:
        raise InvalidOutgoing(side, "at least one organisation is required")
    for index, organisation in enumerate(organisations):
        if not clean(organisation.name).strip():
            raise InvalidOutgoing(f"{side}[{index}].name", "is empty")
        if not any(clean(her_id).strip() for her_id in organisation.ids):
            raise InvalidOutgoing(f"{side}[{index}].ids", "a HER-id is required")


def _check_patient(patient: Person) -> None:
    if not clean(patient.id).strip():
        raise InvalidOutgoing("patient.id", "the patient's id (fødselsnummer, D-nummer) is missing")
    if not clean(patient.id_kind).strip():
        raise InvalidOutgoing("patient.id_kind", "the kind of id (FNR, DNR, …) is missing")


def _check_contact(contact: Contact) -> None:
    if not clean(contact.name).strip():
        raise InvalidOutgoing("contact.name", "is empty")
    if contact.phone and not phone_uri(contact.phone):
        raise InvalidOutgoing("contact.phone", "has no digits")
