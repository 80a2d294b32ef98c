"""Check an incoming PLO message before anything changes (docs/contracts/messages.md,
"Receiving", steps 1-3): its size, well-formed XML without a DTD, the schema."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from overgang.messages.errors import AppRecError
from overgang.messages.schemas import DOCUMENTS, MSGHEAD_NS, SchemaError, envelope_with

MAX_BYTES = 10 * 1024 * 1024

# MsgInfo/Type/@V of the messages Overgang understands (PLO and Dialogmelding).
MESSAGE_TYPES = frozenset(
    {
        "LOG_INNLAGT",
        "LOG_UTSKRIVNINGSKLAR",
        "LOG_AVMELDING",
        "LOG_UTSKREVET",
        "LOG_DOD",
        "TILBAKEMELDING_UTSKRIVNINGSKLAR",
        "INNLEGGELSESRAPPORT",
        "HELSEOPPL_SOKNAD",
        "HELSEOPPLYSNINGER_LEGE",
        "MEDISINSKE_OPPLYSNINGER",
        "ORIENTERING_TJENESTETILBUD",
        "UTSKRIVNINGSRAPPORT",
        "DIALOG_FORESPORSEL",
        "DIALOG_SVAR",
        "DIALOG_AVVIK",
    }
)

_NS = {"mh": MSGHEAD_NS}
_HER = "HER"


@dataclass(frozen=True)
class Checked:
    """A message that passed steps 1-3: what the envelope says and the document it carries."""

    type: str  # MsgInfo/Type/@V, e.g. "LOG_INNLAGT"
    standard: str  # "plo" or "dialogmelding"
    document: str  # the document's schema, e.g. "Pasientlogistikk"
    version: str  # e.g. "v1.6"
    message_id: str  # MsgInfo/MsgId
    sender_her_ids: tuple[str, ...]  # the sending organisation's HER-ids, outermost first
    receiver_her_ids: tuple[str, ...]
    patient_id: str | None  # MsgInfo/Patient/Ident/Id (fødselsnummer, D-nummer)
    element: etree._Element  # the document in RefDoc/Content


@dataclass(frozen=True)
class Rejected:
    """A message refused before anything changed, with the AppRec error it is answered with."""

    code: AppRecError
    text: str
    message_id: str | None = None


def check(raw: bytes) -> Checked | Rejected:
    """Steps 1-3 of receiving, in this order; never raises for any input."""
    root = read_root(raw, f"{{{MSGHEAD_NS}}}MsgHead", "message", "a MsgHead v1.2 message")
    if isinstance(root, Rejected):
        return root
    return check_msghead(root)


def check_msghead(root: etree._Element) -> Checked | Rejected:
    """Step 3 for a MsgHead already read safely (`parse_xml`): the type, the document it
    carries, and the schemas."""
    message_id = _text(root, "mh:MsgInfo/mh:MsgId")
    message_type = _attr(root, "mh:MsgInfo/mh:Type", "V")
    if message_type not in MESSAGE_TYPES:
        return Rejected(
            AppRecError.UNSUPPORTED, f"Unknown message type {message_type!r}.", message_id
        )
    document = root.find("mh:Document/mh:RefDoc/mh:Content/*", _NS)
    if document is None:
        return Rejected(AppRecError.SCHEMA, "The message carries no document.", message_id)
    namespace = etree.QName(document).namespace or ""
    kind = DOCUMENTS.get(namespace)
    if kind is None:
        return Rejected(
            AppRecError.UNSUPPORTED, f"Unknown document or version {namespace!r}.", message_id
        )
    error = next(envelope_with(namespace).iter_errors(root), None)
    if error is not None:
        return Rejected(AppRecError.SCHEMA, _schema_text(error), message_id)
    return Checked(
        type=message_type,
        standard=kind.standard,
        document=kind.name,
        version=kind.version,
        message_id=message_id or "",
        sender_her_ids=_her_ids(root, "mh:MsgInfo/mh:Sender/mh:Organisation"),
        receiver_her_ids=_her_ids(root, "mh:MsgInfo/mh:Receiver/mh:Organisation"),
        patient_id=_text(root, "mh:MsgInfo/mh:Patient/mh:Ident/mh:Id"),
        element=document,
    )


def read_root(raw: bytes, tag: str, what: str, kind: str) -> etree._Element | Rejected:
    """The front door for anything received: at most MAX_BYTES, safe XML (`parse_xml`), and
    the root element `tag` (`what` and `kind` name it in the refusal)."""
    if len(raw) > MAX_BYTES:
        return Rejected(AppRecError.OTHER_FORMAT, f"The {what} is larger than {MAX_BYTES} bytes.")
    root = parse_xml(raw)
    if isinstance(root, Rejected):
        return root
    if root.tag != tag:
        return Rejected(AppRecError.UNSUPPORTED, f"Not {kind}: {root.tag}.")
    return root


def parse_xml(raw: bytes) -> etree._Element | Rejected:
    """Well-formed XML, no DTD at all (so no entities, internal or external), no network."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(raw, parser))
    except (etree.XMLSyntaxError, ValueError) as exc:
        return Rejected(AppRecError.NOT_XML, f"Not well-formed XML: {exc}")
    info = tree.docinfo
    doctype: str = getattr(info, "doctype", "")  # lxml-stubs lack DocInfo.doctype
    if doctype or info.internalDTD is not None or info.externalDTD is not None:
        return Rejected(AppRecError.NOT_XML, "A DOCTYPE is not allowed in a message.")
    return tree.getroot()


def _text(root: etree._Element, path: str) -> str | None:
    found = root.find(path, _NS)
    if found is None or found.text is None:
        return None
    return found.text.strip()


def _attr(root: etree._Element, path: str, name: str) -> str | None:
    found = root.find(path, _NS)
    return None if found is None else found.get(name)


def _her_ids(root: etree._Element, path: str) -> tuple[str, ...]:
    """HER-ids of an organisation and those inside it, outermost first."""
    ids: list[str] = []
    organisation = root.find(path, _NS)
    while organisation is not None:
        for ident in organisation.findall("mh:Ident", _NS):
            if _attr(ident, "mh:TypeId", "V") == _HER:
                value = _text(ident, "mh:Id")
                if value:
                    ids.append(value)
        organisation = organisation.find("mh:Organisation", _NS)
    return tuple(ids)


def _schema_text(error: SchemaError) -> str:
    return f"The message does not follow its schema: {error}"
