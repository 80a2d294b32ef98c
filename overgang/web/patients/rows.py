"""The rows of the patient list, as the cells show them.

A row is read as a tuple of the columns it shows and turned into its cells' text here,
with what is the same for every row (the date format, the labels of where a patient
lives, the address of a patient's page) worked out once a page. Model instances with
their municipality and district, and a lookup, a filter and a translation a cell in the
template, cost more than reading the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any, NamedTuple

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format

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
