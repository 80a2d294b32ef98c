"""overgang.api.rows.schema_rows: rows as a schema's validation answers them, or through it
where a value is not of its field's type."""

from __future__ import annotations

import datetime
from typing import Literal

import pytest
from ninja import Field, Schema
from pydantic import computed_field, field_serializer, field_validator

from overgang.api.rows import schema_rows
from overgang.organisations.models import Kind


class Inner(Schema):
    number: int
    at: datetime.date


class Shown(Schema):
    id: int
    key: str = Field(alias="parent.key")
    kind: Kind
    said: Literal["yes", ""]
    when: datetime.datetime | None
    cites: list[str]
    texts: dict[str, str]
    inner: list[Inner]
    named: str = ""

    @staticmethod
    def resolve_named(row: dict[str, object]) -> str:
        return f"#{row['id']}"


NOW = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)


def _row(**changed: object) -> dict[str, object]:
    return {
        "id": 7,
        "parent.key": "oslo",
        "kind": "hospital",
        "said": "",
        "when": NOW,
        "cites": ["a"],
        "texts": {"nb": "x"},
        "inner": [{"at": "2026-01-02", "number": 1, "extra": 0}],
        "unshown": 1,
        **changed,
    }


def test_a_row_is_its_fields_under_their_names_in_the_schemas_order():
    assert schema_rows(Shown, [_row()]) == [Shown.model_validate(_row()).model_dump()]
    [shown] = schema_rows(Shown, [_row()])
    assert list(shown) == list(Shown.model_fields)
    assert shown["named"] == "#7"
    assert shown["inner"] == [{"number": 1, "at": datetime.date(2026, 1, 2)}]


@pytest.mark.parametrize(
    "changed",
    [{"id": "7"}, {"id": True}, {"when": "2026-12-06T10:00:00Z"}, {"cites": [1]}, {"kind": "x"}],
)
def test_a_value_not_of_its_fields_type_goes_through_the_validation(changed):
    try:
        expected = [Shown.model_validate(_row(**changed)).model_dump()]
    except ValueError:
        with pytest.raises(ValueError):
            schema_rows(Shown, [_row(**changed)])
    else:
        assert schema_rows(Shown, [_row(**changed)]) == expected


def test_a_missing_value_is_the_validations_default_or_its_error():
    row = _row()
    del row["parent.key"]
    with pytest.raises(ValueError):
        schema_rows(Shown, [row])


def test_a_type_it_does_not_know_is_refused():
    class Odd(Schema):
        amount: float

    with pytest.raises(TypeError):
        schema_rows(Odd, [{"amount": 1.0}])


def test_a_schema_with_validators_serializers_or_computed_fields_is_refused():
    class Validated(Schema):
        name: str

        @field_validator("name")
        @classmethod
        def upper(cls, value: str) -> str:
            return value.upper()

    class Serialized(Schema):
        name: str

        @field_serializer("name")
        def lower(self, value: str) -> str:
            return value.lower()

    class Computed(Schema):
        name: str

        @computed_field  # type: ignore[prop-decorator]
        @property
        def length(self) -> int:
            return len(self.name)

    for schema in (Validated, Serialized, Computed):
        with pytest.raises(TypeError):
            schema_rows(schema, [{"name": "Frogner"}])


def test_a_resolver_of_an_aliased_field_is_refused():
    class Aliased(Schema):
        key: str = Field(alias="parent.key")

        @staticmethod
        def resolve_key(obj: object) -> str:
            return "resolved"

    with pytest.raises(TypeError):
        schema_rows(Aliased, [{"parent.key": "frogner"}])
