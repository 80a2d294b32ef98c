"""What seed 000 says that the decision carries as notes, and where the address does not settle
the hospital."""

import pytest

from overgang.rules import decide

VENTILATOR = {
    "agreement": "oslo",
    "date": "2026-11-22",
    "patient": {"municipality": "Oslo", "district": "Frogner"},
    "aid": {"type": "home-ventilator"},
}


@pytest.mark.parametrize(
    ("words", "cite"),
    [
        (
            "call 113",
            "000 4.0",
        ),  # O5: "Dersom det … vurderes å være fare for liv og helse, ring 113."
        ("pharmacy on a decision letter", "000 5.0"),  # O6: "utleveres via apotek etter vedtak"
        ("interdisciplinary assessment", "000 10.0"),  # O11: "tverrfaglig vurdering"
    ],
    ids=["O5-call-113", "O6-pharmacy-decision-letter", "O11-ltmv-assessment"],
)
def test_a_home_ventilator_comes_with_what_the_routine_says(words, cite):
    notes = decide(VENTILATOR)["notes"]
    assert any(words in note and cite in note for note in notes), notes


def test_oslo_without_a_district_leaves_the_responsible_hospital_open():
    # O1: "unntatt bydelene Grorud, Stovner og Alna" — the district decides.
    case = {**VENTILATOR, "patient": {"municipality": "Oslo"}}
    assert decide(case)["responsible_hospital"] is None


def test_municipal_equipment_gets_no_trust_notes():
    case = {**VENTILATOR, "need": {"purpose": "multi-patient"}}
    assert not any("113" in note for note in decide(case)["notes"])
