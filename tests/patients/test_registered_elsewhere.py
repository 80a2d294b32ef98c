"""Registering a national ID that is already a patient outside one's scope tells nothing
(docs/security.md, "Registering a patient known elsewhere"): the answer is the one a new
registration gets, nothing of the record is shown or changed, no second record is made,
and the patient's current holders see the request on the patient's page."""

import pytest
from django.contrib.messages import get_messages
from django.db import transaction

from overgang.audit.models import ChangeRecord
from overgang.organisations.models import Role
from overgang.patients import actions
from overgang.patients.models import MoveInRequest, Patient
from tests.conftest import AALBORG_CPR, FROGNER_FNR, STOVNER_FNR, TROMSO_FNR

pytestmark = pytest.mark.django_db

# In each area a case worker registers someone who, unknown to them, is a patient in
# another area: (their office, their address for the person, the number, where the
# record is).
AREAS = {
    "oslo": ("oslo-frogner-bestiller", ("Oslo", "Frogner"), TROMSO_FNR, ("Tromsø", "")),
    "tromso": ("tromso-tildeling", ("Tromsø", ""), FROGNER_FNR, ("Oslo", "Frogner")),
    "levanger": ("levanger-tildeling", ("Levanger", ""), STOVNER_FNR, ("Oslo", "Stovner")),
    "aalborg": ("aalborg-visitation", ("Aalborg", ""), AALBORG_CPR, ("Hjørring", "")),
}
CHANGES_WITH_EACH_CALL = ("id", "created_at", "updated_at")


@pytest.fixture(params=sorted(AREAS))
def area(request, make_user):
    office, (municipality, district), number, elsewhere = AREAS[request.param]
    worker = make_user(f"worker-{request.param}", (office, Role.CASE_WORKER))
    entered = {
        "national_id": number,
        "name": "Ny Innflytter",
        "municipality": municipality,
        "district": district,
        "address": "Nyveien 1",
        "postcode": "1234",
        "post_town": "Nyby",
        "residence": "home",
    }
    return worker, entered, elsewhere


def known_elsewhere(system, number, place) -> Patient:
    municipality, district = place
    return actions.create_patient(
        actor=system,
        national_id_number=number,
        name="Hemmelig Pasientsen",
        municipality=municipality,
        district=district,
        address="Skjultveien 9",
    )


def as_if_new(call):
    """What the call answers when the number is not registered: run, then rolled back."""
    with transaction.atomic():
        answer = call()
        transaction.set_rollback(True)
    return answer


def without_what_changes_each_call(body: dict) -> dict:
    return {key: value for key, value in body.items() if key not in CHANGES_WITH_EACH_CALL}


def test_the_api_answers_a_number_known_elsewhere_as_a_new_registration(area, api_as, system):
    worker, entered, elsewhere = area
    api = api_as(worker)
    new = as_if_new(lambda: api.post("/patients", entered))
    assert new.status_code == 201, new.content
    hidden = known_elsewhere(system, entered["national_id"], elsewhere)
    before = ChangeRecord.objects.filter(model="patients.patient").count()

    known = api.post("/patients", entered)

    assert known.status_code == 201
    assert known["Content-Type"] == new["Content-Type"]
    assert without_what_changes_each_call(known.json()) == without_what_changes_each_call(
        new.json()
    )
    assert set(known.json()) == set(new.json())
    assert "Hemmelig" not in known.content.decode()
    assert "Skjultveien" not in known.content.decode()
    # No second person, and the record is as it was.
    assert Patient.objects.count() == 1
    hidden.refresh_from_db()
    assert (hidden.name, hidden.address) == ("Hemmelig Pasientsen", "Skjultveien 9")
    assert ChangeRecord.objects.filter(model="patients.patient").count() == before


