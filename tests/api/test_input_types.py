"""Every number, time and date the API reads is checked before it reaches a query or a clock.

The cases are read from the OpenAPI schema, so an endpoint added later with a bare `int`,
`datetime` or `date` input fails here: too large an id once crashed the database driver
(500), a time without its offset was taken in the server's zone, year 1 overflowed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User

from overgang.api.urls import api

TOO_LARGE = 10**22  # beyond every integer column

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]


def _kind(prop: dict[str, Any]) -> str:
    """integer, integer[], date, date-time or other, looking through `X | None`."""
    if "anyOf" in prop:
        kinds = [_kind(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return kinds[0] if kinds else "other"
    if prop.get("type") == "array":
        return _kind(prop["items"]) + "[]"
    return prop.get("format") or prop.get("type", "other")


def _body_properties(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return {}
    if "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema.get("properties", {})


BAD_VALUES = {
    "integer": TOO_LARGE,
    "integer[]": [TOO_LARGE],
    "date-time": "2026-03-27T10:00:00",  # no offset
    "date": "0001-01-01",
}


def _cases() -> list[Any]:
    cases = []
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                bad = BAD_VALUES.get(_kind(parameter["schema"]))
                if bad is not None:
                    where, name = parameter["in"], parameter["name"]
                    cases.append(
                        pytest.param(method, path, where, name, bad, id=f"{method} {path} {name}")
                    )
            for name, prop in _body_properties(operation).items():
                bad = BAD_VALUES.get(_kind(prop))
                if bad is not None:
                    cases.append(
                        pytest.param(method, path, "body", name, bad, id=f"{method} {path} {name}")
                    )
    return cases


CASES = _cases()


def test_the_schema_walk_finds_the_inputs_it_should():
    found = {case.id for case in CASES}
    assert {
        "post /api/v1/returns loans",
        "get /api/v1/patients offset",
        "get /api/v1/requisitions patient",
        "get /api/v1/nav-applications patient",
        "post /api/v1/requisitions conferred_at",
        "post /api/v1/stays admitted_at",
        "post /api/v1/requisitions/{pk}/decision deliver_by",
        "get /api/v1/patients/{patient_id} patient_id",
    } <= found
    assert len(CASES) > 60


@pytest.fixture
def root_api(api_as, areas):
    return api_as(User.objects.create_superuser("root", password="demo"))


def _url(path: str, where: str, name: str, bad: Any) -> str:
    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if where == "path" and key == name:
            return str(bad)
        return "1" if key.endswith(("id", "pk")) else "x"

    return re.sub(r"\{(\w+)\}", fill, path).removeprefix("/api/v1")


@pytest.mark.parametrize(("method", "path", "where", "name", "bad"), CASES)
def test_input_out_of_range_is_422_naming_the_field(root_api, method, path, where, name, bad):
    url = _url(path, where, name, bad)
    if method == "get":
        response = root_api.get(url, **({name: bad} if where == "query" else {}))
    elif method == "put":
        response = root_api.put(url, {name: bad} if where == "body" else {})
    else:
        response = root_api.post(url, {name: bad} if where == "body" else {})
    assert response.status_code == 422, response.content
    named = [problem["loc"] for problem in response.json()["detail"] if name in problem["loc"]]
    assert named and named[0][0] == where, response.json()
