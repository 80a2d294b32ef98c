"""FHIR XML of a resource that Overgang built itself, written straight from its JSON form.

fhir.resources writes XML by looking up every field's type as it goes, which costs more than
receiving the message it answers. A resource we build is plain data whose keys already come
in the order the FHIR definition gives its elements, so the XML follows from it directly:
an element per key (one per item of a list), a primitive in its `value` attribute, an
extension's `url` as an attribute, and a contained resource inside an element of its type.
The tests hold that fhir.resources reads it back and writes the same XML again.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from overgang.messages.medcom.parse import FHIR_NS

# Elements whose `url` is an XML attribute, not an element (FHIR Extension).
_URL_AS_ATTRIBUTE = frozenset({"extension", "modifierExtension"})


def resource_xml(resource: dict[str, Any]) -> bytes:
    """The resource as FHIR XML (UTF-8, with a declaration)."""
    # The default namespace is None in lxml, which its stubs do not allow.
    root = etree.Element(_tag(resource["resourceType"]), nsmap={None: FHIR_NS})  # type: ignore[dict-item]
    _fill(root, resource)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _tag(name: str) -> str:
    return f"{{{FHIR_NS}}}{name}"


def _fill(element: etree._Element, content: dict[str, Any]) -> None:
    name_of_element = etree.QName(element).localname
    for name, value in content.items():
        if name == "resourceType":
            continue
        if name == "url" and name_of_element in _URL_AS_ATTRIBUTE:
            element.set("url", str(value))
            continue
        for item in value if isinstance(value, list) else [value]:
            _add(element, name, item)


def _add(parent: etree._Element, name: str, value: Any) -> None:
    child = etree.SubElement(parent, _tag(name))
    if isinstance(value, dict):
        if "resourceType" in value:
            _fill(etree.SubElement(child, _tag(value["resourceType"])), value)
        else:
            _fill(child, value)
    elif isinstance(value, bool):
        child.set("value", "true" if value else "false")
    else:
        child.set("value", str(value))
