"""The one query every API request makes for its bearer token, written as SQL.

The query itself is the ORM's (the token, its user and the access stamp, one row), but
building it through a QuerySet cost about 1.9 ms of CPU on every API request: more than a
whole bare JSON view of fifty patients. The statement never changes, so it is written once
per process from the models' own tables and columns; each request only runs it and turns
the row into an ApiToken with its User the way the ORM does (`Model.from_db`, through the
database's and the fields' converters).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import Col

from overgang.organisations.models import AccessStamp, ApiToken

type Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Columns:
    """How a model's columns are read from the row: their attribute names and converters."""

    model: type[Model]
    names: tuple[str, ...]
    converters: tuple[tuple[Converter, ...], ...]
    expressions: tuple[Col, ...]

    def instance(self, values: Sequence[Any]) -> Model:
        converted = []
        for value, converters, expression in zip(
            values, self.converters, self.expressions, strict=True
        ):
            for convert in converters:
                value = convert(value, expression, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, list(self.names), converted)


def _columns(model: type[Model], alias: str) -> _Columns:
    fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
    expressions = tuple(Col(alias, field) for field in fields)
    return _Columns(
        model=model,
        names=tuple(field.attname for field in fields),
        converters=tuple(
            tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            for col in expressions
        ),
        expressions=expressions,
    )


@dataclass(frozen=True)
class _Statement:
    sql: str
    token: _Columns
    user: _Columns


@functools.cache
def _statement(vendor: str) -> _Statement:
    """Written once per process (and database kind, for the tests' sake)."""
    quote = connection.ops.quote_name
    token, user = _columns(ApiToken, "t"), _columns(User, "u")

    def column(model: type[Model], name: str) -> str:
        found = next(f for f in model._meta.concrete_fields if f.name == name)
        return quote(found.column or name)

    def selected(model: type[Model], alias: str) -> str:
        return ", ".join(f"{alias}.{column(model, f.name)}" for f in model._meta.concrete_fields)

    sql = (
        f"SELECT {selected(ApiToken, 't')}, {selected(User, 'u')}, "
        f"(SELECT s.{column(AccessStamp, 'value')} FROM {quote(AccessStamp._meta.db_table)} s"
        f" WHERE s.{column(AccessStamp, 'id')} = %s) "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"INNER JOIN {quote(User._meta.db_table)} u"
        f" ON u.{column(User, 'id')} = t.{column(ApiToken, 'user')} "
        f"WHERE t.{column(ApiToken, 'digest')} = %s"
        f" AND t.{column(ApiToken, 'expires_at')} > %s"
        f" AND u.{column(User, 'is_active')} = %s"
    )
    return _Statement(sql=sql, token=token, user=user)


def find_token(
    digest: str, now: datetime.datetime, *, stamp_id: int
) -> tuple[ApiToken, str | None] | None:
    """The unexpired token of that digest with its active user (`token.user`), and the
    access stamp's value (None where the stamp row is missing); None for no such token."""
    statement = _statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            statement.sql,
            [stamp_id, digest, connection.ops.adapt_datetimefield_value(now), True],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    across = len(statement.token.names)
    width = across + len(statement.user.names)
    found = statement.token.instance(row[:across])
    assert isinstance(found, ApiToken)
    found.user = statement.user.instance(row[across:width])  # type: ignore[assignment]
    stamp: str | None = row[width]
    return found, stamp
