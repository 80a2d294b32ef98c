"""POST /api/v1/patients and GET /api/v1/patients/{id} as docs/contracts/api.md fixes them."""

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.renderers import JSONRenderer

from overgang.api.schemas import PatientOut
from overgang.audit.models import ChangeRecord, PatientRead
from overgang.patients.models import Patient, Relative
from tests.conftest import FROGNER_FNR

pytestmark = pytest.mark.django_db

KARI = {
    "national_id": FROGNER_FNR,
    "name": "Kari Nordmann",
    "municipality": "Oslo",
    "district": "Frogner",
    "address": "Skovveien 12",
    "residence": "home",
}


def test_a_case_worker_registers_a_resident_of_the_district(api_as, frogner_case_worker):
    response = api_as(frogner_case_worker).post("/patients", KARI)
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == Patient.objects.get().pk
    assert body["birth_date"] == "1986-10-15"
    assert body["sex"] == "female"
    assert body["district"]["name"] == "Bydel Frogner"
    assert body["responsible_hospital"]["name"] == "Oslo universitetssykehus HF"
    change = ChangeRecord.objects.get(model="patients.patient")
    assert change.actor == frogner_case_worker
    assert change.channel == "api:POST /api/v1/patients"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"national_id": "15108695077"}, "national_id", "check the digits"),
        ({"municipality": "Atlantis"}, "municipality", "Unknown municipality"),
        ({"district": "Tromsdalen"}, "district", "not a district of Oslo"),
        ({"residence": "tent"}, "residence", ""),
        ({"name": ""}, "name", ""),
        ({"institution": "no-such-home", "residence": "institution"}, "institution", "Unknown"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_saves_nothing(
    api_as, frogner_case_worker, change, field, words
):
    before = ChangeRecord.objects.count()
    response = api_as(frogner_case_worker).post("/patients", {**KARI, **change})
    assert response.status_code == 422
    problems = response.json()["detail"]
    mine = [p for p in problems if field in p["loc"]]
    assert mine, problems
    assert words in mine[0]["msg"]
    assert not Patient.objects.exists()
    assert ChangeRecord.objects.count() == before


def test_a_resident_of_another_district_is_422(api_as, frogner_case_worker):
    response = api_as(frogner_case_worker).post("/patients", {**KARI, "district": "Stovner"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "district"]
    assert not Patient.objects.exists()


def test_the_same_national_id_twice_is_409(api_as, frogner_case_worker, frogner_patient):
    response = api_as(frogner_case_worker).post("/patients", KARI)
    assert response.status_code == 409
    assert Patient.objects.count() == 1


def test_a_network_group_member_may_not_register_patients(api_as, network_member):
    assert api_as(network_member).post("/patients", KARI).status_code == 403
    assert not Patient.objects.exists()


def test_a_patient_in_scope_is_returned_and_the_read_logged(
    api_as, frogner_case_worker, frogner_patient
):
    response = api_as(frogner_case_worker).get(f"/patients/{frogner_patient.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Kari Nordmann"
    read = PatientRead.objects.get()
    assert read.user == frogner_case_worker
    assert read.channel.startswith("api:GET /api/v1/patients/")


def test_a_patient_outside_scope_does_not_exist(api_as, tromso_case_worker, frogner_patient):
    response = api_as(tromso_case_worker).get(f"/patients/{frogner_patient.pk}")
    assert response.status_code == 404
    assert "Nordmann" not in response.content.decode()
    assert not PatientRead.objects.exists()


def test_an_unknown_patient_is_404(api_as, frogner_case_worker):
    assert api_as(frogner_case_worker).get("/patients/999999").status_code == 404


def test_search_finds_by_name_prefix_and_national_id_within_scope(
    api_as, frogner_case_worker, frogner_patient, stovner_patient
):
    api = api_as(frogner_case_worker)
    by_name = api.get("/patients", q="nord").json()
    assert [p["name"] for p in by_name["results"]] == ["Kari Nordmann"]
    by_number = api.get("/patients", q=FROGNER_FNR[:6]).json()
    assert by_number["count"] == 1
    assert api.get("/patients", q="Stovnersen").json() == {"count": 0, "results": []}


@pytest.mark.parametrize(("param", "value"), [("limit", 0), ("limit", 101), ("offset", -1)])
def test_search_paging_out_of_range_is_422(api_as, frogner_case_worker, param, value):
    response = api_as(frogner_case_worker).get("/patients", **{param: value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", param]


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/auth/token", "/api/v1/patients", "/api/v1/patients/{patient_id}"} <= set(paths)
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("who", ["frogner", "tromso"])
def test_a_patient_is_answered_as_the_schema_makes_them(
    api_as, areas, frogner_patient, tromso_patient, who
):
    """A patient is answered without ninja's validation (overgang.api.answers): byte for
    byte what PatientOut made of the same patient, with relatives and an institution, and
    without a district or relatives."""
    patient = {"frogner": frogner_patient, "tromso": tromso_patient}[who]
    if who == "frogner":
        Patient.objects.filter(pk=patient.pk).update(institution=areas["ous"])
        for name, next_of_kin in (("Per", False), ("Anne", True), ("Bo", False)):
            Relative.objects.create(
                patient=patient, name=name, relation="child", next_of_kin=next_of_kin
            )
    response = api_as(User.objects.create_superuser("root", password="x")).get(
        f"/patients/{patient.pk}"
    )
    fresh = Patient.objects.prefetch_related("relatives").get(pk=patient.pk)
    expected = JSONRenderer().render(
        HttpRequest(), PatientOut.model_validate(fresh).model_dump(), response_status=200
    )
    assert response.content.decode() == expected
    assert response["Content-Type"] == "application/json; charset=utf-8"
