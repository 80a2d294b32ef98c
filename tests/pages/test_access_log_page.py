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
