"""Lists answered from rows of values, not model instances.

A list's schema reads a handful of columns of each row, often one through a foreign key
(`aid_type.slug`). Loading model instances with `select_related` reads every column of
every joined table; Django compiles each into the SQL, hashes each again when ordering,
and builds an instance per table and row. Reading only the columns the schema shows, as
plain dicts keyed the way the schema reads them (its field's alias, else its name), costs
a fraction of that and answers the same JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet

Row = dict[str, Any]

# For `read_list` over rows: the patient's id, as the schema names its column.
BY_PATIENT_ID: Callable[[Row], Any] = itemgetter("patient_id")


def value_rows(found: QuerySet[Any], columns: Mapping[str, str]) -> list[Row]:
    """The rows of `found` with only `columns` read: {the schema's key: the lookup}."""
    keys = tuple(columns)
    return [dict(zip(keys, values, strict=True)) for values in found.values_list(*columns.values())]


def grouped(pairs: Iterable[Sequence[Any]]) -> dict[Any, list[Any]]:
    """(key, value) pairs as {key: [values, in the order read]}."""
    found: dict[Any, list[Any]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return found
