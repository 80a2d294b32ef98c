"""The one export dialect (docs/exports.md), tested on the writers themselves: CSV with a
byte-order mark, semicolons and CRLF, headings in the reader's language, spreadsheet
formulas disarmed, XLSX with real dates and numbers."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from overgang.web.exports.cells import csv_cell, print_cell, safe_text
from overgang.web.exports.table import Cell, Table, attr, col
from overgang.web.exports.writers import csv_bytes, xlsx_bytes

# 23:30 UTC on 31 January is already 1 February in Oslo and Copenhagen.
LATE = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)


class Row:
    def __init__(self, name: str, born: datetime.date, at: datetime.datetime) -> None:
        self.name, self.born, self.at = name, born, at
        self.ok = True


TABLE = Table(
    name="test",
    title=_("Patients"),
    columns=(
        col(_("Name"), attr("name")),
        col(_("Born"), attr("born")),
        col(_("Time"), attr("at")),
        col(_("Need reported"), attr("ok")),
    ),
)
ROWS = [Row("Ærlig, Øystein Åsmund", datetime.date(1950, 3, 2), LATE)]


def _csv(language: str) -> bytes:
    with translation.override(language), timezone.override(ZoneInfo("Europe/Oslo")):
        return csv_bytes(TABLE.headings(), [TABLE.values(r) for r in ROWS])


def test_the_csv_has_a_bom_semicolons_and_crlf():
    data = _csv("nb")
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read æøå as UTF-8"
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.count("\r\n") == 2
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][0] == "Ærlig, Øystein Åsmund", "the comma in a name stays inside its cell"


@pytest.mark.parametrize(
    ("language", "headings", "yes"),
    [
        ("nb", ["Navn", "Født", "Tidspunkt"], "Ja"),
        ("da", ["Navn", "Født", "Tidspunkt"], "Ja"),
        ("en", ["Name", "Born", "Time"], "Yes"),
    ],
)
def test_the_headings_and_booleans_are_in_the_readers_language(language, headings, yes):
    rows = list(csv.reader(io.StringIO(_csv(language).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == headings
    assert rows[1][3] == yes


def test_times_are_in_the_users_time_zone_and_dates_iso():
    rows = list(csv.reader(io.StringIO(_csv("nb").decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "1950-03-02"
    assert rows[1][2] == "2026-02-01 00:30", "23:30 UTC is 00:30 the next day in Oslo"


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+47 1", "-2+3", "@SUM(A1)", "\t=1"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(typed):
    assert csv_cell(typed).startswith("'")
    assert safe_text(typed)[1:] == typed
    assert csv_cell("Nordmann, Kari") == "Nordmann, Kari"
    assert csv_cell(-3) == "-3", "a number is a number, not text to disarm"


def test_the_xlsx_opens_with_typed_dates_and_numbers_and_no_formulas():
    rows: list[list[Cell]] = [
        ["=1+1", datetime.date(1950, 3, 2), LATE, 7, Decimal("1234.5"), None, False],
    ]
    with translation.override("da"), timezone.override(ZoneInfo("Europe/Copenhagen")):
        data = xlsx_bytes("Patienter", ["a", "b", "c", "d", "e", "f", "g"], rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = [cell.value for cell in sheet[2]]
    assert values[0] == "=1+1" and sheet["A2"].data_type == "s", "text, never a formula"
    assert values[1].date() == datetime.date(1950, 3, 2), "a date cell (read as a datetime)"
    assert sheet["B2"].is_date and sheet["C2"].is_date
    assert values[2].isoformat() == "2026-02-01T00:30:00", "in the user's time zone"
    assert values[3] == 7 and values[4] == 1234.5
    assert values[6] == "Nej", "booleans in words, in the reader's language"
    assert sheet.title == "Patienter"


def test_the_print_view_shows_values_as_the_pages_do():
    with translation.override("nb"), timezone.override(ZoneInfo("Europe/Oslo")):
        assert print_cell(datetime.date(2026, 3, 2)) == "02.03.2026"
        assert print_cell(True) == "Ja"
        assert print_cell(None) == ""


def test_an_empty_value_is_an_empty_cell_not_none():
    class Stay:
        expected = None
        patient = None

    table = Table(
        name="t",
        title="t",
        columns=(col("a", attr("expected")), col("b", attr("patient.name"))),
    )
    values = table.values(Stay())
    assert values == [None, None]
    assert csv_cell(values[0]) == "" and print_cell(values[1]) == ""
