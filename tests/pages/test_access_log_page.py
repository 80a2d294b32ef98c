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


def _read_by_two(client, frogner_case_worker, ous_clinician, frogner_patient):
    client.force_login(frogner_case_worker)
    client.get(f"/patients/{frogner_patient.pk}/")
    client.force_login(ous_clinician)
    client.get("/patients/", {"q": "Nordmann"})


@pytest.mark.parametrize(
    ("query", "readers"),
    [
        ({"user": "ous-clinician"}, ["ous-clinician"]),
        ({"organisation": "oslo-frogner-bestiller"}, ["oslo-frogner"]),
        ({"purpose": "list"}, ["ous-clinician"]),
        ({"since": "2999-01-01"}, []),
        ({"until": "2000-01-01"}, []),
        ({}, ["ous-clinician", "oslo-frogner"]),
    ],
)
def test_the_auditor_filters_by_employee_organisation_purpose_and_day(
    client, auditor, frogner_case_worker, ous_clinician, frogner_patient, query, readers
):
    _read_by_two(client, frogner_case_worker, ous_clinician, frogner_patient)
    client.force_login(auditor)
    page = client.get(f"/audit/patients/{frogner_patient.pk}/", query)
    assert page.status_code == 200
    assert [e["read"].user.username for e in page.context["entries"]] == readers


def test_the_filter_offers_the_readers_and_their_organisations(
    client, auditor, frogner_case_worker, ous_clinician, frogner_patient, areas
):
    _read_by_two(client, frogner_case_worker, ous_clinician, frogner_patient)
    client.force_login(auditor)
    form = client.get(f"/audit/patients/{frogner_patient.pk}/").context["form"]
    assert [key for key, _ in form.fields["user"].choices] == ["", "oslo-frogner", "ous-clinician"]
    assert {key for key, _ in form.fields["organisation"].choices} == {
        "",
        "oslo-frogner-bestiller",
        "ous-lunge",
    }


def test_a_last_day_before_the_first_is_a_form_error(client, auditor, frogner_patient):
    client.force_login(auditor)
    client.cookies["django_language"] = "en"
    page = client.get(
        f"/audit/patients/{frogner_patient.pk}/", {"since": "2026-12-05", "until": "2026-12-01"}
    )
    assert page.status_code == 422
    assert "cannot be before the first" in page.content.decode()
    assert page.context["entries"] == []


@pytest.mark.parametrize(
    ("language", "list_word", "organisation_header"),
    [("nb", "liste eller søk", "Organisasjon"), ("da", "liste eller søgning", "Organisation")],
)
def test_entries_are_readable_in_the_auditors_language(
    client,
    auditor,
    frogner_case_worker,
    ous_clinician,
    frogner_patient,
    language,
    list_word,
    organisation_header,
):
    _read_by_two(client, frogner_case_worker, ous_clinician, frogner_patient)
    client.force_login(auditor)
    client.cookies["django_language"] = language
    page = client.get(f"/audit/patients/{frogner_patient.pk}/").content.decode()
    assert f"<td>{list_word}</td>" in page
    assert f">{organisation_header}</th>" in page


def test_the_auditor_exports_the_filtered_log_and_the_export_is_logged(
    client, auditor, frogner_case_worker, ous_clinician, frogner_patient
):
    import csv
    import io

    from overgang.audit.models import PatientRead

    _read_by_two(client, frogner_case_worker, ous_clinician, frogner_patient)
    client.force_login(auditor)
    client.cookies["django_language"] = "en"
    answer = client.get(f"/audit/patients/{frogner_patient.pk}/reads.csv", {"user": "oslo-frogner"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["When", "Who", "Username"]
    assert [row[2] for row in rows[1:]] == ["oslo-frogner"]
    export = PatientRead.objects.filter(user=auditor).get()
    assert export.purpose == "export"
    assert export.patient == frogner_patient


def test_an_auditor_outside_the_patients_area_cannot_export(client, make_user, frogner_patient):
    tromso_auditor = make_user("tromso-auditor", ("tromso", "auditor"))
    client.force_login(tromso_auditor)
    assert client.get(f"/audit/patients/{frogner_patient.pk}/reads.csv").status_code == 404


def test_the_access_log_pages_by_fifty(client, auditor, frogner_case_worker, frogner_patient):
    from overgang.audit.history import log_reads

    for _ in range(60):
        log_reads([frogner_patient], user=frogner_case_worker, purpose="list")
    client.force_login(auditor)
    first = client.get(f"/audit/patients/{frogner_patient.pk}/")
    assert len(first.context["entries"]) == 50
    second = client.get(f"/audit/patients/{frogner_patient.pk}/", {"page": 2})
    # 60 reads, and the auditor's look at the first page, which is logged too.
    assert len(second.context["entries"]) == 11
