"""A list logs the patients it shows: one row each, written with one INSERT."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang.audit.models import PatientRead

pytestmark = pytest.mark.django_db


def _inserts_into_the_log(queries) -> int:
    return sum(
        1
        for query in queries
        if query["sql"].startswith("INSERT") and PatientRead._meta.db_table in query["sql"]
    )


def test_a_page_of_fifty_patients_is_logged_with_one_insert(client, demo, settings):
    settings.PATIENTS_PER_PAGE = 50
    client.force_login(User.objects.get(username="admin"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/patients/")
    shown = [patient.pk for patient in page.context["page"].object_list]
    assert len(shown) == 50
    assert _inserts_into_the_log(queries.captured_queries) == 1
    logged = PatientRead.objects.filter(user__username="admin", purpose="list")
    assert sorted(logged.values_list("patient", flat=True)) == sorted(shown)
    assert len({read.at for read in logged}) == 1, "one moment for the whole page"


@pytest.mark.parametrize(
    ("username", "country"),
    [
        ("oslo-frogner", "NO"),
        ("tromso-case", "NO"),
        ("levanger-case", "NO"),
        ("aalborg-case", "DK"),
    ],
)
def test_the_patient_list_logs_only_the_patients_it_showed_in_every_area(
    client, demo, username, country
):
    user = User.objects.get(username=username)
    client.force_login(user)
    page = client.get("/patients/")
    shown = {patient.pk for patient in page.context["page"].object_list}
    assert shown, f"{username} sees patients"
    logged = set(PatientRead.objects.filter(user=user).values_list("patient", flat=True))
    assert logged == shown
    assert {p.municipality.country for p in page.context["page"].object_list} == {country}
