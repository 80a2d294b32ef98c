"""GET /api/v1/patients: what a row of the list shows, and what a page costs."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from ninja.renderers import JSONRenderer

from overgang.api.schemas import PatientPage
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.patients.models import Patient
from tests.conftest import FROGNER_FNR, TROMSO_FNR

pytestmark = pytest.mark.django_db


def test_a_row_names_the_patient_and_their_municipality_and_district(
    api_as, frogner_case_worker, frogner_patient
):
    body = api_as(frogner_case_worker).get("/patients").json()
    assert body == {
        "count": 1,
        "results": [
            {
                "id": frogner_patient.pk,
                "national_id": FROGNER_FNR,
                "name": "Kari Nordmann",
                "birth_date": "1986-10-15",
                "municipality": "Oslo kommune",
                "district": "Bydel Frogner",
            }
        ],
    }


def test_a_patient_outside_any_district_has_none(api_as, tromso_case_worker, tromso_patient):
    [row] = api_as(tromso_case_worker).get("/patients").json()["results"]
    assert (row["national_id"], row["municipality"], row["district"]) == (
        TROMSO_FNR,
        "Tromsø kommune",
        None,
    )


def test_a_page_costs_the_same_few_queries_however_many_rows_it_has(db, api_as):
    """The token with its user, the page, the read log's one INSERT, the count: a row more
    must not cost a query more."""
    Demo().load(actor=system_actor(), seed=2026)
    api = api_as(User.objects.get(username="oslo-frogner"))
    api.get("/patients")  # the first call notes the token's use and reads the memberships

    def queries_for(limit: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/patients", limit=limit)
        assert len(response.json()["results"]) == limit
        return len(queries.captured_queries)

    assert queries_for(2) == queries_for(10) == 4


def test_the_answer_is_what_the_schema_makes_of_the_patients(
    api_as, frogner_patient, stovner_patient, tromso_patient
):
    """The list is answered without ninja's validation (overgang.api.answers): byte for
    byte what PatientPage made of the same patients, with and without a district."""
    response = api_as(User.objects.create_superuser("root", password="x")).get("/patients")
    patients = Patient.objects.select_related("municipality", "district").order_by(
        "sort_name", "id"
    )
    validated = PatientPage.model_validate({"count": 3, "results": list(patients)})
    expected = JSONRenderer().render(HttpRequest(), validated.model_dump(), response_status=200)
    assert response.content.decode() == expected
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("limit", "offset", "count_query"),
    [(10, 0, False), (3, 1, False), (2, 0, True), (2, 1, True), (10, 5, True)],
)
def test_the_count_is_asked_only_when_the_page_does_not_tell_it(
    api_as, frogner_patient, stovner_patient, tromso_patient, limit, offset, count_query
):
    api = api_as(User.objects.create_superuser("root", password="x"))
    api.get("/patients")
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/patients", limit=limit, offset=offset).json()
    assert body["count"] == 3
    counted = any("COUNT(*)" in query["sql"] for query in queries.captured_queries)
    assert counted is count_query
