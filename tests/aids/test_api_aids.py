"""Devices and loans over the API, as docs/contracts/api.md fixes them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang.aids.models import Device, Loan

pytestmark = pytest.mark.django_db


@pytest.fixture
def technician_api(api_as, ous_technician):
    return api_as(ous_technician)


def test_a_device_goes_round_lend_return_reprocess_lend(
    technician_api, frogner_patient, checked_homes
):
    api = technician_api
    created = api.post("/devices", {"aid_type": "home-ventilator", "serial": "HV-9"})
    assert created.status_code == 201
    assert created.json()["status"] == "available"
    assert created.json()["current_loan"] is None

    loan = api.post("/loans", {"device": "HV-9", "patient": frogner_patient.pk})
    assert loan.status_code == 201
    device = api.get("/devices/HV-9").json()
    assert device["status"] == "on-loan"
    assert device["current_loan"]["id"] == loan.json()["id"]
    assert device["current_loan"]["patient"] == frogner_patient.pk

    assert api.post("/loans", {"device": "HV-9", "patient": frogner_patient.pk}).status_code == 409
    returned = api.post(f"/loans/{loan.json()['id']}/return")
    assert returned.status_code == 200
    assert api.get("/devices/HV-9").json()["status"] == "returned"
    assert api.post("/loans", {"device": "HV-9", "patient": frogner_patient.pk}).status_code == 409

    done = api.post(
        "/devices/HV-9/reprocess", {"technical_check": "passed", "disinfection": "thermal"}
    )
    assert done.status_code == 200
    assert done.json()["status"] == "available"
    assert api.post("/loans", {"device": "HV-9", "patient": frogner_patient.pk}).status_code == 201


def test_a_loan_returned_twice_is_409(technician_api, frogner_patient):
    technician_api.post("/devices", {"aid_type": "cpap", "serial": "CP-1"})
    loan = technician_api.post("/loans", {"device": "CP-1", "patient": frogner_patient.pk}).json()
    assert technician_api.post(f"/loans/{loan['id']}/return").status_code == 200
    assert technician_api.post(f"/loans/{loan['id']}/return").status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"aid_type": "rocket", "serial": "R-1"}, "aid_type"),
        ({"aid_type": "cpap", "serial": "  "}, "serial"),
        ({"aid_type": "cpap"}, "serial"),
    ],
)
def test_bad_devices_are_422_naming_the_field(technician_api, body, field):
    response = technician_api.post("/devices", body)
    assert response.status_code == 422
    assert any(field in problem["loc"] for problem in response.json()["detail"])
    assert not Device.objects.exists()


def test_a_duplicate_serial_is_409_and_changes_nothing(technician_api):
    technician_api.post("/devices", {"aid_type": "cpap", "serial": "CP-1"})
    response = technician_api.post("/devices", {"aid_type": "tens", "serial": "CP-1"})
    assert response.status_code == 409
    assert Device.objects.get().aid_type.slug == "cpap"


def test_lending_an_unknown_serial_or_to_a_patient_outside_scope_is_422(
    technician_api, stovner_patient
):
    technician_api.post("/devices", {"aid_type": "cpap", "serial": "CP-1"})
    unknown = technician_api.post("/loans", {"device": "NOPE", "patient": stovner_patient.pk})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "device"]
    # Stovner is served by Akershus, not by OUS (O1).
    outside = technician_api.post("/loans", {"device": "CP-1", "patient": stovner_patient.pk})
    assert outside.status_code == 422
    assert outside.json()["detail"][0]["loc"] == ["body", "patient"]
    assert not Loan.objects.exists()


def test_outsiders_get_404_and_the_patients_municipality_sees_the_loan(
    api_as, technician_api, frogner_patient, tromso_case_worker, frogner_case_worker
):
    technician_api.post("/devices", {"aid_type": "cpap", "serial": "CP-1"})
    assert api_as(tromso_case_worker).get("/devices/CP-1").status_code == 404
    assert api_as(frogner_case_worker).get("/devices/CP-1").status_code == 404
    technician_api.post("/loans", {"device": "CP-1", "patient": frogner_patient.pk})
    assert api_as(frogner_case_worker).get("/devices/CP-1").status_code == 200
    assert api_as(tromso_case_worker).get("/devices/CP-1").status_code == 404
    assert (
        api_as(tromso_case_worker)
        .post("/devices/CP-1/reprocess", {"technical_check": "passed"})
        .status_code
        == 404
    )


def test_a_case_worker_cannot_register_devices(api_as, frogner_case_worker):
    response = api_as(frogner_case_worker).post("/devices", {"aid_type": "cpap", "serial": "X"})
    assert response.status_code == 403
    assert not Device.objects.exists()


def test_a_device_is_read_with_its_current_loan_in_one_query(
    technician_api, frogner_patient, checked_homes
):
    technician_api.post("/devices", {"aid_type": "cpap", "serial": "CP-7", "location": "Depot"})
    loan = technician_api.post("/loans", {"device": "CP-7", "patient": frogner_patient.pk}).json()
    with CaptureQueriesContext(connection) as queries:
        device = technician_api.get("/devices/CP-7").json()
    assert device == {
        "serial": "CP-7",
        "aid_type": "cpap",
        "status": "on-loan",
        "owner": "ous-bhm",
        "location": "Depot",
        "current_loan": {
            "id": loan["id"],
            "patient": frogner_patient.pk,
            "started_at": loan["started_at"],
            "expected_end": loan["expected_end"],
        },
    }
    # The device, its type, owner and current loan: one SELECT of the aids' tables.
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len([sql for sql in reads if '"aids_' in sql]) == 1
