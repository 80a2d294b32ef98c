"""The organisation register as a CSV file (docs/contracts/messages.md).

`read_register` parses and checks every row against the file itself and the organisations
already stored, and raises `RegisterError` naming the line and the column of the first bad
one. The writer (`actions.import_organisations`) changes nothing until all rows passed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug

from overgang.organisations.models import Country, Kind

COLUMNS = (
    "key",
    "name",
    "kind",
    "country",
    "parent",
    "number",
    "her_id",
    "sor_id",
    "address",
    "phone",
    "email",
)
# The longest value each column may hold (the model's max_length).
MAX_LENGTH = {
    "key": 80,
    "name": 200,
    "kind": 32,
    "country": 2,
    "parent": 80,
    "number": 10,
    "her_id": 20,
    "sor_id": 20,
    "address": 200,
    "phone": 40,
    "email": 254,
}


class RegisterError(ValueError):
    def __init__(self, line: int, column: str, problem: str) -> None:
        self.line = line
        self.column = column
        self.problem = problem
        super().__init__(f"line {line}, column {column}: {problem}")


@dataclass(frozen=True)
class RegisterRow:
    line: int
    values: Mapping[str, str]

    @property
    def key(self) -> str:
        return self.values["key"]


@dataclass(frozen=True)
class Stored:
    """What the check needs to know of an organisation already in the database."""

    key: str
    parent: str | None
    country: str
    kind: str
    number: str
    her_id: str
    sor_id: str


def read_register(lines: Iterable[str], stored: Iterable[Stored]) -> list[RegisterRow]:
    """The rows of a register file, checked; raises RegisterError at the first bad one."""
    reader = csv.reader(lines)
    header = _read_header(next(reader, None))
    rows: list[RegisterRow] = []
    end_of_last = reader.line_num
    for record in reader:
        line = end_of_last + 1
        end_of_last = reader.line_num
        if not any(field.strip() for field in record):
            continue
        if len(record) != len(header):
            column = header[min(len(record), len(header) - 1)]
            raise RegisterError(
                line, column, f"{len(record)} fields where the header has {len(header)}"
            )
        values = {name: value.strip() for name, value in zip(header, record, strict=True)}
        rows.append(RegisterRow(line, values))
    for row in rows:
        _check_row(row)
    _check_against_each_other(rows, {org.key: org for org in stored})
    return rows


def _read_header(header: list[str] | None) -> list[str]:
    if header is None:
        raise RegisterError(1, COLUMNS[0], "the file is empty; expected a header row")
    header = [name.strip() for name in header]
    for name in COLUMNS:
        if name not in header:
            raise RegisterError(1, name, "missing from the header row")
    for name in header:
        if name not in COLUMNS:
            raise RegisterError(1, name, f"unknown column; expected {','.join(COLUMNS)}")
        if header.count(name) > 1:
            raise RegisterError(1, name, "appears twice in the header row")
    return header


def _check_row(row: RegisterRow) -> None:
    def fail(column: str, problem: str) -> RegisterError:
        return RegisterError(row.line, column, problem)

    values = row.values
    _check_sizes(row)
    try:
        validate_slug(values["key"])
    except ValidationError:
        raise fail("key", "only letters, digits, - and _") from None
    if values["kind"] not in Kind.values:
        raise fail("kind", f"unknown kind {values['kind']!r}; one of {', '.join(Kind.values)}")
    if values["country"] not in Country.values:
        raise fail(
            "country", f"unknown country {values['country']!r}; one of {', '.join(Country.values)}"
        )
    for column in ("her_id", "sor_id"):
        if values[column] and not (values[column].isascii() and values[column].isdigit()):
            raise fail(column, f"digits only, got {values[column]!r}")
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise fail("email", f"not an e-mail address: {values['email']!r}") from None
    if values["parent"] == values["key"]:
        raise fail("parent", "an organisation cannot be part of itself")


def _check_sizes(row: RegisterRow) -> None:
    for column in ("key", "name", "kind", "country"):
        if not row.values[column]:
            raise RegisterError(row.line, column, "required")
    for column in COLUMNS:
        if len(row.values[column]) > MAX_LENGTH[column]:
            raise RegisterError(row.line, column, f"longer than {MAX_LENGTH[column]} characters")


def _check_against_each_other(rows: list[RegisterRow], stored: dict[str, Stored]) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        if row.key in first_line:
            raise RegisterError(
                row.line, "key", f"{row.key!r} appears already on line {first_line[row.key]}"
            )
        first_line[row.key] = row.line
    # The register as it will be: the stored organisations, with the file's rows over them.
    after: dict[str, Stored] = dict(stored)
    for row in rows:
        values = row.values
        after[row.key] = Stored(
            key=row.key,
            parent=values["parent"] or None,
            country=values["country"],
            kind=values["kind"],
            number=values["number"],
            her_id=values["her_id"],
            sor_id=values["sor_id"],
        )
    for row in rows:
        parent = row.values["parent"]
        if parent and parent not in after:
            raise RegisterError(row.line, "parent", f"no organisation has the key {parent!r}")
    for column, label in (("her_id", "HER-id"), ("sor_id", "SOR-id"), ("number", "number")):
        _check_unique(rows, after, column, label)
    for row in rows:
        seen = {row.key}
        node = after[row.key].parent
        while node is not None:
            if node in seen:
                raise RegisterError(
                    row.line, "parent", f"{row.key!r} would end up part of itself (via {node!r})"
                )
            seen.add(node)
            node = after[node].parent if node in after else None


def _check_unique(
    rows: list[RegisterRow], after: dict[str, Stored], column: str, label: str
) -> None:
    def identity(org: Stored) -> tuple[str, ...]:
        value = getattr(org, column)
        # Official numbers are unique within a country and kind; HER/SOR-ids everywhere.
        return (org.country, org.kind, value) if column == "number" else (value,)

    in_file = {row.key for row in rows}
    # Stored organisations the file leaves alone hold their values first; then the rows,
    # in order, so that the later of two rows with one value is the one named.
    holders: dict[tuple[str, ...], str] = {
        identity(org): org.key
        for org in after.values()
        if org.key not in in_file and getattr(org, column)
    }
    for row in rows:
        value = getattr(after[row.key], column)
        if not value:
            continue
        holder = holders.setdefault(identity(after[row.key]), row.key)
        if holder != row.key:
            raise RegisterError(row.line, column, f"{label} {value} belongs to {holder} already")
