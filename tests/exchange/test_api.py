"""POST /api/v1/messages and reading receipts and documents back, as the contract says."""

from __future__ import annotations

import pytest

from overgang.exchange.models import Received
from overgang.messages.check import MAX_BYTES
from overgang.organisations.models import Role
from overgang.organisations.tokens import issue_token
from overgang.stays.models import Stay
from tests.exchange.test_receive import ADMITTED


def post(client, user, body: bytes, content_type: str = "application/xml"):
    token = issue_token(user).token
    return client.generic(
        "POST",
        "/api/v1/messages",
        body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )


def get(client, user, path: str):
    token = issue_token(user).token
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})


def test_an_accepted_message_is_201_with_the_contracts_body(client, integration, addressed):
    response = post(client, integration, addressed(ADMITTED))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "source", "message_id", "standard", "type", "version", "status",
        "patient", "stay", "events", "errors", "receipt",
    }  # fmt: skip
    assert (body["standard"], body["type"], body["version"]) == ("plo", "LOG_INNLAGT", "v1.6")
    assert body["status"] == "accepted"
    assert body["events"] == ["admission-notified"]
    assert Stay.objects.filter(pk=body["stay"]).exists()
    receipt = get(client, integration, f"/messages/{body['message_id']}/receipt")
    assert receipt.status_code == 200
    assert b"AppRec" in receipt.content
    assert body["receipt"].endswith(f"/api/v1/messages/{body['message_id']}/receipt")


def test_a_duplicate_is_200_and_a_rejection_422(client, integration, addressed):
    body = addressed(ADMITTED)
    assert post(client, integration, body).status_code == 201
    again = post(client, integration, body)
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    broken = post(client, integration, b"<MsgHead>")
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["code"] == "T01"


def test_an_account_may_not_receive_for_another_organisation(client, make_user, addressed):
    tromso = make_user("tromso-engine", ("tromso", Role.INTEGRATION))
    response = post(client, tromso, addressed(ADMITTED))
    assert response.status_code == 403
    assert not Stay.objects.exists()
    assert not Received.objects.filter(outcome="accepted").exists()


def test_a_person_who_is_no_integration_account_may_not_post(
    client, frogner_case_worker, addressed
):
    assert post(client, frogner_case_worker, addressed(ADMITTED)).status_code == 403


def test_without_a_token_it_is_401(client, addressed):
    response = client.generic(
        "POST", "/api/v1/messages", addressed(ADMITTED), content_type="application/xml"
    )
    assert response.status_code == 401


def test_too_large_is_413_and_an_unknown_content_type_415(client, integration):
    big = b"<a>" + b"x" * MAX_BYTES + b"</a>"
    assert post(client, integration, big).status_code == 413
    assert post(client, integration, b"<a/>", "text/plain").status_code == 415


def test_receipts_and_documents_of_others_are_404(client, integration, make_user, addressed):
    accepted = post(client, integration, addressed(ADMITTED)).json()
    tromso = make_user("tromso-engine", ("tromso", Role.INTEGRATION))
    for path in (
        f"/messages/{accepted['message_id']}",
        f"/messages/{accepted['message_id']}/receipt",
    ):
        assert get(client, tromso, path).status_code == 404
    assert get(client, integration, "/messages/no-such-id").status_code == 404


@pytest.mark.parametrize("message_id", ["EPJ/2026/000417", "HNT 417?v=2#a"])
def test_a_message_whose_id_holds_a_slash_is_read_back_with_its_receipt(
    client, integration, addressed, message_id
):
    from urllib.parse import quote

    answer = post(client, integration, addressed(ADMITTED, message_id=message_id)).json()
    assert answer["message_id"] == message_id
    named = quote(message_id, safe="")
    assert answer["receipt"].endswith(f"/api/v1/messages/{named}/receipt")
    receipt = get(client, integration, f"/messages/{named}/receipt")
    assert receipt.status_code == 200
    assert b"AppRec" in receipt.content
    document = get(client, integration, f"/messages/{named}")
    assert document.status_code == 200
    assert message_id.encode() in document.content.replace(b"&amp;", b"&")


def test_reading_a_document_is_logged(client, integration, addressed):
    from overgang.audit.models import PatientRead

    accepted = post(client, integration, addressed(ADMITTED)).json()
    response = get(client, integration, f"/messages/{accepted['message_id']}")
    assert response.status_code == 200
    assert b"LOG_INNLAGT" in response.content
    assert PatientRead.objects.filter(patient_id=accepted["patient"], user=integration).exists()


@pytest.mark.parametrize("content_type", ["application/xml", "application/fhir+xml"])
def test_the_content_types_of_the_contract_are_taken(client, integration, content_type):
    response = post(client, integration, b"<x/>", content_type)
    assert response.status_code == 422
