import re

import pytest

pytestmark = pytest.mark.django_db

VENTILATOR_IN_STOVNER = {
    "municipality": "Oslo",
    "district": "Stovner",
    "residence": "home",
    "aid_type": "home-ventilator",
    "lender": "hospital",
    "treatment_started_in_specialist_care": "on",
}


@pytest.fixture
def case_worker(client, stovner_case_worker):
    client.force_login(stovner_case_worker)
    return client


def test_the_answer_names_every_duty_its_party_and_the_passage(case_worker):
    page = case_worker.get("/rules/", VENTILATOR_IN_STOVNER, headers={"accept-language": "en"})
    assert page.status_code == 200
    decision = page.context["decision"]
    assert decision["responsible_hospital"] == "Akershus universitetssykehus HF"
    assert decision["units"] == 2
    assert decision["electrical_check_required"] is True
    text = page.content.decode()
    assert "Akershus universitetssykehus HF" in text
    assert 'href="/rules/seeds/000/#L' in text, "citations link to the agreement text"
    delivers = next(row for row in page.context["rows"] if row["duty"] == "Delivers")
    assert delivers["party"] == "hospital"


def test_a_refusal_is_shown_with_its_reason(case_worker):
    case = {
        "municipality": "Aalborg",
        "residence": "home",
        "aid_type": "wheelchair",
        "purpose": "activity-outside-home",
        "lender": "hospital",
    }
    page = case_worker.get("/rules/", case, headers={"accept-language": "en"})
    assert page.context["decision"]["lendable"] is False
    assert "No aids are lent for activities outside the home" in page.content.decode()


def test_an_unknown_municipality_is_a_form_error(case_worker):
    page = case_worker.get("/rules/", {**VENTILATOR_IN_STOVNER, "municipality": "Atlantis"})
    assert page.status_code == 422
    assert "municipality" in page.context["form"].errors
    assert "decision" not in page.context


def test_a_district_outside_the_municipality_is_a_form_error(case_worker):
    page = case_worker.get("/rules/", {**VENTILATOR_IN_STOVNER, "district": "Tromsdalen"})
    assert page.status_code == 422
    assert "district" in page.context["form"].errors


def test_the_timeline_shows_the_notice_window(case_worker):
    event = {
        "event": "discharge-ready-notified",
        "at": "2026-11-20T14:30",
        "event_municipality": "Levanger",
    }
    page = case_worker.get("/rules/", event, headers={"accept-language": "en"})
    timeline = page.context["timeline"]
    assert timeline["in_notice_window"] is True
    assert [d["duty"] for d in timeline["deadlines"]] == ["municipality-answer"]
    assert "004 Vedlegg 3.2 a" in page.content.decode()


def test_an_event_without_a_time_is_a_form_error(case_worker):
    page = case_worker.get("/rules/", {"event": "admitted", "at": "", "event_agreement": "hnt"})
    assert page.status_code == 422
    assert "at" in page.context["event_form"].errors


def test_the_seed_page_quotes_the_agreement_and_marks_lines(case_worker):
    page = case_worker.get("/rules/seeds/000/")
    assert page.status_code == 200
    assert "3.1 Oslo universitetssykehus" in page.content.decode()
    assert case_worker.get("/rules/seeds/999/").status_code == 404
    assert case_worker.get("/rules/seeds/..%2F..%2Fsettings/").status_code == 404


def test_the_page_needs_a_login(client):
    assert client.get("/rules/").status_code == 302


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", "Ingen avtale dekker kommunen «Atlantis»."),
        ("da", "Ingen aftale dækker kommunen »Atlantis«."),
        ("en", "No agreement covers the municipality “Atlantis”."),
    ],
)
def test_the_engines_objection_is_shown_in_the_readers_language(case_worker, language, words):
    page = case_worker.get(
        "/rules/",
        {**VENTILATOR_IN_STOVNER, "municipality": "Atlantis"},
        headers={"accept-language": language},
    )
    assert page.status_code == 422
    assert page.context["form"].errors["municipality"] == [words]
    assert "no agreement covers" not in page.content.decode()


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        (
            {"district": "Tromsdalen"},
            "district",
            "«Tromsdalen» er ikke en bydel i denne kommunen.",
        ),
        (
            {"agreement": "hnt"},
            "municipality",
            "Avtalen «hnt» dekker ikke kommunen «Oslo».",
        ),
        (
            {"municipality": "", "district": ""},
            "agreement",
            "Velg avtalen eller oppgi kommunen.",
        ),
        (
            {"municipality": "", "district": "Stovner", "agreement": "unn"},
            "district",
            "«Stovner» er ikke en bydel i avtalen «unn».",
        ),
    ],
)
def test_each_objection_on_the_case_form_is_in_norwegian(case_worker, case, field, words):
    page = case_worker.get(
        "/rules/", {**VENTILATOR_IN_STOVNER, **case}, headers={"accept-language": "nb"}
    )
    assert page.status_code == 422
    assert page.context["form"].errors[field] == [words]


def test_a_time_outside_the_calendar_is_refused_beside_the_time_in_danish(case_worker):
    event = {"event": "admitted", "at": "1850-01-01T10:00", "event_agreement": "nordjylland"}
    page = case_worker.get("/rules/", event, headers={"accept-language": "da"})
    assert page.status_code == 422
    assert page.context["event_form"].errors["at"] == ["Angiv et tidspunkt i årene 1900 til 2999."]


def test_the_municipality_is_chosen_from_each_agreements_list(case_worker):
    """Issue 19: a select of the municipalities each agreement covers, grouped by it, not a
    free-text field that answers "no agreement covers 'Tromso'"."""
    page = case_worker.get("/rules/").content.decode()
    unn = re.search(
        r'<optgroup label="Universitetssykehuset Nord-Norge HF \(unn\)">(.*?)</optgroup>',
        page,
        re.S,
    )
    assert unn is not None
    assert '<option value="Tromsø">Tromsø</option>' in unn[1]
    assert "Levanger" not in unn[1]
    hnt = re.search(
        r'<optgroup label="Helse Nord-Trøndelag HF \(hnt\)">(.*?)</optgroup>', page, re.S
    )
    assert hnt is not None and '<option value="Levanger">' in hnt[1]


def test_tromso_chosen_from_the_list_is_answered_by_unns_agreement(case_worker):
    case = {**VENTILATOR_IN_STOVNER, "municipality": "Tromsø", "district": ""}
    page = case_worker.get("/rules/", case)
    assert page.status_code == 200
    assert page.context["decision"]["agreement"]["id"] == "unn"
    assert '<option value="Tromsø" selected>Tromsø</option>' in page.content.decode()


def test_the_event_form_offers_the_same_list(case_worker):
    page = case_worker.get("/rules/").content.decode()
    assert re.search(r'<select name="event_municipality"[^>]*>', page)
