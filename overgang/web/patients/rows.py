"""The rows of the patient list, as the cells show them.

A row is read as a tuple of the columns it shows and turned into its cells' text here,
with what is the same for every row (the date format, the labels of where a patient
lives, the address of a patient's page) worked out once a page. Model instances with
their municipality and district, and a lookup, a filter and a translation a cell in the
template, cost more than reading the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from operator import itemgetter
from typing import Any, NamedTuple

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from overgang.patients.models import Residence
from overgang.patients.national_id import IdKind

# The columns a row reads, in the order `Row.cells` takes them.
COLUMNS = (
    *("pk", "sort_name", "name", "national_id", "id_kind", "birth_date", "residence"),
    *("municipality__name", "municipality__country", "district__name"),
)

# The patient of a row of COLUMNS, for the read log.
PATIENT: Callable[[tuple[Any, ...]], Any] = itemgetter(0)

# Any id: the address of a patient's page is this one with the patient's id in its place.
_SOME_ID = 987654321


class Municipality(NamedTuple):
    name: str
    country: str


class Row(NamedTuple):
    pk: int
    url: str
    sort_name: str  # shown
    name: str  # as registered: not shown, but what a row is known by
    national_id: str
    born: str
    area: str
    lives: str
    municipality: Municipality


def rows(found: Iterable[tuple[Any, ...]]) -> list[Row]:
    """The cells of these rows of COLUMNS, in the active language."""
    before, after = reverse("patient-detail", args=[_SOME_ID]).split(str(_SOME_ID))
    date_format = get_format("SHORT_DATE_FORMAT")
    lives = {value: str(label) for value, label in Residence.choices}
    shown = []
    for pk, sort_name, name, national_id, id_kind, born, residence, *where in found:
        municipality, country, district = where
        area = municipality if district is None else f"{municipality}, {district}"
        shown.append(
            Row(
                pk=pk,
                url=f"{before}{pk}{after}",
                sort_name=sort_name,
                name=name,
                national_id=formatted_national_id(national_id, id_kind),
                born=dateformat.format(born, date_format),
                area=area,
                lives=lives.get(residence, residence),
                municipality=Municipality(municipality, country),
            )
        )
    return shown


def formatted_national_id(national_id: str, id_kind: str) -> str:
    """As `Patient.formatted_national_id`: a CPR number with a hyphen, others a space."""
    separator = "-" if id_kind == IdKind.CPR else " "
    return f"{national_id[:6]}{separator}{national_id[6:]}"


# A row of the table as the template wrote it, one `{% for %}` turn: the template now
# places `table_rows` where that loop stood, so the page stays the same to the byte.
_ROW = (
    "\n    <tr>\n"
    '      <td><a href="{}">{}</a></td>\n'
    '      <td class="nowrap" data-label="{}">{}</td>\n'
    '      <td class="nowrap" data-label="{}">{}</td>\n'
    '      <td data-label="{}">{}</td>\n'
    '      <td data-label="{}">{}</td>\n'
    "    </tr>\n  "
).format


def table_rows(shown: Iterable[Row]) -> SafeString:
    """The table's rows as HTML, every cell escaped as the template's `{{ }}` would (Django's
    `escape` is `html.escape`), the column labels translated once a page. A template loop
    looked up and escaped some 250 variables a page, a third of the page's time."""
    labels = [
        escape(gettext(label))
        for label in ("National identity number", "Born", "Municipality", "Lives")
    ]
    id_label, born_label, municipality_label, lives_label = labels
    return SafeString(
        "".join(
            _ROW(
                escape(row.url),
                escape(row.sort_name),
                id_label,
                escape(row.national_id),
                born_label,
                escape(row.born),
                municipality_label,
                escape(row.area),
                lives_label,
                escape(row.lives),
            )
            for row in shown
        )
    )