def test_the_record_stays_out_of_reach_of_the_one_who_registered(area, api_as, system):
    worker, entered, elsewhere = area
    hidden = known_elsewhere(system, entered["national_id"], elsewhere)
    api = api_as(worker)
    answer = api.post("/patients", entered).json()
    looked_up = api.get(f"/patients/{answer['id']}")
    assert looked_up.status_code == 404
    assert "Hemmelig" not in looked_up.content.decode()
    assert api.get("/patients", q=entered["national_id"]).json() == {"count": 0, "results": []}
    assert not MoveInRequest.objects.restrict(worker, "view").exists()
    assert MoveInRequest.objects.get().patient == hidden


def test_the_page_answers_a_number_known_elsewhere_as_a_new_registration(area, client, system):
    worker, entered, elsewhere = area
    client.force_login(worker)

    def register():
        page = client.post("/patients/new/", entered)
        told = [str(m) for m in get_messages(page.wsgi_request)]
        client.cookies.pop("messages", None)  # read: not carried to the next answer
        return page, told

    new, told_new = as_if_new(register)
    assert not Patient.objects.exists(), "rolled back"
    hidden = known_elsewhere(system, entered["national_id"], elsewhere)

    known, told_known = register()

    assert (new.status_code, known.status_code) == (302, 302)
    assert new["Location"].startswith("/patients/") and known["Location"] == (
        f"/patients/{hidden.pk}/"
    )
    assert told_known == told_new
    assert "Ny Innflytter" in told_known[0]
    assert Patient.objects.count() == 1


def test_the_holders_see_who_registered_the_person_and_where(
    api_as, client, system, make_user, frogner_case_worker
):
    tromso = make_user("tromso-worker", ("tromso-tildeling", Role.CASE_WORKER))
    hidden = known_elsewhere(system, FROGNER_FNR, ("Oslo", "Frogner"))
    entered = {**dict.fromkeys(("district", "postcode", "post_town"), "")}
    entered.update(
        national_id=FROGNER_FNR, name="Kari Nordmann", municipality="Tromsø", address="Storgata 9"
    )
    assert api_as(tromso).post("/patients", entered).status_code == 201

    client.force_login(frogner_case_worker)
    page = client.get(f"/patients/{hidden.pk}/")
    assert page.status_code == 200
    assert "Storgata 9" in page.content.decode()
    assert "tromso-worker" in page.content.decode()
    change = ChangeRecord.objects.get(model="patients.moveinrequest")
    assert change.actor == tromso and change.changes["address"] == [None, "Storgata 9"]


def test_an_address_outside_the_area_gets_the_same_422_whether_or_not_the_number_is_known(
    api_as, frogner_case_worker, system
):
    entered = {**AREAS_OSLO_ENTERED, "district": "Stovner"}
    api = api_as(frogner_case_worker)
    new = as_if_new(lambda: api.post("/patients", entered))
    known_elsewhere(system, TROMSO_FNR, ("Tromsø", ""))
    known = api.post("/patients", entered)
    assert (new.status_code, known.status_code) == (422, 422)
    assert known.json() == new.json()
    assert "district" in known.json()["detail"][0]["loc"]
    assert not MoveInRequest.objects.exists()
    assert Patient.objects.count() == 1


AREAS_OSLO_ENTERED = {
    "national_id": TROMSO_FNR,
    "name": "Ny Innflytter",
    "municipality": "Oslo",
    "district": "Frogner",
    "address": "Nyveien 1",
    "residence": "home",
}


def test_a_colleague_in_another_district_learns_nothing_either(
    api_as, stovner_case_worker, frogner_patient
):
    entered = {**AREAS_OSLO_ENTERED, "national_id": FROGNER_FNR, "district": "Stovner"}
    answer = api_as(stovner_case_worker).post("/patients", entered)
    assert answer.status_code == 201
    assert answer.json()["name"] == "Ny Innflytter"
    assert "Nordmann" not in answer.content.decode()
    assert MoveInRequest.objects.get().patient == frogner_patient
    assert STOVNER_FNR not in answer.content.decode()
