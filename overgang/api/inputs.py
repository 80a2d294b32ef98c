"""Types for every number, time and date the API reads, so that input no database or clock
can hold is a 422 naming the field, never a 500 from deep inside a query.

Every input schema, query and path parameter uses these instead of bare `int`, `datetime`
and `date`; tests/api/test_input_types.py walks the OpenAPI schema to hold that.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from django.db import models
from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# The widest integer column (PostgreSQL bigint, SQLite INTEGER): a larger number in a
# lookup crashes the database driver instead of finding nothing.
BIGINT_MAX = 2**63 - 1
# Django's IntegerField and SmallIntegerField on PostgreSQL (SQLite is wider).
INTEGER_MAX = 2**31 - 1
SMALLINT_MAX = 2**15 - 1

# The dates this service can mean. Far outside them a date is a typing error, and near the
# calendar's ends (year 1, year 9999) deadline and supply arithmetic overflows.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
# A month "YYYY-MM" within the same years.
MONTH_PATTERN = r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$"


def _within_years(value: datetime.date) -> datetime.date:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError(
            "date_range",
            "Give a date from {earliest} to {latest}.",
            {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )
    return value


def _with_offset(value: datetime.datetime) -> datetime.datetime:
    # A time without its offset is ambiguous across the agreements' zones and summer time;
    # guessing the server's zone would silently move deadlines.
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "timezone_aware", "Give the time with its UTC offset, e.g. +01:00."
        )
    _within_years(value.date())
    return value


# A database id: positive and within bigint.
Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
# A position in a list (offset); negative ones are refused where they are used, with a message.
Offset = Annotated[int, Field(le=BIGINT_MAX)]
# A count or amount stored in an integer column (lower bounds are the writers' business).
Count = Annotated[int, Field(ge=-INTEGER_MAX - 1, le=INTEGER_MAX)]
# A count stored in a small integer column.
SmallCount = Annotated[int, Field(ge=-SMALLINT_MAX - 1, le=SMALLINT_MAX)]
# A moment: ISO 8601 with its UTC offset, as the contract says.
Moment = Annotated[datetime.datetime, AfterValidator(_with_offset)]
# A calendar day.
Day = Annotated[datetime.date, AfterValidator(_within_years)]


def max_length(model: type[models.Model], field: str) -> int:
    """The length of a text column: longer input would be refused by PostgreSQL with a 500."""
    column = model._meta.get_field(field)
    if not isinstance(column, models.Field) or column.max_length is None:
        raise TypeError(f"{model.__name__}.{field} is not a text column with a maximum length")
    return column.max_length


def one_of(choices: type[models.TextChoices] | tuple[str, ...], *more: str) -> WithJsonSchema:
    """Declare the values a text input may take in the OpenAPI document.

    The check itself stays with the writer, whose 422 names the field as `["body", field]`
    (pydantic's would add the parameter's name); `more`: values besides the choices, such as
    "" for "as before" or "by the stay".
    """
    values = list(choices) if isinstance(choices, tuple) else choices.values
    return WithJsonSchema({"type": "string", "enum": [*more, *values]})


def checked_one_of(choices: type[models.TextChoices], *more: str) -> AfterValidator:
    """Refuse a text input that is not one of the choices (or `more`), naming the values; for
    inputs no writer checks, such as the status a list is filtered by."""
    allowed = [*more, *choices.values]

    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError(
                "enum", "Give one of: {allowed}.", {"allowed": ", ".join(allowed)}
            )
        return value

    return AfterValidator(check)
