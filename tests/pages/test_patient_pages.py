import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from overgang.audit.models import PatientRead
from overgang.patients import actions
from overgang.patients.models import Patient
from tests.conftest import STOVNER_FNR

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def register_in_levanger(actor, people: dict[str, str]) -> None:
    for number, name in people.items():
        actions.create_patient(
            actor=actor,
            national_id_number=number,
            name=name,
            municipality="Levanger",
            address="Kirkegata 1",
        )


def test_pages_need_a_login(client):
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_start_page_tells_a_case_worker_their_role_and_patient_count(
    as_user, frogner_case_worker, frogner_patient, stovner_patient
):
    page = as_user(frogner_case_worker).get("/", headers={"accept-language": "en"})
    text = page.content.decode()
    assert "Case worker" in text and "Bestillerkontoret, Bydel Frogner" in text
    assert page.context["patients_in_scope"] == 1


def test_search_lists_only_patients_in_scope(
    as_user, frogner_case_worker, frogner_patient, stovner_patient
):
    page = as_user(frogner_case_worker).get("/patients/", {"q": ""})
    names = [p.name for p in page.context["page"].object_list]
    assert names == ["Kari Nordmann"]
    assert (
        as_user(frogner_case_worker)
        .get("/patients/", {"q": "Stovner"})
        .context["page"]
        .paginator.count
        == 0
    )


def test_search_by_national_id_and_htmx_returns_only_the_results(
    as_user, ous_clinician, frogner_patient
):
    client = as_user(ous_clinician)
    page = client.get("/patients/", {"q": "151086 95088"}, headers={"HX-Request": "true"})
    assert [p.name for p in page.context["page"].object_list] == ["Kari Nordmann"]
    assert "<html" not in page.content.decode()


def test_the_list_pages_and_sorts(as_user, make_user, system):
    viewer = make_user("levanger-case", ("levanger-tildeling", "case-worker"))
    register_in_levanger(
        system,
        {
            "01017012343": "Åse Berg",
            "01017012424": "Ola Aas",
            "15108695088": "Kari Nordmann",
            "03035512410": "Per Lie",
        },
    )
    client = as_user(viewer)
    first = client.get("/patients/", {"sort": "name"}).context["page"]
    assert [p.sort_name for p in first.object_list] == [
        "Aas, Ola",
        "Berg, Åse",
        "Lie, Per",
        "Nordmann, Kari",
    ]
    newest_first = client.get("/patients/", {"sort": "-born"}).context["page"]
    assert newest_first.object_list[0].name == "Kari Nordmann"
    from django.test import override_settings

    with override_settings(PATIENTS_PER_PAGE=3):
        second = client.get("/patients/", {"sort": "name", "page": 2}).context["page"]
        first_page = client.get("/patients/", {"sort": "-name", "q": ""})
    assert [p.name for p in second.object_list] == ["Kari Nordmann"]
    assert 'href="?sort=-name&amp;q=&amp;page=2"' in first_page.content.decode()


def test_the_patient_page_shows_the_record_and_logs_the_read(
    as_user, frogner_case_worker, frogner_patient
):
    page = as_user(frogner_case_worker).get(f"/patients/{frogner_patient.pk}/")
    assert page.status_code == 200
    assert "Oslo universitetssykehus HF" in page.content.decode()
    read = PatientRead.objects.get()
    assert read.user == frogner_case_worker
    assert read.channel == f"page:GET /patients/{frogner_patient.pk}/"


def test_a_patient_outside_scope_is_404_and_no_read_is_logged(
    as_user, tromso_case_worker, frogner_patient
):
    page = as_user(tromso_case_worker).get(f"/patients/{frogner_patient.pk}/")
    assert page.status_code == 404
    assert "Nordmann" not in page.content.decode()
    assert not PatientRead.objects.exists()


def test_registering_with_bad_input_shows_errors_by_the_fields_and_saves_nothing(
    as_user, frogner_case_worker
):
    form = {
        "national_id": "15108695077",
        "name": "Kari Nordmann",
        "address": "Skovveien 12",
        "municipality": "Oslo",
        "district": "Tromsdalen",
        "residence": "home",
    }
    page = as_user(frogner_case_worker).post("/patients/new/", form)
    assert page.status_code == 422
    errors = page.context["form"].errors
    assert "national_id" in errors and "district" in errors
    assert page.context["form"]["name"].value() == "Kari Nordmann", "what was typed is kept"
    assert not Patient.objects.exists()


def test_registering_a_patient_leads_to_the_new_record(as_user, stovner_case_worker):
    form = {
        "national_id": STOVNER_FNR,
        "name": "Ola Stovnersen",
        "address": "Stovnerveien 3",
        "municipality": "oslo",
        "district": "Stovner",
        "residence": "home",
    }
    page = as_user(stovner_case_worker).post("/patients/new/", form)
    patient = Patient.objects.get()
    assert page.status_code == 302
    assert page["Location"] == f"/patients/{patient.pk}/"
    assert patient.responsible_hospital.key == "ahus"


def test_a_relative_is_added_from_the_patient_page(as_user, frogner_case_worker, frogner_patient):
    client = as_user(frogner_case_worker)
    page = client.post(
        f"/patients/{frogner_patient.pk}/relatives/",
        {"name": "Lille Nordmann", "relation": "child", "minor_child": "on"},
        headers={"HX-Request": "true"},
    )
    assert page.status_code == 200
    assert "Lille Nordmann" in page.content.decode()
    assert frogner_patient.relatives.get().minor_child


