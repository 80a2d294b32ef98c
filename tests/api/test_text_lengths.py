"""Text the API stores in a column of limited length is refused beyond that length with a
422 naming the field. SQLite keeps any length, but PostgreSQL refuses it with a 500."""

from __future__ import annotations

import pytest

from overgang.aids.models import ConsumableOrder, ConsumptionPlan, Device, ReturnRequest
from overgang.api.urls import api
from overgang.requisitions.models import Appeal, Dispute, NavApplication, Requisition
from overgang.stays.models import Message, Stay, Training

SCHEMA = api.get_openapi_schema()

# (method, path, body field) -> the column it is stored in.
STORED_TEXT = [
    ("post", "/devices", "serial", Device, "serial"),
    ("post", "/devices", "location", Device, "location"),
    ("post", "/returns", "contact_name", ReturnRequest, "contact_name"),
    ("post", "/returns", "contact_phone", ReturnRequest, "contact_phone"),
    ("post", "/returns", "address", ReturnRequest, "address"),
    ("post", "/loans/{pk}/consumables", "note", ConsumptionPlan, "note"),
    ("post", "/consumption-plans/{pk}/needs", "note", ConsumableOrder, "note"),
    ("post", "/consumption-plans/{pk}/supply", "note", ConsumableOrder, "note"),
    ("post", "/requisitions", "requester_name", Requisition, "requester_name"),
    ("post", "/requisitions", "referred_by", Requisition, "referred_by"),
    ("post", "/requisitions", "conferred_with", Requisition, "conferred_with"),
    ("post", "/requisitions/{pk}/appeals", "appellant_name", Appeal, "appellant_name"),
    ("post", "/nav-applications/{pk}/signature", "signer_name", NavApplication, "signer_name"),
    ("post", "/nav-applications/{pk}/sent", "nav_reference", NavApplication, "nav_reference"),
    ("post", "/disputes/{pk}/delivery", "note", Dispute, "delivery_note"),
    ("post", "/stays/{pk}/messages", "version", Message, "version"),
    ("post", "/stays/{pk}/messages", "sender", Message, "sender"),
    ("post", "/stays/{pk}/answer", "service", Stay, "service"),
    ("post", "/stays/{pk}/trainings", "names", Training, "names"),
    ("post", "/stays/{pk}/trainings", "written_procedures", Training, "written_procedures"),
    ("put", "/stays/{pk}/relatives", "coordinator", Stay, "coordinator"),
]


def _body_property(method: str, path: str, field: str) -> dict:
    operation = SCHEMA["paths"][f"/api/v1{path}"][method]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    prop = SCHEMA["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"][field]
    return next((p for p in prop.get("anyOf", []) if p.get("type") == "string"), prop)


@pytest.mark.parametrize(
    ("method", "path", "field", "model", "column"),
    STORED_TEXT,
    ids=[f"{m} {p} {f}" for m, p, f, *_ in STORED_TEXT],
)
def test_stored_text_is_no_longer_than_its_column(method, path, field, model, column):
    limit = model._meta.get_field(column).max_length
    assert _body_property(method, path, field).get("maxLength") == limit


def test_a_too_long_contact_name_is_422_and_nothing_is_reported(api_as, frogner_case_worker):
    body = {"loans": [1], "method": "pickup", "reported_for": "municipality"}
    response = api_as(frogner_case_worker).post("/returns", {**body, "contact_name": "x" * 121})
    assert response.status_code == 422
    assert [p["loc"][-1] for p in response.json()["detail"]] == ["contact_name"]
    assert not ReturnRequest.objects.exists()
