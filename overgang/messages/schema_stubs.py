"""Stand-ins for the EPJ component schemas the PLO schemas import but the archive lacks
(schemas/plo/README.md), so that libxml2 can compile the PLO schemas at all.

Each missing namespace gets a schema declaring just what the shipped schemas refer to in it:
an element as `xs:anyType`, a type as any content. That is the leniency the xmlschema
package's "lax" build gives a reference it cannot resolve (it types it `xs:anyType`), and
nothing else is made lenient."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from overgang.messages.schema_locations import ROOT, as_file

XS = "http://www.w3.org/2001/XMLSchema"
_ELEMENT = f"{{{XS}}}element"
_IMPORT = f"{{{XS}}}import"


class UnsupportedStub(ValueError):
    """A reference into a missing namespace that no stand-in here can stand for."""


@dataclass(frozen=True)
class Stubs:
    """The stand-in schemas, keyed by the file name the imports give, and their namespaces."""

    by_location: dict[str, str]
    namespaces: frozenset[str]


@cache
def missing_components() -> Stubs:
    """Read every shipped schema once: the imports that name no shipped file, and what the
    schemas refer to in those namespaces (elements by `ref`, types by `type`)."""
    documents = [_read(path) for path in sorted(ROOT.rglob("*.xsd"))]
    locations = _missing_imports(documents)
    elements: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for _, schema in documents:
        for node in schema.iter(etree.Element):
            for attribute in _REFERRING:
                _note(node, attribute, locations, elements, types)
    by_location = {}
    for namespace, names in locations.items():
        text = _stub(namespace, elements[namespace], types[namespace])
        by_location.update(dict.fromkeys(names, text))
    return Stubs(by_location, frozenset(locations))


_REFERRING = ("ref", "type", "base", "itemType", "substitutionGroup")


def _missing_imports(documents: list[tuple[Path, etree._Element]]) -> dict[str, set[str]]:
    """Namespace -> the file names its imports give, for imports of a sibling file the
    archive lacks."""
    locations: dict[str, set[str]] = defaultdict(set)
    for path, schema in documents:
        for imported in schema.iter(_IMPORT):
            where = imported.get("schemaLocation") or ""
            namespace = imported.get("namespace")
            if namespace and "://" not in where and as_file(str(path.parent / where)) is None:
                locations[namespace].add(where.rsplit("/", 1)[-1])
    return locations


def _note(
    node: etree._Element,
    attribute: str,
    missing: dict[str, set[str]],
    elements: dict[str, set[str]],
    types: dict[str, set[str]],
) -> None:
    """Record what `node`'s `attribute` refers to in a missing namespace."""
    value = node.get(attribute)
    if value is None:
        return
    name = _qname(node, value)
    if name.namespace not in missing:
        return
    if node.tag == _ELEMENT and attribute in ("ref", "substitutionGroup"):
        elements[name.namespace].add(name.localname)
    elif node.tag == _ELEMENT and attribute == "type":
        types[name.namespace].add(name.localname)
    else:
        raise UnsupportedStub(f"{attribute}={value!r} on {node.tag}")


def _read(path: Path) -> tuple[Path, etree._Element]:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return path, etree.parse(str(path), parser).getroot()


def _qname(node: etree._Element, value: str) -> etree.QName:
    prefix, _, local = value.rpartition(":")
    return etree.QName(node.nsmap.get(prefix or None), local)


def _stub(namespace: str, elements: set[str], types: set[str]) -> str:
    # A missing type is xs:anyType's content spelled out (mixed, any element and attribute,
    # checked only where a declaration is known), the type xmlschema gives it.
    declarations = [f'<xs:element name="{name}"/>' for name in sorted(elements)] + [
        f'<xs:complexType name="{name}" mixed="true"><xs:sequence>'
        '<xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/>'
        '</xs:sequence><xs:anyAttribute processContents="lax"/></xs:complexType>'
        for name in sorted(types)
    ]
    return (
        f'<xs:schema xmlns:xs="{XS}" targetNamespace="{namespace}" '
        'elementFormDefault="qualified">' + "".join(declarations) + "</xs:schema>"
    )