def test_a_relative_without_a_name_is_a_form_error(as_user, frogner_case_worker, frogner_patient):
    page = as_user(frogner_case_worker).post(
        f"/patients/{frogner_patient.pk}/relatives/", {"name": "", "relation": "child"}
    )
    assert page.status_code == 422
    assert "name" in page.context["relative_form"].errors
    assert not frogner_patient.relatives.exists()


def test_relatives_of_a_patient_outside_scope_cannot_be_added(
    as_user, tromso_case_worker, frogner_patient
):
    page = as_user(tromso_case_worker).post(
        f"/patients/{frogner_patient.pk}/relatives/", {"name": "X", "relation": "child"}
    )
    assert page.status_code == 404
    assert not frogner_patient.relatives.exists()


def test_moving_a_patient_to_stovner_changes_the_responsible_hospital(
    as_user, make_user, frogner_patient
):
    oslo_worker = make_user("oslo-depot", ("oslo-hjelpemiddellager", "case-worker"))
    form = {
        "name": "Kari Nordmann",
        "address": "Stovnerveien 9",
        "municipality": "Oslo",
        "district": "Stovner",
        "residence": "home",
        "reason": "moved",
    }
    page = as_user(oslo_worker).post(f"/patients/{frogner_patient.pk}/edit/", form)
    assert page.status_code == 302
    frogner_patient.refresh_from_db()
    assert frogner_patient.responsible_hospital.key == "ahus"


def test_a_bad_edit_keeps_what_was_typed_and_changes_nothing(
    as_user, frogner_case_worker, frogner_patient
):
    form = {
        "name": "",
        "address": "Ny vei 1",
        "municipality": "Oslo",
        "district": "Frogner",
        "residence": "home",
    }
    page = as_user(frogner_case_worker).post(f"/patients/{frogner_patient.pk}/edit/", form)
    assert page.status_code == 422
    assert "name" in page.context["form"].errors
    assert page.context["form"]["address"].value() == "Ny vei 1"
    frogner_patient.refresh_from_db()
    assert (frogner_patient.name, frogner_patient.address) == ("Kari Nordmann", "Skovveien 12")


def test_editing_a_patient_outside_scope_is_404(as_user, tromso_case_worker, frogner_patient):
    assert (
        as_user(tromso_case_worker).get(f"/patients/{frogner_patient.pk}/edit/").status_code == 404
    )


def test_a_name_search_is_sorted_both_ways(as_user, make_user, system):
    viewer = make_user("levanger-case", ("levanger-tildeling", "case-worker"))
    register_in_levanger(system, {"01017012343": "Åse Nordby", "01017012424": "Ola Nordal"})
    client = as_user(viewer)
    ascending = client.get("/patients/", {"q": "nord", "sort": "name"}).context["page"]
    descending = client.get("/patients/", {"q": "nord", "sort": "-name"}).context["page"]
    assert [p.name for p in ascending.object_list] == ["Ola Nordal", "Åse Nordby"]
    assert [p.name for p in descending.object_list] == ["Åse Nordby", "Ola Nordal"]


def test_an_unknown_sort_or_a_page_past_the_end_falls_back_sensibly(
    as_user, frogner_case_worker, frogner_patient
):
    client = as_user(frogner_case_worker)
    page = client.get("/patients/", {"sort": "salary", "page": "999"})
    assert page.status_code == 200
    assert page.context["sort"] == "name"
    assert [p.name for p in page.context["page"].object_list] == ["Kari Nordmann"]


def test_the_list_costs_the_same_queries_however_many_rows_and_counts_without_joins(
    as_user, make_user, system
):
    """A row more must not cost a query more; the count reads the patients alone (a count
    of the shown columns kept their organisations' joins: 40 ms for 100,000 patients)."""
    viewer = make_user("levanger-case", ("levanger-tildeling", "case-worker"))
    register_in_levanger(system, {"01017012343": "Åse Berg"})
    client = as_user(viewer)
    client.get("/patients/")

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/patients/").status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    one = queries()
    register_in_levanger(system, {"01017012424": "Ola Aas", "03035512410": "Per Lie"})
    assert len(queries()) == len(one)
    [count] = [sql for sql in one if "COUNT(*)" in sql and "patients_patient" in sql]
    assert "JOIN" not in count


def test_the_list_escapes_what_its_rows_show(as_user, make_user, system):
    """The rows are written in Python (`rows.table_rows`), not by the template's `{{ }}`:
    a name is escaped there as the template would, and the cells are the template's."""
    viewer = make_user("levanger-case", ("levanger-tildeling", "case-worker"))
    register_in_levanger(system, {"01017012343": 'Åse <b>O\'Berg</b> & "Co"'})
    text = as_user(viewer).get("/patients/", headers={"accept-language": "en"}).content.decode()
    patient = Patient.objects.get()
    assert "<b>" not in text
    assert (
        f'<td><a href="/patients/{patient.pk}/">{escape(patient.sort_name)}</a></td>\n'
        '      <td class="nowrap" data-label="National identity number">010170 12343</td>\n'
        '      <td class="nowrap" data-label="Born">'
    ) in text
    assert all(escaped in text for escaped in ("&lt;b&gt;", "&#x27;", "&amp;", "&quot;Co"))
