"""The requisition form fits the case (issue 19): it holds the fields of the route and the
requester's role chosen, and no others; what is posted for a field that does not belong to
them is never saved; choosing again shows the new case's fields with what was typed; a
requester on the municipal side asks on the outpatient route only. Stays read as people
write them, in the reader's language and date format."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from overgang import clock
from overgang.organisations.models import Role
from overgang.requisitions.models import Requisition
from overgang.stays import actions as stays

pytestmark = pytest.mark.django_db

DEPENDING = (
    "stay",
    "need",
    "referred_by",
    "referred_on",
    "conferred_with",
    "conferred_at",
    "lymphoedema",
)


@pytest.fixture
def tromso_stay(tromso_patient, unn_physician, areas):
    return stays.admit(
        tromso_patient,
        actor=unn_physician,
        unit=areas["unn-lunge"],
        admission="emergency",
        admitted_at=clock.now() - datetime.timedelta(hours=20),
        expected_stay_hours=96,
    )


def view_as(client, user, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def fields_on(page: str) -> set[str]:
    """The route- and role-dependent fields the page holds."""
    return {name for name in DEPENDING if re.search(rf'name="{name}"', page)}


def routes_on(page: str) -> list[str]:
    """The routes the form offers, the checked one marked with a star."""
    return [
        value + ("*" if checked else "")
        for value, checked in re.findall(
            r'<input type="radio" name="route" value="(\w+)"([^>]*checked)?', page
        )
    ]


def url(patient, **query) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/patients/{patient.pk}/requisitions/new/" + (f"?{params}" if params else "")


def sent(**changed) -> dict:
    return {
        "aid_type": "oxygen-concentrator",
        "requester_name": "Ingrid Lege",
        "requester_role": "specialist-physician",
        "justification": "KOLS IV, hypoksemi i hvile.",
        **changed,
    }


CONFERENCE = {"conferred_with", "conferred_at"}
REFERRAL = {"referred_by", "referred_on"}


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        # The inpatient's physician: the stay, nothing of referrals or conferences.
        ({}, {"stay"}),
        ({"route": "inpatient", "requester_role": "specialist-physician"}, {"stay"}),
        # The specialist taking an outpatient names the referring GP; no episode is open.
        ({"route": "outpatient"}, REFERRAL),
        # A GP names whom in the specialist service they conferred with.
        ({"route": "outpatient", "requester_role": "gp"}, CONFERENCE),
        ({"route": "inpatient", "requester_role": "gp"}, {"stay", *CONFERENCE}),
        # The lymphoedema physiotherapist says which lymphoedema.
        ({"route": "outpatient", "requester_role": "lymphoedema-physiotherapist"}, {"lymphoedema"}),
        ({"route": "outpatient", "requester_role": "physiotherapist"}, set()),
    ],
)
def test_the_form_holds_the_fields_of_the_route_and_role_only(
    client, unn_physician, tromso_patient, tromso_stay, query, fields
):
    page = view_as(client, unn_physician).get(url(tromso_patient, **query))
    assert page.status_code == 200
    assert fields_on(page.content.decode()) == fields


def test_the_hospital_side_is_offered_both_routes_while_the_patient_is_in_hospital(
    client, unn_physician, tromso_patient, tromso_stay
):
    page = view_as(client, unn_physician).get(url(tromso_patient)).content.decode()
    assert routes_on(page) == ["inpatient*", "outpatient"]


def test_without_an_open_stay_only_the_outpatient_route_is_offered(
    client, unn_physician, tromso_patient
):
    page = view_as(client, unn_physician).get(url(tromso_patient)).content.decode()
    assert routes_on(page) == ["outpatient*"]
    assert fields_on(page) == REFERRAL


def test_what_is_posted_for_fields_of_another_route_or_role_is_not_saved(
    client, unn_physician, tromso_patient, tromso_stay
):
    posted = sent(
        route="inpatient",
        stay=tromso_stay.pk,
        department=tromso_stay.department.pk,
        referred_by="Fastlege Per Hansen",
        referred_on="2026-01-05",
        conferred_with="Overlege Lunge",
        conferred_at="2026-01-05T10:00",
        lymphoedema="primary",
    )
    answer = view_as(client, unn_physician).post(url(tromso_patient), posted)
    assert answer.status_code == 302
    saved = Requisition.objects.get()
    assert (saved.route, saved.stay) == ("inpatient", tromso_stay)
    assert saved.referred_by == "" and saved.referred_on is None
    assert saved.conferred_with == "" and saved.conferred_at is None
    assert saved.lymphoedema == ""


def test_an_outpatient_requisition_saves_the_referral_it_shows(
    client, unn_physician, tromso_patient, areas
):
    posted = sent(
        route="outpatient",
        department=areas["unn-lunge"].pk,
        referred_by="Fastlege Per Hansen",
        conferred_with="Overlege Lunge",
        lymphoedema="secondary",
    )
    assert view_as(client, unn_physician).post(url(tromso_patient), posted).status_code == 302
    saved = Requisition.objects.get()
    assert saved.referred_by == "Fastlege Per Hansen"
    assert saved.conferred_with == "" and saved.lymphoedema == ""


def test_choosing_another_route_shows_its_fields_with_what_was_typed_and_sends_nothing(
    client, unn_physician, tromso_patient, tromso_stay, areas
):
    typed = sent(route="outpatient", department=areas["unn-lunge"].pk, choose="1")
    page = view_as(client, unn_physician).post(url(tromso_patient), typed)
    assert page.status_code == 200
    text = page.content.decode()
    assert fields_on(text) == REFERRAL
    assert "KOLS IV, hypoksemi i hvile." in text
    assert 'class="error"' not in text, "no errors before anything is sent"
    assert not Requisition.objects.exists()


def test_an_error_keeps_what_was_typed_and_the_fields_of_the_case(
    client, unn_physician, tromso_patient, areas
):
    posted = sent(route="outpatient", department=areas["unn-lunge"].pk, referred_by="")
    page = view_as(client, unn_physician).post(url(tromso_patient), posted)
    assert page.status_code == 422
    text = page.content.decode()
    assert 'id="id_referred_by_error"' in text
    assert "KOLS IV, hypoksemi i hvile." in text
    assert fields_on(text) == REFERRAL
    assert not Requisition.objects.exists()


def test_no_aid_chosen_is_said_so_on_its_field(client, unn_physician, tromso_patient, areas):
    posted = sent(route="outpatient", department=areas["unn-lunge"].pk, aid_type="")
    page = view_as(client, unn_physician).post(url(tromso_patient), posted)
    assert page.status_code == 422
    assert page.context["form"].errors["aid_type"] == ["Choose the aid."]
    assert not Requisition.objects.exists()


def test_the_municipal_side_asks_on_the_outpatient_route_only(
    client, tromso_case_worker, tromso_patient, tromso_stay, areas
):
    viewer = view_as(client, tromso_case_worker)
    page = viewer.get(url(tromso_patient)).content.decode()
    assert routes_on(page) == ["outpatient*"]
    assert 'value="specialist-physician"' not in page and 'value="gp"' in page
    refused = viewer.post(
        url(tromso_patient),
        sent(
            route="inpatient",
            requester_role="gp",
            stay=tromso_stay.pk,
            department=areas["tromso-tildeling"].pk,
        ),
    )
    assert refused.status_code == 422
    assert "route" in refused.context["form"].errors
    assert 'id="id_route_error"' in refused.content.decode()
    assert not Requisition.objects.exists()


def test_the_treatment_aids_unit_does_not_requisition(client, unn_unit, tromso_patient):
    assert view_as(client, unn_unit).get(url(tromso_patient)).status_code == 403


def test_another_areas_patient_has_no_requisition_form(client, make_user, frogner_patient):
    hnt = make_user("hnt-lege", ("hnt-levanger-med", Role.CLINICIAN))
    viewer = view_as(client, hnt)
    assert viewer.get(url(frogner_patient)).status_code == 404
    assert viewer.post(url(frogner_patient), sent(choose="1")).status_code == 404


@pytest.mark.parametrize(
    ("language", "word"), [("en", "admitted"), ("nb", "innlagt"), ("da", "indlagt")]
)
def test_the_stay_reads_as_people_write_it(
    client, unn_physician, tromso_patient, tromso_stay, language, word
):
    page = view_as(client, unn_physician, language).get(url(tromso_patient)).content.decode()
    day = tromso_stay.admitted_at.astimezone(ZoneInfo(tromso_stay.time_zone))
    label = f"Nils Nordlys – {tromso_stay.hospital.name}, {word} {day:%d.%m.%Y}"
    assert f">{label}</option>" in page
    assert " @ " not in page


def test_a_stay_reads_the_same_way_in_the_admin_without_the_at_sign(tromso_stay):
    day = tromso_stay.admitted_at.astimezone(ZoneInfo(tromso_stay.time_zone))
    assert str(tromso_stay) == f"Nils Nordlys – {tromso_stay.hospital.name}, {day:%d.%m.%Y}"
