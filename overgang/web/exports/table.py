"""A list as a table to export: its title, its columns (a translated heading and how a row
gives the value), and which patient a row shows, for the read log."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

# What a cell holds before it is written: the writers turn each kind into their own form
# (a date stays a date in XLSX, becomes YYYY-MM-DD in CSV and the local format in print).
Cell = str | Promise | int | float | Decimal | bool | datetime.date | datetime.datetime | None

# Values kept as they are; anything else (a model instance) is written as its text.
_KEPT = (str, Promise, int, float, Decimal, datetime.date)


@dataclass(frozen=True)
class Column:
    """One column: its heading (a lazily translated msgid, the page's own heading) and the
    value of a row."""

    heading: str | Promise
    value: Callable[[Any], Cell]


@dataclass(frozen=True)
class Table:
    """A list to export. `name`: the file's name, in letters every system keeps;
    `patient`: the patient (or id, or None) a row shows, None for a list of no patients."""

    name: str
    title: str | Promise
    columns: tuple[Column, ...]
    patient: Callable[[Any], Any] | None = None

    def headings(self) -> list[str]:
        return [str(column.heading) for column in self.columns]

    def values(self, row: Any) -> list[Cell]:
        return [column.value(row) for column in self.columns]


def col(heading: str | Promise, value: Callable[[Any], Cell]) -> Column:
    """A column, short to write in a list's description."""
    return Column(heading, value)


def attr(path: str) -> Callable[[Any], Cell]:
    """The value at a dotted attribute path (`patient.name`), None where a step is None;
    a model field's choices shown as their label (`get_<field>_display`)."""
    steps = path.split(".")

    def value(row: Any) -> Cell:
        obj = row
        for i, step in enumerate(steps):
            if obj is None:
                return None
            display = getattr(obj, f"get_{step}_display", None)
            if i == len(steps) - 1 and display is not None:
                return str(display())
            obj = getattr(obj, step)
        if obj is None or isinstance(obj, _KEPT):
            return obj
        return str(obj)

    return value
