"""GET /api/v1/audit/reads?patient=: the access log of one patient, for auditors in scope."""

import pytest

from overgang.audit.models import PatientRead

pytestmark = pytest.mark.django_db


def test_an_auditor_gets_who_read_the_record_newest_first(
    client, api_as, auditor, frogner_case_worker, ous_clinician, frogner_patient
):
    client.force_login(frogner_case_worker)
    client.get(f"/patients/{frogner_patient.pk}/")
    client.force_login(ous_clinician)
    client.get(f"/patients/{frogner_patient.pk}/")
    client.logout()

    answer = api_as(auditor).get("/audit/reads", patient=frogner_patient.pk)

    assert answer.status_code == 200
    rows = answer.json()
    assert [row["user"] for row in rows] == ["ous-clinician", "oslo-frogner"]
    assert set(rows[0]) == {"at", "user", "organisation", "channel", "purpose", "what"}
    assert rows[1]["channel"] == f"page:GET /patients/{frogner_patient.pk}/"
    assert rows[1]["purpose"] == "patient-page"
    assert rows[0]["at"] >= rows[1]["at"]


def test_the_reader_is_named_with_the_organisation_they_work_for(
    client, api_as, auditor, frogner_case_worker, frogner_patient, areas
):
    client.force_login(frogner_case_worker)
    client.get(f"/patients/{frogner_patient.pk}/")
    rows = api_as(auditor).get("/audit/reads", patient=frogner_patient.pk).json()
    assert rows[0]["organisation"] == areas["oslo-frogner-bestiller"].name


def test_a_list_that_showed_the_patient_is_in_their_access_log(
    client, api_as, auditor, frogner_case_worker, frogner_patient, stovner_patient
):
    client.force_login(frogner_case_worker)
    client.get("/patients/", {"q": "Nordmann"})
    rows = api_as(auditor).get("/audit/reads", patient=frogner_patient.pk).json()
    assert [(row["user"], row["purpose"], row["what"]) for row in rows] == [
        ("oslo-frogner", "list", "/patients/?q=Nordmann")
    ]
    assert api_as(auditor).get("/audit/reads", patient=stovner_patient.pk).json() == [], (
        "the search did not show Stovner's patient"
    )


def test_the_filters_narrow_the_log(
    client, api_as, auditor, frogner_case_worker, ous_clinician, frogner_patient
):
    client.force_login(frogner_case_worker)
    client.get(f"/patients/{frogner_patient.pk}/")
    client.force_login(ous_clinician)
    client.get("/patients/", {"q": "Nordmann"})
    audit = api_as(auditor)

    by_user = audit.get("/audit/reads", patient=frogner_patient.pk, user="ous-clinician")
    assert [row["user"] for row in by_user.json()] == ["ous-clinician"]
    by_org = audit.get("/audit/reads", patient=frogner_patient.pk, organisation="ous-lunge")
    assert [row["user"] for row in by_org.json()] == ["ous-clinician"]
    by_purpose = audit.get("/audit/reads", patient=frogner_patient.pk, purpose="patient-page")
    assert [row["user"] for row in by_purpose.json()] == ["oslo-frogner"]
    tomorrow = audit.get("/audit/reads", patient=frogner_patient.pk, since="2999-01-01")
    assert tomorrow.json() == []


def test_reading_the_log_is_logged_too(api_as, auditor, frogner_patient):
    api_as(auditor).get("/audit/reads", patient=frogner_patient.pk)
    read = PatientRead.objects.get(patient=frogner_patient)
    assert (read.user, read.purpose) == (auditor, "audit")


def test_a_case_worker_may_not_read_the_log(api_as, frogner_case_worker, frogner_patient):
    answer = api_as(frogner_case_worker).get("/audit/reads", patient=frogner_patient.pk)
    assert answer.status_code == 403


def test_an_auditor_outside_the_patients_area_finds_nothing(api_as, make_user, frogner_patient):
    tromso_auditor = make_user("tromso-auditor", ("tromso", "auditor"))
    answer = api_as(tromso_auditor).get("/audit/reads", patient=frogner_patient.pk)
    assert answer.status_code == 404
    assert not PatientRead.objects.exists()


def test_the_superuser_reads_every_log(api_as, make_user, tromso_patient, system):
    from overgang.organisations.actions import create_user

    admin = create_user(actor=system, username="root", password="x", is_superuser=True)
    assert api_as(admin).get("/audit/reads", patient=tromso_patient.pk).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"patient": "abc"}, "patient"),
        ({}, "patient"),
        ({"patient": 1, "since": "2026-13-01"}, "since"),
        ({"patient": 1, "purpose": "gossip"}, "purpose"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api_as, auditor, frogner_patient, query, field):
    answer = api_as(auditor).get("/audit/reads", **query)
    assert answer.status_code == 422
    assert field in str(answer.json())
    assert not PatientRead.objects.exists()
