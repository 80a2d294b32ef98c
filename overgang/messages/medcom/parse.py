"""The front door for a MedCom FHIR message: size, safe XML or a JSON object, the R4 Bundle model.

FHIR R4 itself is not shipped by fhir.resources; its R4B models are the same for the
resources MedCom's messages use (Bundle, MessageHeader, Patient, Encounter, Organization,
Provenance, OperationOutcome).
"""

from __future__ import annotations

import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from lxml import etree
from pydantic import ValidationError

from overgang.messages.check import MAX_BYTES, Rejected, parse_xml
from overgang.messages.errors import AppRecError

FHIR_NS = "http://hl7.org/fhir"

# A parser for text parse_xml has already found safe (no DTD); it stays as careful anyway.
_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def is_json(raw: bytes, content_type: str) -> bool:
    """JSON by its media type (application/fhir+json, application/json); without a known one,
    by the first character."""
    media = content_type.split(";")[0].strip().lower()
    if media.endswith("json"):
        return True
    if media.endswith("xml"):
        return False
    return raw.lstrip()[:1] in (b"{", b"[")


def read_data(raw: bytes, content_type: str) -> dict[str, Any] | etree._Element | Rejected:
    """The message as a JSON object or an XML element with the FHIR Bundle as its root."""
    if len(raw) > MAX_BYTES:
        return Rejected(AppRecError.OTHER_FORMAT, f"The message is larger than {MAX_BYTES} bytes.")
    if is_json(raw, content_type):
        return _json_object(raw)
    root = parse_xml(raw)
    if isinstance(root, Rejected):
        return root
    if root.tag != f"{{{FHIR_NS}}}Bundle":
        return Rejected(AppRecError.UNSUPPORTED, f"Not a FHIR Bundle: {root.tag}.")
    return root


def read_bundle(raw: bytes, content_type: str) -> Bundle | Rejected:
    """The message as the R4 Bundle model, or why it is not one."""
    data = read_data(raw, content_type)
    if isinstance(data, Rejected):
        return data
    try:
        if isinstance(data, dict):
            return Bundle.model_validate(data)
        return Bundle.model_validate_xml(etree.tostring(data), xmlparser=_SAFE_PARSER)
    # The model's readers raise pydantic's ValidationError (a ValueError) for a resource that
    # breaks FHIR, and assorted errors of their own for odd but well-formed input; any of them
    # means the same to the sender: the message does not follow the FHIR model.
    except Exception as error:
        return Rejected(
            AppRecError.SCHEMA,
            f"The message does not follow the FHIR R4 model: {_first_line(error)}",
            bundle_id(data),
        )


def bundle_id(data: dict[str, Any] | etree._Element) -> str | None:
    """Bundle.id as written, read without the model (for a refusal's message id)."""
    if isinstance(data, dict):
        found = data.get("id")
        return found if isinstance(found, str) else None
    element = data.find(f"{{{FHIR_NS}}}id")
    return None if element is None else element.get("value")


def _json_object(raw: bytes) -> dict[str, Any] | Rejected:
    try:
        data = json.loads(raw)
    # A body nested deeper than Python's stack is unreadable too.
    except (ValueError, RecursionError) as error:
        return Rejected(AppRecError.NOT_XML, f"Not readable JSON: {_first_line(error)}")
    if not isinstance(data, dict):
        return Rejected(
            AppRecError.UNSUPPORTED, f"Not a FHIR resource: a JSON {type(data).__name__}."
        )
    if data.get("resourceType") != "Bundle":
        return Rejected(
            AppRecError.UNSUPPORTED, f"Not a FHIR Bundle: {data.get('resourceType')!r}."
        )
    return data


def _first_line(error: BaseException) -> str:
    """The gist of an error: for the model's, the first failing field and why (without the
    input it echoes, which may be the whole message)."""
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{error.title}{'.' + where if where else ''}: {first['msg']}"
    lines = str(error).strip().splitlines()
    return " ".join(line.strip() for line in lines[:3]) if lines else type(error).__name__


def xml(bundle: Bundle) -> bytes:
    """The Bundle as FHIR XML (UTF-8, with a declaration). The model's dump is annotated as
    text but gives bytes; either is taken."""
    document: object = bundle.model_dump_xml()
    return document if isinstance(document, bytes) else str(document).encode()
