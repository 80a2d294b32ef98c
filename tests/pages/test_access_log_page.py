import pytest

pytestmark = pytest.mark.django_db


def test_an_auditor_sees_who_read_a_record(
    client, auditor, frogner_case_worker, ous_clinician, frogner_patient
):
    client.force_login(frogner_case_worker)
    client.get(f"/patients/{frogner_patient.pk}/")
    client.force_login(ous_clinician)
    client.get(f"/patients/{frogner_patient.pk}/")
    client.force_login(auditor)
    page = client.get(f"/audit/patients/{frogner_patient.pk}/")
    assert page.status_code == 200
    readers = [read.user.username for read in page.context["page"].object_list]
    assert readers == ["ous-clinician", "oslo-frogner"], "newest first"


def test_the_auditor_finds_the_patient_by_name(client, auditor, frogner_patient):
    client.force_login(auditor)
    page = client.get("/audit/", {"q": "Nordmann"})
    assert [p.pk for p in page.context["page"].object_list] == [frogner_patient.pk]


def test_a_case_worker_cannot_open_the_access_log(client, frogner_case_worker, frogner_patient):
    client.force_login(frogner_case_worker)
    assert client.get("/audit/").status_code == 403
    assert client.get(f"/audit/patients/{frogner_patient.pk}/").status_code == 403


def test_an_auditor_outside_the_patients_area_gets_404(client, make_user, frogner_patient):
    tromso_auditor = make_user("tromso-auditor", ("tromso", "auditor"))
    client.force_login(tromso_auditor)
    assert client.get(f"/audit/patients/{frogner_patient.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("language", "shown"), [("nb", "pasientsiden"), ("da", "patientsiden"), ("en", "patient page")]
)
def test_why_a_record_was_read_is_shown_in_the_auditors_language(
    client, auditor, frogner_case_worker, frogner_patient, language, shown
):
    client.force_login(frogner_case_worker)
    client.get(f"/patients/{frogner_patient.pk}/")
    assert frogner_patient.reads.get().purpose == "patient-page", "stored as a key"
    client.force_login(auditor)
    client.cookies["django_language"] = language
    page = client.get(f"/audit/patients/{frogner_patient.pk}/").content.decode()
    assert f"<td>{shown}</td>" in page


def test_reads_logged_with_english_words_before_the_keys_are_moved_to_them(
    frogner_case_worker, frogner_patient
):
    from importlib import import_module

    from django.apps import apps

    from overgang.audit.models import PatientRead

    migration = import_module("overgang.audit.migrations.0002_read_purposes")
    for word in ("patient page", "loan slip", "test"):
        PatientRead.objects.create(
            user=frogner_case_worker, patient=frogner_patient, channel="page", purpose=word
        )
    migration.words_to_keys(apps, None)
    assert sorted(PatientRead.objects.values_list("purpose", flat=True)) == [
        "loan-slip",
        "patient-page",
        "test",
    ], "what it does not know stays as it was"
