"""The two file formats, one dialect each (docs/exports.md).

CSV: UTF-8 with a byte-order mark (Excel otherwise reads æøå as two characters each),
semicolons between cells (the list separator Excel uses in Norway and Denmark, where the
comma is the decimal sign), CRLF at the ends of lines, every cell quoted only when needed.
XLSX: one sheet, the headings bold and frozen, dates and numbers typed."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from overgang.web.exports.cells import csv_cell, xlsx_cell
from overgang.web.exports.table import Cell

BOM = "\ufeff"
SEPARATOR = ";"


def csv_bytes(headings: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headings])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return (BOM + out.getvalue()).encode("utf-8")


_DATE = "yyyy-mm-dd"
_DATETIME = "yyyy-mm-dd hh:mm"


def xlsx_bytes(title: str, headings: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    # A sheet's name: at most 31 characters, none of []:*?/\ .
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Overgang"
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(h) for h in headings]
    for values in rows:
        sheet.append([xlsx_cell(value) for value in values])
        for i, cell in enumerate(sheet[sheet.max_row]):
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = _DATETIME
            elif isinstance(cell.value, datetime.date):
                cell.number_format = _DATE
            elif isinstance(cell.value, str):
                # Text is text: openpyxl would take "=…" for a formula and write it as one.
                cell.data_type = "s"
            widths[i] = max(widths[i], min(len(str(cell.value)), 50))
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width + 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
