"""A Danish stay's pages speak the Danish agreement: the need form asks what the aid is for
in the agreement's words (N2) and no Norwegian two-year or NAV question, the discharge-ready
state is "færdigbehandlet", waiting days (Norwegian law, forskrift § 13) never show, and the
admission form explains the length with the patient's own agreement (N5)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from overgang.stays import actions
from overgang.stays.models import Need
from tests.stays.conftest import at

pytestmark = pytest.mark.django_db


def reading(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def aalborg_stay(planned_aalborg_stay):
    return planned_aalborg_stay


def need_form(page: str) -> str:
    found = re.search(r'<details id="need".*?</details>', page, re.S)
    assert found, "no need form"
    return found.group(0)


def test_the_danish_need_form_asks_the_agreements_purposes_and_no_two_year_question(
    aalborg_stay, aalborg_physician
):
    page = reading(aalborg_physician, "da").get(f"/stays/{aalborg_stay.pk}/").content.decode()
    form = need_form(page)
    assert 'id="id_need_purpose"' in form
    assert "Genoptræning efter udskrivning (003 2)" in form
    assert "Varigt nedsat funktionsevne (serviceloven § 112) (003 2, serviceloven § 112)" in form
    assert 'id="id_need_duration"' not in form
    assert "to år" not in page and "NAV" not in page


def test_the_norwegian_need_form_keeps_the_duration_and_asks_no_purpose(
    levanger_stay, hnt_physician
):
    form = need_form(
        reading(hnt_physician, "nb").get(f"/stays/{levanger_stay.pk}/").content.decode()
    )
    assert 'id="id_need_duration"' in form
    assert 'id="id_need_purpose"' not in form


def test_a_danish_aid_need_without_its_purpose_is_422_next_to_the_field(
    aalborg_stay, aalborg_physician
):
    browser = reading(aalborg_physician, "en")
    data = {"kind": "aid", "aid_type": "rollator", "description": "To walk at home"}
    response = browser.post(f"/stays/{aalborg_stay.pk}/need/", data)
    assert response.status_code == 422
    error = re.search(
        r'<p class="error" role="alert" id="id_need_purpose_error">(.*?)</p>',
        response.content.decode(),
    )
    assert error and "Rehabilitation after discharge" in error.group(1)
    assert not Need.objects.filter(stay=aalborg_stay).exists()
    response = browser.post(
        f"/stays/{aalborg_stay.pk}/need/", {**data, "purpose": "rehabilitation"}
    )
    assert response.status_code == 302
    need = Need.objects.get(stay=aalborg_stay)
    assert need.purpose == "rehabilitation"
    assert need.decision["duties"]["delivery"]["party"] == "municipality"
    page = browser.get(f"/stays/{aalborg_stay.pk}/").content.decode()
    assert "For: Rehabilitation after discharge (003 2)" in page
    assert "does not decide" not in page


def test_danish_readers_see_faerdigbehandlet(aalborg_stay, aalborg_physician):
    page = reading(aalborg_physician, "da").get(f"/stays/{aalborg_stay.pk}/").content.decode()
    assert "færdigbehandlet" in page
    assert "udskrivningsklar" not in page


def test_waiting_days_are_not_shown_where_danish_law_applies(
    aalborg_stay, aalborg_case_worker, aalborg_physician
):
    for user in (aalborg_case_worker, aalborg_physician):
        browser = reading(user, "da")
        assert 'href="/waiting-days/"' not in browser.get("/stays/").content.decode()
        assert browser.get("/waiting-days/").status_code == 404
    reasoning = reading(aalborg_physician, "en").get(f"/stays/{aalborg_stay.pk}/reasoning/")
    assert "Waiting days" not in reasoning.content.decode()


def test_waiting_days_stay_where_norwegian_law_applies(levanger_stay, hnt_physician):
    browser = reading(hnt_physician, "en")
    assert 'href="/waiting-days/"' in browser.get("/stays/").content.decode()
    assert browser.get("/waiting-days/").status_code == 200
    reasoning = browser.get(f"/stays/{levanger_stay.pk}/reasoning/").content.decode()
    assert "Waiting days" in reasoning


def test_the_admission_form_explains_the_length_with_the_patients_own_agreement(
    aalborg_patient, aalborg_physician, levanger_patient, hnt_physician
):
    danish = reading(aalborg_physician, "da").get(f"/patients/{aalborg_patient.pk}/admit/")
    assert "senest 48 timer efter indlæggelsen 1. plejeforløbsplan" in danish.content.decode()
    norwegian = reading(hnt_physician, "nb").get(f"/patients/{levanger_patient.pk}/admit/")
    assert norwegian.status_code == 200
    assert "003 3" not in norwegian.content.decode()
    assert "Denmark" not in norwegian.content.decode()


def test_a_danish_reader_reads_the_agreements_notes_on_a_need_in_danish(
    aalborg_stay, aalborg_physician
):
    actions.record_need(
        aalborg_stay,
        actor=aalborg_physician,
        kind="aid",
        aid_type="rollator",
        purpose="rehabilitation",
        description="Rollator",
        at=at("2026-03-28 09:00"),
    )
    page = reading(aalborg_physician, "da").get(f"/stays/{aalborg_stay.pk}/").content.decode()
    assert "Til: Genoptræning efter udskrivning (003 2)" in page
    assert "mindste indgrebs princip" in page
    assert "least-intervention principle" not in page
