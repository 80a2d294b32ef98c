"""The hospital records the training it gave a municipality's staff (O10 000 9.0, 9.2;
N7 003 3.2; 001 Ansvar): for the municipal units it serves under an agreement that gives it
that training; the municipality sees the session and is told, the hospital's own trust or
region sees it, nobody else does. HNT's routine gives the hospital no staff training: its
users record none and are not offered the page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from overgang.errors import InvalidInput
from overgang.organisations.models import Role
from overgang.stays import actions
from overgang.stays.models import News, Notification, StaffTraining


@dataclass(frozen=True)
class Area:
    name: str
    hospital: str  # the department whose clinician trained the staff
    municipal: tuple[str, Role]  # someone of the municipality
    unit: str  # the unit whose staff were trained
    office: str  # the allocation office that plans the training, also told
    outside: str  # a municipal unit this hospital does not train
    outsider: str  # a department of another trust or region
    aid_type: str


AREAS = [
    Area(
        "oslo",
        "ous-lunge",
        ("oslo-frogner-bestiller", Role.CASE_WORKER),
        "oslo-frogner-hjemmesykepleie",
        "oslo-frogner-bestiller",
        # Stovner is Ahus's district (000 1.0): OUS does not train its staff.
        "oslo-stovner-hjemmesykepleie",
        "unn-lunge",
        "enteral-feeding-pump",
    ),
    Area(
        "aalborg",
        "aauh-lunge",
        ("aalborg-visitation", Role.CASE_WORKER),
        "aalborg-hjemmepleje",
        "aalborg-visitation",
        "oslo-frogner-hjemmesykepleie",
        "ous-lunge",
        "rom-bandage",
    ),
    Area(
        "tromso",
        "unn-lunge",
        ("tromso-tildeling", Role.CASE_WORKER),
        "tromso-hjemmesykepleie",
        "tromso-tildeling",
        "levanger-hjemmesykepleie",
        "ous-lunge",
        "cpap",
    ),
]


def session(unit: str, aid_type: str = "cpap") -> dict[str, object]:
    return {
        "organisation": unit,
        "aid_type": aid_type,
        "held_on": "2026-03-20",
        "trainer": "Lise Lungelege",
        "staff": [{"name": "Kari Nordmann", "role": "nurse"}],
        "covered": "Connecting, cleaning, alarms.",
    }


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.name)
def test_o10_n7_the_hospital_records_training_of_the_staff_it_serves(area, api_as, make_user):
    clinician = make_user(f"{area.name}-clinician", (area.hospital, Role.CLINICIAN))
    municipal = make_user(f"{area.name}-municipal", area.municipal)
    outsider = make_user(f"{area.name}-outsider", (area.outsider, Role.CLINICIAN))
    api = api_as(clinician)

    # A unit the hospital does not train: refused, naming the unit field; nothing made.
    refused = api.post("/staff-trainings", session(area.outside, area.aid_type))
    assert refused.status_code == 422
    assert "organisation" in str(refused.json())
    assert not StaffTraining.objects.exists()
    assert not Notification.objects.filter(news=News.STAFF_TRAINED).exists()

    made = api.post("/staff-trainings", session(area.unit, area.aid_type))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["organisation"] == area.unit
    assert body["given_by"] == area.hospital

    # The hospital sees what it gave, in its list and by itself.
    assert [s["id"] for s in api.get("/staff-trainings").json()] == [body["id"]]
    assert api.get(f"/staff-trainings/{body['id']}").status_code == 200
    # The municipality sees it, and is told: the unit trained and its allocation office.
    mine = api_as(municipal)
    assert [s["id"] for s in mine.get("/staff-trainings").json()] == [body["id"]]
    assert mine.get(f"/staff-trainings/{body['id']}").json()["given_by"] == area.hospital
    told = Notification.objects.filter(news=News.STAFF_TRAINED)
    assert set(told.values_list("organisation__key", flat=True)) == {area.unit, area.office}
    assert all(n.link == f"/staff-training/{body['id']}/" for n in told)
    assert "The hospital recorded a training of your staff" in (
        browser(municipal).get("/notifications/").content.decode()
    )
    # Another trust or region: the session does not exist.
    other = api_as(outsider)
    assert other.get("/staff-trainings").json() == []
    assert other.get(f"/staff-trainings/{body['id']}").status_code == 404
    assert browser(outsider).get(f"/staff-training/{body['id']}/").status_code == 404


def test_o10_another_trust_in_the_same_city_neither_sees_nor_records_for_ous(api_as, make_user):
    ous = make_user("ous-clin", ("ous-lunge", Role.CLINICIAN))
    ahus = make_user("ahus-clin", ("ahus-lunge", Role.CLINICIAN))
    made = api_as(ous).post("/staff-trainings", session("oslo-frogner-hjemmesykepleie"))
    assert made.status_code == 201
    assert api_as(ahus).get(f"/staff-trainings/{made.json()['id']}").status_code == 404
    # Ahus trains Stovner's staff (its district, 000 1.0), not Frogner's.
    stovner = api_as(ahus).post("/staff-trainings", session("oslo-stovner-hjemmesykepleie"))
    assert stovner.status_code == 201, stovner.content
    frogner = api_as(ahus).post("/staff-trainings", session("oslo-frogner-hjemmesykepleie"))
    assert frogner.status_code == 422 and "organisation" in str(frogner.json())


def test_n7_the_writer_refuses_a_unit_outside_the_hospitals_area(make_user, areas):
    clinician = make_user("aauh-clin", ("aauh-lunge", Role.CLINICIAN))
    with pytest.raises(InvalidInput) as refused:
        actions.record_staff_training(
            areas["tromso-hjemmesykepleie"],
            actor=clinician,
            aid_type="rom-bandage",
            held_on=None,
            trainer="Anders",
            staff=[{"name": "Mette"}],
            covered="ROM",
        )
    assert "organisation" in refused.value.errors
    assert not StaffTraining.objects.exists()


def test_o10_the_municipality_still_records_its_own_without_a_giver(api_as, frogner_case_worker):
    made = api_as(frogner_case_worker).post(
        "/staff-trainings", session("oslo-frogner-hjemmesykepleie")
    )
    assert made.status_code == 201
    assert made.json()["given_by"] is None
    assert not Notification.objects.filter(news=News.STAFF_TRAINED).exists()


def test_o10_the_hospital_page_offers_its_municipal_units_and_keeps_input_on_error(make_user):
    clinician = make_user("ous-clin", ("ous-lunge", Role.CLINICIAN))
    page = browser(clinician)
    shown = page.get("/staff-training/").content.decode()
    assert 'href="/staff-training/"' in shown  # the menu's link
    assert 'value="oslo-frogner-hjemmesykepleie"' in shown
    assert 'value="oslo-stovner-hjemmesykepleie"' not in shown
    assert 'value="tromso-hjemmesykepleie"' not in shown
    form = {
        "organisation": "oslo-frogner-hjemmesykepleie",
        "aid_type": "cpap",
        "held_on": "2026-03-20",
        "trainer": "Lise Lungelege, OUS",
        "covered": "",
        "staff": "Kari Nordmann, nurse",
    }
    bad = page.post("/staff-training/", form)
    assert bad.status_code == 422
    assert 'id="id_covered_error"' in bad.content.decode()
    assert "Kari Nordmann, nurse" in bad.content.decode()
    outside = page.post(
        "/staff-training/",
        {**form, "organisation": "oslo-stovner-hjemmesykepleie", "covered": "Mask"},
    )
    assert outside.status_code == 422
    assert 'id="id_organisation_error"' in outside.content.decode()
    assert "Lise Lungelege, OUS" in outside.content.decode()
    assert not StaffTraining.objects.exists()
    ok = page.post("/staff-training/", {**form, "covered": "Mask and hose"})
    assert ok.status_code == 302
    listed = page.get("/staff-training/").content.decode()
    assert (
        "Kari Nordmann" in listed
        and "given by Lungemedisinsk avdeling, Oslo universitetssykehus HF" in listed
    )


def test_o10_levanger_hnt_routine_gives_the_hospital_no_staff_training(api_as, make_user):
    hnt = make_user("hnt-clin", ("hnt-levanger-med", Role.CLINICIAN))
    levanger = make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))
    refused = api_as(hnt).post("/staff-trainings", session("levanger-hjemmesykepleie"))
    assert refused.status_code == 422 and "organisation" in str(refused.json())
    assert not StaffTraining.objects.exists()
    # No dead end: no link in HNT's menu, and no form; Levanger's own staff keep both.
    page = browser(hnt).get("/worklist/").content.decode()
    assert 'href="/staff-training/"' not in page
    assert "Record a staff training" not in browser(hnt).get("/staff-training/").content.decode()
    own = browser(levanger).get("/staff-training/").content.decode()
    assert 'href="/staff-training/"' in own and "Record a staff training" in own


def test_o10_no_staff_training_link_for_those_it_has_nothing_for(make_user):
    nav = make_user("nav", ("nav-hms-oslo", Role.NAV_ADVISER))
    lovisenberg = make_user("lovisenberg", ("lovisenberg", Role.CLINICIAN))
    for user in (nav, lovisenberg):
        assert 'href="/staff-training/"' not in browser(user).get("/").content.decode()
