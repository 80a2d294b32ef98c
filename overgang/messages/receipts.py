"""Application receipts (AppRec v1.1) for PLO messages (docs/contracts/messages.md, "Receipts").

`receipt()` answers every incoming PLO message, accepted or rejected, with an AppRec v1.1 that
is validated against its schema before it is returned. `parse_receipt()` reads an AppRec v1.1
that answers a message Overgang sent.

Status codes: as docs/contracts/messages.md fixes them, 1 for accepted and 3 for rejected.
(Kodeverk 2.16.578.1.12.4.1.1.8258 "Status for mottak av melding" reads 2 as "Avvist" and 3
as "OK, feil i delmelding"; the contract's 3 is kept, as interfaces depend on it. A receipt we
read with 2 or 3 is a rejection: the message was not taken as sent.) Error codes: kodeverk
8221 (`errors.py`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lxml import etree

from overgang.messages.check import Checked, Rejected, read_root
from overgang.messages.errors import APPREC_ERROR_OID, AppRecError
from overgang.messages.schemas import APPREC_NS, MSGHEAD_NS, apprec

APPREC_STATUS_OID = "2.16.578.1.12.4.1.1.8258"
HER_OID = "2.16.578.1.12.4.1.1.9051"
MIG_VERSION = "v1.1 2012-02-15"
UNKNOWN_SENDER = "Ukjent avsender: meldingen kunne ikke leses"

_MH = {"mh": MSGHEAD_NS}
_AR = {"ar": APPREC_NS}
# Characters XML 1.0 cannot carry at all; anything from outside is cleaned of them.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XS_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")


class ReceiptStatus(StrEnum):
    OK = "1"
    REJECTED = "3"  # the contract's code for a rejection (see the module's docstring)

    @property
    def display_name(self) -> str:
        return {"1": "OK", "3": "Avvist"}[self.value]


# What a status read from another system's receipt means to us.
READ_STATUS = {"1": ReceiptStatus.OK, "2": ReceiptStatus.REJECTED, "3": ReceiptStatus.REJECTED}


class InvalidReceipt(RuntimeError):
    """A receipt Overgang built does not follow the AppRec schema: a bug, never sent."""


@dataclass(frozen=True)
class Party:
    """An organisation in a receipt: its name and HER-id, and a department inside it."""

    name: str | None
    her_id: str | None
    department: Party | None = None


@dataclass(frozen=True)
class ReceiptError:
    code: str  # kodeverk 8221, e.g. "T02"
    name: str  # its DN text
    text: str  # the explanation (OT)


@dataclass(frozen=True)
class ReceivedReceipt:
    """An AppRec answering a message: its status, errors and which message it answers."""

    receipt_id: str
    status: ReceiptStatus
    errors: tuple[ReceiptError, ...]
    original_type: str | None
    original_issued: str
    original_id: str
    sender: Party


def receipt(result: Checked | Rejected, *, raw: bytes, by: Party, now: datetime) -> bytes:
    """The AppRec v1.1 answering `raw`, which `check()` answered with `result`.

    `by` is Overgang's organisation, the receiver of the original (the receipt's sender); the
    receipt goes to the original's sender as MsgHead names it. What cannot be known (the
    message could not be read) is said as such: an unknown sender, an empty original id, and
    the time of receipt as IssueDate (the schema requires one)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    head = _msghead(result, raw)
    errors: tuple[tuple[AppRecError, str], ...]
    if isinstance(result, Checked):
        status, errors = ReceiptStatus.OK, ()
        message_id: str | None = result.message_id
    else:
        status, errors = ReceiptStatus.REJECTED, ((result.code, result.text),)
        message_id = result.message_id
    if message_id is None and head is not None:
        message_id = _text(head, "mh:MsgInfo/mh:MsgId")
    generated = now.isoformat(timespec="seconds")

    root = etree.Element(f"{{{APPREC_NS}}}AppRec", nsmap={None: APPREC_NS})  # type: ignore[dict-item]
    _sub(root, "MsgType", V="APPREC", DN="Applikasjonskvittering")
    _sub(root, "MIGversion").text = MIG_VERSION
    _sub(root, "SoftwareName").text = "Overgang"
    _sub(root, "GenDate").text = generated
    _sub(root, "Id").text = str(uuid.uuid4())
    _party(_sub(_sub(root, "Sender"), "HCP"), by)
    _party(_sub(_sub(root, "Receiver"), "HCP"), _sender(head))
    _sub(root, "Status", V=status.value, DN=status.display_name)
    for code, text in errors:
        _sub(root, "Error", V=code.value, S=APPREC_ERROR_OID, DN=code.display_name, OT=text)
    original = _sub(root, "OriginalMsgId")
    type_ = None if head is None else head.find("mh:MsgInfo/mh:Type", _MH)
    attributes = {} if type_ is None else {k: type_.get(k) for k in ("V", "DN") if type_.get(k)}
    _sub(original, "MsgType", **{k: v for k, v in attributes.items() if v is not None})
    issued = None if head is None else _text(head, "mh:MsgInfo/mh:GenDate")
    _sub(original, "IssueDate").text = (
        issued if issued and _XS_DATETIME.fullmatch(issued) else generated
    )
    _sub(original, "Id").text = message_id or ""

    error = next(apprec().iter_errors(root), None)
    if error is not None:
        raise InvalidReceipt(str(error))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parse_receipt(raw: bytes) -> ReceivedReceipt | Rejected:
    """An incoming AppRec v1.1, checked like any message (size, XML, schema); never raises."""
    root = read_root(raw, f"{{{APPREC_NS}}}AppRec", "receipt", "an AppRec v1.1 receipt")
    if isinstance(root, Rejected):
        return root
    error = next(apprec().iter_errors(root), None)
    if error is not None:
        return Rejected(AppRecError.SCHEMA, f"The receipt does not follow its schema: {error}")
    status = root.find("ar:Status", _AR)
    status_code = READ_STATUS.get(status.get("V", "") if status is not None else "")
    if status_code is None:
        return Rejected(AppRecError.SCHEMA, "The receipt's Status is not 1, 2 or 3.")
    original_type = root.find("ar:OriginalMsgId/ar:MsgType", _AR)
    return ReceivedReceipt(
        receipt_id=_text(root, "ar:Id", _AR) or "",
        status=status_code,
        errors=tuple(
            ReceiptError(e.get("V", ""), e.get("DN", ""), e.get("OT", ""))
            for e in root.findall("ar:Error", _AR)
        ),
        original_type=None if original_type is None else original_type.get("V"),
        original_issued=_text(root, "ar:OriginalMsgId/ar:IssueDate", _AR) or "",
        original_id=_text(root, "ar:OriginalMsgId/ar:Id", _AR) or "",
        sender=_read_party(root.find("ar:Sender/ar:HCP/ar:Inst", _AR)),
    )


