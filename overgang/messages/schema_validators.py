"""Checking an element against a compiled schema: libxml2 (lxml) where it can compile the
schema, the xmlschema package where it cannot; both answer with `SchemaError`s."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import xmlschema
from lxml import etree


@dataclass(frozen=True)
class SchemaError:
    """The first thing a schema refuses: why, and where (an XPath), when known."""

    reason: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return self.reason + (f" (at {self.path})" if self.path else "")


class Validator(Protocol):
    def iter_errors(self, root: etree._Element) -> Iterator[SchemaError]: ...

    def is_valid(self, root: etree._Element) -> bool: ...


class LxmlValidator:
    """A schema libxml2 compiled (about a thousand times faster than xmlschema).

    `strict_children` are (parent tag, namespaces) pairs: children of such a parent whose
    namespace is only stubbed (schema_stubs) are refused, as xmlschema refuses an element
    with no declaration where the schema says processContents="strict"."""

    def __init__(
        self,
        schema: etree.XMLSchema,
        strict_children: tuple[str, frozenset[str]] | None = None,
    ) -> None:
        self._schema = schema
        self._strict_children = strict_children
        # The error log belongs to the compiled schema: one validation at a time.
        self._lock = threading.Lock()

    def iter_errors(self, root: etree._Element) -> Iterator[SchemaError]:
        with self._lock:
            valid = self._schema.validate(root)
            entries = [] if valid else [*self._schema.error_log]  # type: ignore[misc]
        for entry in entries:
            yield _readable(entry, root)
        if valid and self._strict_children is not None:
            yield from self._unknown_children(root, *self._strict_children)

    def is_valid(self, root: etree._Element) -> bool:
        return next(self.iter_errors(root), None) is None

    @staticmethod
    def _unknown_children(
        root: etree._Element, parent: str, stubbed: frozenset[str]
    ) -> Iterator[SchemaError]:
        for node in root.iter(parent):
            for child in node.iterchildren(etree.Element):
                if etree.QName(child).namespace in stubbed:
                    name = etree.QName(child).localname
                    shown = f"{child.prefix}:{name}" if child.prefix else name
                    line: int | None = getattr(child, "sourceline", None)
                    yield SchemaError(
                        f"Element '{shown}': No matching global element declaration "
                        "available, but demanded by the strict wildcard.",
                        _names(child),
                        line,
                    )


_CLARK = re.compile(r"\{([^}]*)\}")


def _readable(entry: etree._LogEntry, root: etree._Element) -> SchemaError:
    """libxml2's message with names as the document spells them (prefix:Name, or Name in
    the default namespace) and its node path as the element names from the root."""
    prefixes: dict[str, str] = {}
    for node in root.iter(etree.Element):
        for prefix, namespace in node.nsmap.items():
            prefixes.setdefault(namespace, f"{prefix}:" if prefix else "")
    reason = _CLARK.sub(lambda m: prefixes.get(m[1], m[0]), entry.message)
    path = entry.path or None
    named = {prefix[:-1]: namespace for namespace, prefix in prefixes.items() if prefix}
    try:
        found = root.getroottree().xpath(path, namespaces=named) if path else None
    except etree.XPathError:
        found = None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        element = found[0]
        names = [
            etree.QName(e).localname for e in (*reversed(list(element.iterancestors())), element)
        ]
        path = "/" + "/".join(names)
    line: int = entry.line
    return SchemaError(reason, path, line or None)


def _names(element: etree._Element) -> str:
    """The path from the root to `element` as local names: /MsgHead/MsgInfo/MsgId."""
    chain = [*reversed(list(element.iterancestors())), element]
    return "/" + "/".join(etree.QName(e).localname for e in chain)


class XmlschemaValidator:
    """A schema compiled by the xmlschema package, for what libxml2 cannot compile."""

    def __init__(self, schema: xmlschema.XMLSchema10) -> None:
        self._schema = schema

    def iter_errors(self, root: etree._Element) -> Iterator[SchemaError]:
        for error in self._schema.iter_errors(root):
            reason = getattr(error, "reason", None) or str(error).splitlines()[0]
            yield SchemaError(reason, getattr(error, "path", None) or None)

    def is_valid(self, root: etree._Element) -> bool:
        return next(self.iter_errors(root), None) is None
