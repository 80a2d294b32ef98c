"""Every list of the API pages with `limit` and `offset` (docs/contracts/api.md, "Paging"):
consecutive pages cover the list once, in its order; bad values are a 422 naming the
parameter; without them a list answers what it answered before.

The lists are read from the OpenAPI schema, so a list added later without paging fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang.aids.models import AidType, ConsumableType
from overgang.api.urls import api
from overgang.organisations.models import Organisation

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema()

# The lists whose cap was larger than a page of 100 before paging existed: the cap stays the
# default and the largest page.
CAPS = {
    "/api/v1/stays": 500,
    "/api/v1/organisations": 500,
    "/api/v1/deadlines": 200,
    "/api/v1/audit/reads": 1000,
}


def _answers_a_list(operation: dict[str, Any]) -> bool:
    content = operation["responses"].get(200, {}).get("content", {})
    return content.get("application/json", {}).get("schema", {}).get("type") == "array"


LISTS = sorted(
    path
    for path, operations in SCHEMA["paths"].items()
    if "get" in operations and _answers_a_list(operations["get"])
)


def _parameter(path: str, name: str) -> dict[str, Any]:
    parameters = SCHEMA["paths"][path]["get"].get("parameters", [])
    found = [p["schema"] for p in parameters if p["name"] == name and p["in"] == "query"]
    assert found, f"{path} has no query parameter {name}"
    schema = found[0]
    # `X | None` on a list without a cap of its own: the bounds are on the integer.
    return next((s for s in schema.get("anyOf", []) if s.get("type") == "integer"), schema)


def test_the_schema_walk_finds_the_lists():
    assert {
        "/api/v1/stays",
        "/api/v1/deadlines",
        "/api/v1/organisations",
        "/api/v1/requisitions",
        "/api/v1/returns",
        "/api/v1/swaps",
        "/api/v1/disputes",
        "/api/v1/nav-applications",
        "/api/v1/ventilation-agreements",
        "/api/v1/staff-trainings",
        "/api/v1/aid-types",
        "/api/v1/consumables",
        "/api/v1/consumables/due",
        "/api/v1/consumables/stock",
        "/api/v1/waiting-days",
        "/api/v1/stays/{pk}/leaves",
    } <= set(LISTS)


@pytest.mark.parametrize("path", LISTS)
def test_every_list_declares_limit_and_offset_with_their_bounds(path):
    limit, offset = _parameter(path, "limit"), _parameter(path, "offset")
    cap = CAPS.get(path, 100)
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, cap)
    assert (offset["type"], offset["minimum"]) == ("integer", 0)


@pytest.fixture
def root_api(api_as, areas):
    return api_as(User.objects.create_superuser("root", password="demo"))


def _url(path: str) -> str:
    # The lists under an object: object 1, which need not exist (the parameters are read first).
    return path.removeprefix("/api/v1").replace("{pk}", "1").replace("{slug}", "x")


def _bad_values(path: str) -> list[tuple[str, object]]:
    cap = CAPS.get(path, 100)
    return [
        ("limit", 0),
        ("limit", cap + 1),
        ("limit", -1),
        ("limit", "abc"),
        ("limit", 10**22),
        ("offset", -1),
        ("offset", "abc"),
        ("offset", 10**22),
    ]


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [(path, name, value) for path in LISTS for name, value in _bad_values(path)],
)
def test_a_bad_limit_or_offset_is_422_naming_it(root_api, path, name, value):
    params = {name: value, "month": "2026-03", "patient": 1, "aid_type": "x"}
    response = root_api.get(_url(path), **params)
    assert response.status_code == 422, response.content
    assert [p["loc"] for p in response.json()["detail"]] == [["query", name]]


def _paged(api: Any, path: str, key: str, **params: object) -> list[object]:
    """The whole list read in pages of 2: the keys of its rows in the order answered."""
    found: list[object] = []
    offset = 0
    while True:
        response = api.get(path, limit=2, offset=offset, **params)
        assert response.status_code == 200, response.content
        rows = response.json()
        assert len(rows) <= 2
        found += [row[key] for row in rows]
        if len(rows) < 2:
            return found
        offset += 2


@pytest.mark.parametrize(
    ("path", "key", "count"),
    [
        ("/aid-types", "slug", lambda: AidType.objects.count()),
        ("/consumables", "slug", lambda: ConsumableType.objects.count()),
    ],
)
def test_pages_of_two_cover_a_list_once_in_its_order(root_api, path, key, count):
    whole = [row[key] for row in root_api.get(path).json()]
    assert len(whole) == count() > 4
    assert _paged(root_api, path, key) == whole


def test_the_directory_pages_in_sql_by_name(root_api):
    everyone = list(Organisation.objects.order_by("name", "id").values_list("key", flat=True))
    with CaptureQueriesContext(connection) as queries:
        page = root_api.get("/organisations", limit=3, offset=5).json()
    assert [o["key"] for o in page] == everyone[5:8]
    # The database reads the page, not the directory.
    assert any("LIMIT 3 OFFSET 5" in query["sql"] for query in queries.captured_queries)
    # Without parameters: the first 500, as before paging.
    assert [o["key"] for o in root_api.get("/organisations").json()] == everyone[:500]
    assert root_api.get("/organisations", limit=500, offset=len(everyone)).json() == []


def test_an_offset_past_the_end_is_an_empty_page(root_api):
    assert root_api.get("/aid-types", offset=10**6).json() == []
    assert root_api.get("/aid-types", offset=2**63 - 1, limit=100).json() == []
