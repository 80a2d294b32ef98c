"""A version of an agreement approved in the app takes effect on its date (N10): a stay
admitted before keeps the version it was admitted under, one admitted from the date gets
the new one."""

from __future__ import annotations

import pytest

from overgang.patients import actions as patient_actions
from overgang.revisions.published import forget
from overgang.rules.registry import publish_versions, version_text
from overgang.stays import actions
from overgang.stays.actions.needs import stay_agreement
from tests.stays.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_version():
    text = version_text("nordjylland", "2024-1")
    assert text is not None
    publish_versions(
        (
            text.replace('version = "2024-1"', 'version = "2026-2"').replace(
                "valid_from = 2020-01-01", "valid_from = 2026-04-01"
            ),
        )
    )
    yield
    forget()


def admit(patient, physician, areas, when: str):
    return actions.admit(
        patient,
        actor=physician,
        unit=areas["aauh-lunge"],
        admission="emergency",
        admitted_at=at(when),
    )


def test_a_stay_keeps_the_version_it_was_admitted_under(
    new_version, aalborg_patient, aalborg_physician, areas, system
):
    before = admit(aalborg_patient, aalborg_physician, areas, "2026-03-31 10:00")
    assert stay_agreement(before).version == "2024-1"
    neighbour = patient_actions.create_patient(
        actor=system,
        national_id_number="0202801232",
        name="Karen Nielsen",
        municipality="Aalborg",
        address="Vestergade 3",
    )
    after = admit(neighbour, aalborg_physician, areas, "2026-04-01 10:00")
    assert stay_agreement(after).version == "2026-2"
    assert stay_agreement(before).version == "2024-1"


def test_an_older_stays_deadlines_keep_the_version_it_was_admitted_under(
    aalborg_patient, aalborg_physician, areas, system
):
    """A version that changes a deadline's words from a date: a stay admitted before it
    keeps the old rule for events recorded after the date, one admitted after gets the new."""
    text = version_text("nordjylland", "2024-1")
    assert text is not None
    old_words = "senest kl. 12 hverdagen før udskrivningstidspunktet."
    assert old_words in text
    publish_versions(
        (
            text.replace('version = "2024-1"', 'version = "2026-2"')
            .replace("valid_from = 2020-01-01", "valid_from = 2026-04-01")
            .replace(old_words, "senest kl. 12 to hverdage før udskrivningstidspunktet."),
        )
    )
    try:
        before = admit(aalborg_patient, aalborg_physician, areas, "2026-03-31 10:00")
        neighbour = patient_actions.create_patient(
            actor=system,
            national_id_number="0202801232",
            name="Karen Nielsen",
            municipality="Aalborg",
            address="Vestergade 3",
        )
        after = admit(neighbour, aalborg_physician, areas, "2026-04-02 10:00")
        words = {}
        for stay in (before, after):
            _, opened = actions.record_event(
                stay,
                "discharge-planned",
                actor=aalborg_physician,
                at=at("2026-04-03 09:00"),
                discharge_at=at("2026-04-07 10:00"),
            )
            final = next(d for d in opened if d.rule == "nordjylland.final-care-plan")
            words[stay.pk] = final.text["da"]
        assert "hverdagen før" in words[before.pk]
        assert "to hverdage før" in words[after.pk]
    finally:
        forget()