def _msghead(result: Checked | Rejected, raw: bytes) -> etree._Element | None:
    """The original's MsgHead as far as it can be read safely, else None."""
    if isinstance(result, Checked):
        return result.element.getroottree().getroot()
    root = read_root(raw, f"{{{MSGHEAD_NS}}}MsgHead", "message", "a MsgHead v1.2 message")
    return None if isinstance(root, Rejected) else root


def _sender(head: etree._Element | None) -> Party:
    """MsgInfo/Sender's organisation and the first one inside it, with their HER-ids."""
    organisation = None if head is None else head.find("mh:MsgInfo/mh:Sender/mh:Organisation", _MH)
    if organisation is None:
        return Party(UNKNOWN_SENDER, None)
    inner = organisation.find("mh:Organisation", _MH)
    return Party(
        _text(organisation, "mh:OrganisationName") or UNKNOWN_SENDER,
        _her(organisation),
        None if inner is None else Party(_text(inner, "mh:OrganisationName"), _her(inner)),
    )


def _her(organisation: etree._Element) -> str | None:
    for ident in organisation.findall("mh:Ident", _MH):
        type_id = ident.find("mh:TypeId", _MH)
        if type_id is not None and type_id.get("V") == "HER":
            return _text(ident, "mh:Id")
    return None


def _party(hcp: etree._Element, party: Party) -> None:
    inst = _sub(hcp, "Inst")
    _named(inst, party)
    if party.department is not None:
        _named(_sub(inst, "Dept"), party.department)


def _named(element: etree._Element, party: Party) -> None:
    if party.name:
        _sub(element, "Name").text = _clean(party.name)
    if party.her_id:
        _sub(element, "Id").text = _clean(party.her_id)
        _sub(element, "TypeId", V="HER", DN="HER-id")


def _read_party(inst: etree._Element | None) -> Party:
    if inst is None:
        return Party(None, None)
    dept = inst.find("ar:Dept", _AR)

    def read(element: etree._Element) -> Party:
        type_id = element.find("ar:TypeId", _AR)
        her = type_id is not None and type_id.get("V") == "HER"
        return Party(_text(element, "ar:Name", _AR), _text(element, "ar:Id", _AR) if her else None)

    own = read(inst)
    return Party(own.name, own.her_id, None if dept is None else read(dept))


def _sub(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    """A child in the AppRec namespace; every value is cleaned and escaped by lxml."""
    return etree.SubElement(
        parent,
        f"{{{APPREC_NS}}}{name}",
        {key: _clean(value) for key, value in attributes.items()},
    )


def _clean(value: str) -> str:
    return _NOT_XML_CHAR.sub("\ufffd", value)


def _text(root: etree._Element, path: str, namespaces: dict[str, str] | None = None) -> str | None:
    found = root.find(path, namespaces or _MH)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None
