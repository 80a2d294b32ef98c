"""The OpenAPI document tells a client every answer it can get (issue 16, finding 6): the
errors of each operation with their bodies, and the allowed values of enum-like fields.
tests/api/test_fuzz.py holds the answers to the document; these tests hold the document to
what the contract and the writers say, and pin the bugs the fuzzing found."""

from __future__ import annotations

from typing import Any

import pytest

from overgang.api.urls import api
from overgang.patients.models import Patient

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]
OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
]


def _responses(operation: dict[str, Any]) -> dict[str, Any]:
    return {str(status): answer for status, answer in operation["responses"].items()}


def _schema_of(operation: dict[str, Any], status: str) -> dict[str, Any]:
    schema = _responses(operation)[status]["content"]["application/json"]["schema"]
    return COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]


def _enum(schema: str, field: str) -> list[str]:
    prop = COMPONENTS[schema]["properties"][field]
    if "$ref" in prop:
        prop = COMPONENTS[prop["$ref"].rsplit("/", 1)[-1]]
    return prop["enum"]


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=lambda v: str(v)[:60])
def test_each_operation_declares_the_errors_it_can_give(method, path, operation):
    responses = _responses(operation)
    if operation.get("security"):
        assert _schema_of(operation, "401")["title"] == "ErrorOut"
    if "{" in path:
        assert _schema_of(operation, "404")["title"] == "ErrorOut"
    if operation.get("parameters") or operation.get("requestBody"):
        assert "422" in responses
    if method in {"POST", "PUT"} and operation.get("security"):
        assert {"403", "409"} <= set(responses)


def test_the_422_body_is_declared_as_the_contract_fixes_it():
    detail = COMPONENTS["InvalidOut"]["properties"]["detail"]
    item = COMPONENTS[detail["items"]["$ref"].rsplit("/", 1)[-1]]
    assert {"loc", "msg"} <= set(item["required"])
    assert COMPONENTS["ErrorOut"]["required"] == ["detail"]


def test_enum_like_fields_declare_their_values():
    # The contract's lists (docs/contracts/api.md), in and out.
    assert set(_enum("DeviceOut", "status")) == {
        "available",
        "reserved",
        "on-loan",
        "returned",
        "reprocessing",
        "in-repair",
        "discarded",
    }
    assert _enum("DeadlineOut", "status") == ["open", "done", "overdue"]
    assert set(_enum("PatientIn", "residence")) == {"home", "institution"}
    assert set(_enum("LoanIn", "placement")) == {"home", "institution"}
    assert set(_enum("LoanOut", "role")) == {"main", "second-unit", "part"}
    assert set(_enum("StayOut", "admission")) >= {"emergency", "planned", "outpatient"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/v1/loans/abc", "/api/v1/patients/-3", "/api/v1/no-such-thing", "/api/v2/patients"],
)
def test_a_path_of_no_operation_is_a_json_404_whatever_the_method(client, path):
    # A POST with a session cookie but no CSRF token once got Django's HTML 403 page.
    client.cookies["sessionid"] = "not-a-session"
    for response in (client.get(path), client.post(path, "{}", content_type="application/json")):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not Found"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/stays", "/returns", "/swaps", "/disputes", "/nav-applications"])
def test_a_list_filtered_by_an_unknown_status_is_422_naming_it(api_as, ous_technician, path):
    # It used to answer 200 with an empty list, as if nothing had that status.
    response = api_as(ous_technician).get(path, status="no-such-status")
    assert response.status_code == 422
    assert [p["loc"][-1] for p in response.json()["detail"]] == ["status"]
    assert api_as(ous_technician).get(path, status="all").status_code == 200


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_declared_400(api_as, ous_technician):
    caller = api_as(ous_technician)
    response = caller.client.post(
        "/api/v1/patients", b"\x00not json", content_type="application/json", **_auth(caller)
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    assert "400" in _responses(SCHEMA["paths"]["/api/v1/patients"]["post"])
    assert not Patient.objects.exists()


def _auth(caller) -> dict[str, str]:
    return {"headers": caller.headers}


def test_the_patient_search_declares_the_403_of_a_role_that_may_not_search():
    search = SCHEMA["paths"]["/api/v1/patients"]["get"]
    assert _schema_of(search, "403")["title"] == "ErrorOut"
