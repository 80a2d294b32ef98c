"""Loan sets, handover and the loan itself over the API."""

import pytest

from overgang.aids.models import Device, Loan

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, ous_technician, checked_homes):
    technician = api_as(ous_technician)
    for aid_type, serial in (
        ("home-ventilator", "HV-1"),
        ("home-ventilator", "HV-2"),
        ("oxygen-concentrator", "OC-1"),
        ("portable-oxygen-cylinder", "PC-1"),
        ("cpap", "CP-1"),
    ):
        assert technician.post(
            "/devices", {"aid_type": aid_type, "serial": serial}
        ).status_code == (201)
    return technician


def test_a_lone_ventilator_is_lent_and_the_answer_asks_for_the_second_unit(api, frogner_patient):
    loan = api.post("/loans", {"device": "HV-1", "patient": frogner_patient.pk})
    assert loan.status_code == 201
    body = loan.json()
    assert body["complete"] is False and body["role"] == "main" and body["companions"] == []
    second = [m for m in body["outstanding"] if m["kind"] == "second-unit"]
    assert second and second[0]["aid_type"] == "home-ventilator" and "000 4.0" in second[0]["text"]

    added = api.post(f"/loans/{body['id']}/devices", {"device": "HV-2"})
    assert added.status_code == 201
    assert added.json()["main"] == body["id"] and added.json()["role"] == "second-unit"
    again = api.get(f"/loans/{body['id']}").json()
    assert again["companions"] == ["HV-2"]
    assert "second-unit" not in [m["kind"] for m in again["outstanding"]]


def test_oxygen_lent_as_a_therapy_in_one_call(api, frogner_patient):
    loan = api.post(
        "/loans",
        {
            "device": "OC-1",
            "patient": frogner_patient.pk,
            "therapy": "long-term-oxygen",
            "companions": ["PC-1"],
        },
    )
    assert loan.status_code == 201
    body = loan.json()
    assert body["therapy"] == "long-term-oxygen" and body["companions"] == ["PC-1"]
    assert "part" not in [m["kind"] for m in body["outstanding"]]
    assert set(Device.objects.filter(status="on-loan").values_list("serial", flat=True)) == {
        "OC-1",
        "PC-1",
    }


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"companions": ["NOPE-1"]}, "companions"),
        ({"companions": ["CP-1"]}, "companions"),
        ({"therapy": "long-term-oxygen"}, "therapy"),
        ({"placement": "garden"}, "placement"),
        ({"placement": "institution"}, "institution"),
        ({"institution": "no-such-place", "placement": "institution"}, "institution"),
        ({"delivery": "drone"}, "delivery"),
        ({"purpose": "holiday"}, "purpose"),
    ],
)
def test_bad_lending_input_is_422_naming_the_field_and_lends_nothing(
    api, frogner_patient, extra, field
):
    response = api.post("/loans", {"device": "HV-1", "patient": frogner_patient.pk, **extra})
    assert response.status_code == 422
    assert ["body", field] in [problem["loc"] for problem in response.json()["detail"]]
    assert not Loan.objects.exists()
    assert not Device.objects.filter(status="on-loan").exists()


def test_a_manual_is_handed_over_only_when_the_catalogue_has_one(api, frogner_patient, manuals):
    loan = api.post("/loans", {"device": "CP-1", "patient": frogner_patient.pk}).json()
    assert "manual" in [m["kind"] for m in loan["outstanding"]]
    done = api.post(f"/loans/{loan['id']}/handover", {"manual_handed_over": True})
    assert done.status_code == 200
    assert done.json()["manual"] == manuals["cpap"].title and done.json()["complete"] is True


def test_without_a_manual_the_handover_is_422_and_nothing_changes(api, frogner_patient):
    loan = api.post("/loans", {"device": "CP-1", "patient": frogner_patient.pk}).json()
    refused = api.post(f"/loans/{loan['id']}/handover", {"manual_handed_over": True})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "manual_handed_over"]
    assert Loan.objects.get(pk=loan["id"]).manual_handed_over is False


def test_the_patients_municipality_reads_the_loan_and_outsiders_get_404(
    api, api_as, frogner_patient, frogner_case_worker, tromso_case_worker, stovner_case_worker
):
    loan = api.post("/loans", {"device": "CP-1", "patient": frogner_patient.pk}).json()
    assert api_as(frogner_case_worker).get(f"/loans/{loan['id']}").status_code == 200
    for outsider in (tromso_case_worker, stovner_case_worker):
        assert api_as(outsider).get(f"/loans/{loan['id']}").status_code == 404
    # Seeing is not managing: the municipality cannot return or complete the unit's loan.
    viewer = api_as(frogner_case_worker)
    assert viewer.post(f"/loans/{loan['id']}/return").status_code == 404
    assert viewer.post(
        f"/loans/{loan['id']}/handover", {"instruction_given": True}
    ).status_code == (404)
    assert viewer.post(f"/loans/{loan['id']}/devices", {"device": "HV-1"}).status_code == 404
    assert Loan.objects.get(pk=loan["id"]).returned_at is None


def test_a_device_added_to_a_returned_loan_is_409(api, frogner_patient):
    loan = api.post("/loans", {"device": "HV-1", "patient": frogner_patient.pk}).json()
    api.post(f"/loans/{loan['id']}/return")
    response = api.post(f"/loans/{loan['id']}/devices", {"device": "HV-2"})
    assert response.status_code == 409
    assert Device.objects.get(serial="HV-2").status == "available"
