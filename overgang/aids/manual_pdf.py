"""Is an uploaded user manual a PDF that is safe to hand over?

A manual is opened by patients, relatives and home nurses on whatever they have. Starting
with `%PDF-` says nothing: the file is read with pypdf, and refused when it cannot be read,
is locked by a password, has no pages, or carries something active: JavaScript, an action
that launches a program or sends a form, embedded or attached files, rich media, an XFA
form. Every object of the file is looked at, not only those reachable from its pages: a
reader may still find the others.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

MAX_BYTES = 20 * 1024 * 1024
MAGIC = b"%PDF-"

# What each active thing looks like in a PDF's objects: keys, and values of /S (an
# action's kind), /Type and /Subtype.
_KEYS = {"/JS": "js", "/JavaScript": "js", "/EmbeddedFiles": "files", "/EF": "files"}
_KEYS |= {"/RichMedia": "media", "/XFA": "form"}
_ACTIONS = {
    "/JavaScript": "js",
    "/Launch": "launch",
    "/SubmitForm": "launch",
    "/ImportData": "launch",
    "/GoToE": "files",
    "/RichMediaExecute": "media",
}
_KINDS = {"/EmbeddedFile": "files", "/FileAttachment": "files", "/RichMedia": "media"}


def problem(content: bytes) -> str | None:
    """What is wrong with `content` as a manual, in words for the person uploading it;
    None when it is a plain, readable PDF."""
    if not content:
        return _("Choose the manual's file (PDF).")
    if len(content) > MAX_BYTES:
        return _("The file is larger than 20 MB.")
    if not content.startswith(MAGIC):
        return _("The manual must be a PDF file.")
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return _("The PDF is locked with a password. Upload it without one.")
        if len(reader.pages) == 0:
            return _("The PDF has no pages.")
        found = sorted(set(_active(reader)))
    except Exception:  # pypdf raises many kinds; any of them means it cannot be read
        return _("The file is not a readable PDF: it may be damaged, or only named .pdf.")
    if found:
        return _(
            "The PDF contains %(what)s. Upload a plain PDF without them: a manual is opened "
            "by patients and home nurses on their own devices."
        ) % {"what": ", ".join(_what(kind) for kind in found)}
    return None


def _what(kind: str) -> str:
    return {
        "js": _("JavaScript"),
        "launch": _("actions that start programs or send data"),
        "files": _("embedded or attached files"),
        "media": _("embedded media"),
        "form": _("an XFA form"),
    }[kind]


def _active(reader: PdfReader) -> Iterator[str]:
    """The kinds of active content in any object of the file."""
    yield from _in(reader.trailer)
    size = int(reader.trailer.get("/Size", 0))
    for number in range(1, size):
        found = reader.get_object(number)
        if found is not None:
            yield from _in(found)


def _in(value: PdfObject) -> Iterator[str]:
    """Active content in one object and the objects written inside it (those it refers to
    are looked at on their own)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            continue
        if isinstance(item, DictionaryObject):
            for key, child in item.items():
                if key in _KEYS:
                    yield _KEYS[key]
                if key == "/S" and child in _ACTIONS:
                    yield _ACTIONS[child]
                if key in ("/Type", "/Subtype") and child in _KINDS:
                    yield _KINDS[child]
                stack.append(child)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
