"""Lists of institutions offer the user's own region only (issue 19): a case worker in Oslo
is never offered a Danish plejecenter, nor one in Levanger a nursing home in Tromsø. A posted
institution of another region is refused on its field, and nothing is saved."""

import re

import pytest
from django.conf import settings

from overgang.aids import actions as aid_actions
from overgang.aids.models import Loan
from overgang.organisations.models import Role
from overgang.patients.models import Patient
from tests.conftest import AALBORG_CPR, FROGNER_FNR, TROMSO_FNR
from tests.stays.conftest import LEVANGER_FNR

pytestmark = pytest.mark.django_db

# Each area's case worker, a nursing home of the area, and a patient they may register there.
AREAS = {
    "oslo": ("oslo-frogner-bestiller", "oslo-frogner-skillebekk", FROGNER_FNR, "Oslo", "Frogner"),
    "tromso": ("tromso-tildeling", "tromso-kroken", TROMSO_FNR, "Tromsø", ""),
    "levanger": ("levanger-tildeling", "levanger-sykehjem", LEVANGER_FNR, "Levanger", ""),
    "aalborg": ("aalborg-visitation", "aalborg-plejecenter-vesterbo", AALBORG_CPR, "Aalborg", ""),
}


@pytest.fixture
def as_case_worker(client, make_user):
    def login(area):
        office = AREAS[area][0]
        client.force_login(make_user(f"{area}-case", (office, Role.CASE_WORKER)))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def offered(page: str, field: str) -> set[str]:
    """The values a <select name=field> offers."""
    select = re.search(rf'<select name="{field}".*?</select>', page, re.S)
    assert select is not None, f"no {field} select"
    return set(re.findall(r'<option value="(\d+)"', select.group(0)))


def patient_form(area: str, institution: int) -> dict:
    _office, _home, number, municipality, district = AREAS[area]
    return {
        "national_id": number,
        "name": "Turid Lie",
        "address": "Storgata 2",
        "municipality": municipality,
        "district": district,
        "residence": "institution",
        "institution": institution,
    }


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_residence_lists_only_the_nursing_homes_of_the_users_region(
    as_case_worker, areas, area
):
    page = as_case_worker(area).get("/patients/new/").content.decode()
    shown = offered(page, "institution")
    assert str(areas[AREAS[area][1]].pk) in shown
    for other in set(AREAS) - {area}:
        assert str(areas[AREAS[other][1]].pk) not in shown, f"{area} lists {other}'s home"


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_posted_institution_of_another_region_is_refused_on_its_field(
    as_case_worker, areas, area
):
    client = as_case_worker(area)
    other = "aalborg" if area != "aalborg" else "oslo"
    refused = client.post("/patients/new/", patient_form(area, areas[AREAS[other][1]].pk))
    assert refused.status_code == 422
    errors = refused.context["form"].errors
    assert "institution" in errors and "your region" in errors["institution"][0]
    assert 'id="id_institution_error"' in refused.content.decode()
    assert not Patient.objects.exists()
    # Its own region's nursing home is taken.
    taken = client.post("/patients/new/", patient_form(area, areas[AREAS[area][1]].pk))
    assert taken.status_code == 302
    assert Patient.objects.get().institution == areas[AREAS[area][1]]


def test_editing_keeps_an_institution_outside_the_region_that_is_already_chosen(
    client, areas, frogner_case_worker, frogner_patient
):
    # A record may hold a home the list would not offer; saving it unchanged is no error.
    Patient.objects.filter(pk=frogner_patient.pk).update(
        residence="institution", institution=areas["tromso-kroken"]
    )
    client.force_login(frogner_case_worker)
    page = client.get(f"/patients/{frogner_patient.pk}/edit/").content.decode()
    shown = offered(page, "institution")
    assert str(areas["tromso-kroken"].pk) in shown
    assert str(areas["levanger-sykehjem"].pk) not in shown


def test_lending_into_an_institution_lists_and_takes_only_the_units_region(
    client, areas, system, ous_technician, frogner_patient
):
    aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-0001", owner=areas["ous-bhm"]
    )
    client.force_login(ous_technician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/devices/CP-0001/").content.decode()
    shown = offered(page, "institution")
    assert str(areas["oslo-frogner-skillebekk"].pk) in shown
    assert str(areas["tromso-kroken"].pk) not in shown
    assert str(areas["aalborg-plejecenter-vesterbo"].pk) not in shown
    lend = {"patient": frogner_patient.pk, "placement": "institution"}
    refused = client.post(
        "/devices/CP-0001/lend/", {**lend, "institution": areas["tromso-kroken"].pk}
    )
    assert refused.status_code == 422
    assert "your region" in refused.context["lend_form"].errors["institution"][0]
    assert not Loan.objects.exists()
    lent = client.post(
        "/devices/CP-0001/lend/", {**lend, "institution": areas["oslo-frogner-skillebekk"].pk}
    )
    assert lent.status_code == 302
    assert Loan.objects.get().institution == areas["oslo-frogner-skillebekk"]
