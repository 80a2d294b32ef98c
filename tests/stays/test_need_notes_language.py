"""What the agreement says of a need is shown in the reader's language (issue 14, item 10):
kept in nb, da and en when the need is recorded, and needs recorded before, with the English
words only, are given the other two from the rule they came from."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from overgang.rules.registry import agreement_by_id
from overgang.stays import actions
from overgang.stays.models import Need
from tests.stays.conftest import at

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("overgang.stays.migrations.0006_need_notes_in_every_language")


def rule_text(agreement: str, rule_id: str, language: str) -> str:
    found = agreement_by_id(agreement, on=datetime.date(2026, 3, 28))
    return next(r for r in found.rules if r.id == rule_id).text[language]


def page_in(client, user, url: str, language: str) -> str:
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def oslo_wheelchair(frogner_patient, ous_clinician, areas):
    stay = actions.admit(
        frogner_patient,
        actor=ous_clinician,
        unit=areas["ous-lunge"],
        admission="emergency",
        admitted_at=at("2026-03-27 10:00"),
    )
    return actions.record_need(
        stay,
        actor=ous_clinician,
        kind="aid",
        aid_type="wheelchair",
        description="Rullestol ute",
        at=at("2026-03-28 09:00"),
    )


@pytest.mark.parametrize("language", ["nb", "da", "en"])
def test_an_oslo_need_page_shows_the_agreements_note_in_the_readers_language(
    client, ous_clinician, oslo_wheelchair, language
):
    page = page_in(client, ous_clinician, f"/stays/{oslo_wheelchair.stay_id}/", language)
    assert rule_text("oslo", "oslo.technical-aids-outside", language) in page
    others = {"nb", "da", "en"} - {language}
    for other in others:
        assert rule_text("oslo", "oslo.technical-aids-outside", other) not in page


def test_an_aalborg_need_page_in_danish_shows_the_danish_note(
    client, aalborg_patient, aalborg_physician, areas
):
    stay = actions.admit(
        aalborg_patient,
        actor=aalborg_physician,
        unit=areas["aauh-lunge"],
        admission="planned",
        admitted_at=at("2026-03-27 10:00"),
    )
    actions.record_need(
        stay,
        actor=aalborg_physician,
        kind="aid",
        aid_type="wheelchair",
        description="Kørestol",
        purpose="lasting-function-loss",
        at=at("2026-03-28 09:00"),
    )
    page = page_in(client, aalborg_physician, f"/stays/{stay.pk}/", "da")
    assert rule_text("nordjylland", "nordjylland.least-intervention", "da") in page
    assert rule_text("nordjylland", "nordjylland.least-intervention", "en") not in page


def test_the_api_gives_the_notes_in_the_language_asked_for(client, ous_clinician, oslo_wheelchair):
    client.force_login(ous_clinician)
    url = f"/api/v1/stays/{oslo_wheelchair.stay_id}/needs"
    for language in ("en", "nb"):
        needs = client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()
        note = rule_text("oslo", "oslo.technical-aids-outside", language)
        assert f"{note} (000 1.0)" in needs[0]["notes"]


def test_notes_stored_in_english_before_are_given_every_language(oslo_wheelchair):
    english = oslo_wheelchair.said("notes", "en")
    Need.objects.filter(pk=oslo_wheelchair.pk).update(
        decision={**oslo_wheelchair.decision, "notes": [*english, "A note no rule says."]}
    )
    MIGRATION.forwards(apps, None)
    need = Need.objects.get(pk=oslo_wheelchair.pk)
    nb = rule_text("oslo", "oslo.technical-aids-outside", "nb")
    notes = need.said("notes", "nb")
    assert f"{nb} (000 1.0)" in notes
    assert "Avtalen avgjør ikke hvem som har ansvaret i dette tilfellet." in notes
    assert notes[-1] == "A note no rule says."
    MIGRATION.backwards(apps, None)
    assert Need.objects.get(pk=need.pk).decision["notes"] == [*english, "A note no rule says."]
