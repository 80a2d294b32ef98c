"""Lists answered from rows of values, not model instances.

A list's schema reads a handful of columns of each row, often one through a foreign key
(`aid_type.slug`). Loading model instances with `select_related` reads every column of
every joined table; Django compiles each into the SQL, hashes each again when ordering,
and builds an instance per table and row. Reading only the columns the schema shows, as
plain dicts keyed the way the schema reads them (its field's alias, else its name), costs
a fraction of that and answers the same JSON.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from django.db.models import QuerySet
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import BaseModel, TypeAdapter

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


# Rows as a schema answers them, without ninja validating them (see overgang.api.answers).
#
# Ninja validates each row of a list through its schema, reading every field through a
# DjangoGetter, and dumps it again: for a page of fifty rows about as much CPU as the rest of
# the request. A row of values read from typed columns already holds what the validation
# would keep, so `schema_rows` only picks each field (by its alias, else its name, as the
# validation reads it), calls the schema's resolvers, and puts the fields under their names
# in the schema's order, as the dump does. Every value is checked to be of the type its field
# declares; a row with any value that is not (a date as text, a number as text, an unknown
# choice) goes through the schema's own validation instead, so that a row answers what the
# schema makes of it either way. A field of a type this does not know is refused when the
# schema is first used, not guessed at.

type _Check = Callable[[Any], bool]


@dataclass(frozen=True)
class _Field:
    name: str
    key: str  # what the validation reads: the alias, else the name
    resolver: Any  # the schema's resolver of the field, else None
    check: _Check | None  # None: the value goes through the field's own validation
    adapter: TypeAdapter[Any] | None


def _exactly(*kinds: type) -> _Check:
    return lambda value: type(value) in kinds


def _one_of(allowed: frozenset[str]) -> _Check:
    return lambda value: isinstance(value, str) and value in allowed


def _list_of(kind: type) -> _Check:
    return lambda value: type(value) is list and all(type(item) is kind for item in value)


def _texts_by_text(value: Any) -> bool:
    return type(value) is dict and all(
        type(key) is str and type(item) is str for key, item in value.items()
    )


def _check_of(annotation: Any) -> _Check:
    """What a value must be for the validation to keep it as it is (an enum member or its
    value both go out as the value's text)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        checks = [_check_of(arg) for arg in args]
        return lambda value: any(check(value) for check in checks)
    if annotation is type(None):
        return lambda value: value is None
    if origin is Literal and all(type(arg) is str for arg in args):
        return _one_of(frozenset(args))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = [member.value for member in annotation]
        if all(type(value) is str for value in values):
            return _one_of(frozenset(values))
    if annotation in (int, str, bool, datetime.datetime, datetime.date):
        return _exactly(annotation)
    if origin is list and args in ((str,), (int,)):
        return _list_of(args[0])
    if origin is dict and args == (str, str):
        return _texts_by_text
    raise TypeError(f"schema_rows does not know the type {annotation!r}")


def _is_schema(annotation: Any) -> bool:
    inner = get_args(annotation)[0] if get_origin(annotation) is list else annotation
    return isinstance(inner, type) and issubclass(inner, BaseModel)


# What a schema may declare beyond its fields and resolvers for schema_rows to answer it as
# its validation would: nothing but ninja's own model validator (how resolvers are called).
_NINJA_OWN = Schema.__pydantic_decorators__


def _refuse_what_rows_skip(schema: type[Schema]) -> None:
    declared = schema.__pydantic_decorators__
    for kind in ("validators", "field_validators", "root_validators", "field_serializers"):
        if getattr(declared, kind):
            raise TypeError(f"schema_rows does not run the {kind} of {schema.__name__}")
    for kind in ("model_serializers", "model_validators", "computed_fields"):
        if set(getattr(declared, kind)) - set(getattr(_NINJA_OWN, kind)):
            raise TypeError(f"schema_rows does not run the {kind} of {schema.__name__}")


@functools.cache
def _fields(schema: type[Schema]) -> tuple[_Field, ...]:
    _refuse_what_rows_skip(schema)
    resolvers = schema._ninja_resolvers
    fields = []
    for name, info in schema.model_fields.items():
        if info.metadata:
            raise TypeError(f"schema_rows does not check the constraints of {name!r}")
        if info.alias and name in resolvers:
            # ninja looks a resolver up by the field's alias, not its name.
            raise TypeError(f"schema_rows does not resolve the aliased field {name!r}")
        nested = _is_schema(info.annotation)
        fields.append(
            _Field(
                name=name,
                key=info.alias or name,
                resolver=resolvers.get(name),
                check=None if nested else _check_of(info.annotation),
                # A nested schema's value (an agreement's current version, with lists
                # stored as JSON) goes through that schema's own validation and dump.
                adapter=TypeAdapter(info.annotation) if nested else None,  # type: ignore[arg-type]
            )
        )
    return tuple(fields)


def schema_rows(schema: type[Schema], rows: Iterable[Row]) -> list[Row]:
    """`rows`, keyed as `schema` reads them (see `value_rows`), as its validation answers
    them: for `answers.answer`."""
    fields = _fields(schema)
    return [_row(schema, fields, row) for row in rows]


def _row(schema: type[Schema], fields: tuple[_Field, ...], row: Row) -> Row:
    shown: Row = {}
    for field in fields:
        if field.resolver is not None:
            value = field.resolver(getter=DjangoGetter(row, schema))
        elif field.key in row:
            value = row[field.key]
        else:
            return _validated(schema, row)
        if field.adapter is not None:
            value = field.adapter.dump_python(field.adapter.validate_python(value))
        elif not field.check(value):  # type: ignore[misc]
            return _validated(schema, row)
        shown[field.name] = value
    return shown


def _validated(schema: type[Schema], row: Row) -> Row:
    """The row through the schema's own validation and dump, as ninja answers it."""
    dumped: Row = schema.model_validate(row).model_dump()
    return dumped
