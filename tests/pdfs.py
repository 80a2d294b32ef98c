"""Small PDFs for upload tests, made with pypdf: a plain one, and ones a manual must not be."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page(title: str = "A manual") -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    return writer


def plain(title: str = "A manual") -> bytes:
    return _written(_one_page(title))


def _on_open(writer: PdfWriter, action: str, **entries: str) -> None:
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject(action),
            **{NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()},
        }
    )


def with_javascript() -> bytes:
    writer = _one_page()
    _on_open(writer, "/JavaScript", JS="app.alert('hello');")
    return _written(writer)


def with_embedded_file() -> bytes:
    writer = _one_page()
    writer.add_attachment("setup.exe", b"MZ\x90\x00 not a manual")
    return _written(writer)


def with_launch_action() -> bytes:
    writer = _one_page()
    _on_open(writer, "/Launch", F="calc.exe")
    return _written(writer)


def with_hidden_javascript() -> bytes:
    """JavaScript in an object nothing in the document refers to."""
    writer = _one_page()
    writer._add_object(
        DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
        )
    )
    return _written(writer)


def locked() -> bytes:
    writer = _one_page()
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    return _written(writer)


def only_named_pdf() -> bytes:
    """Starts as a PDF does, and is not one."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
