"""O5: what to do when a lent device fails, as each agreement says. Pure: no database."""

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.aids import triage
from overgang.rules.calendar import Calendar
from overgang.rules.registry import all_agreements

AGREEMENTS = {agreement.id: agreement for agreement in all_agreements()}
# The examples below are Oslo's (000 4.0) in Norway; in Denmark, Nordjylland's agreement.
BY_COUNTRY = {"NO": AGREEMENTS["oslo"], "DK": AGREEMENTS["nordjylland"]}

WEDNESDAY_BEFORE_EASTER = date(2026, 4, 1)
CHRISTMAS_EVE = date(2026, 12, 24)  # a Thursday


def advice(**overrides) -> triage.Advice:
    case = {
        "life_sustaining": False,
        "aid_type": "cpap",
        "danger_to_life": False,
        "country": "NO",
        "reported_on": WEDNESDAY_BEFORE_EASTER,
        "second_unit_lent": True,
    }
    merged: dict[str, Any] = {**case, **overrides}
    return triage.triage(agreement=BY_COUNTRY[merged["country"]], **merged)


def test_a_failed_ventilator_means_switching_to_the_second_unit_now():
    found = advice(life_sustaining=True, aid_type="home-ventilator")
    assert found.criticality == "life-sustaining"
    assert found.emergency_number is None
    assert found.service_on is None
    assert "second unit" in found.steps[0].text("en")
    assert "andre apparatet" in found.steps[0].text("nb")
    assert "andet apparat" in found.steps[0].text("da")


@pytest.mark.parametrize("aid_type", ["long-term-oxygen", "oxygen-concentrator"])
def test_a_failed_oxygen_concentrator_means_the_portable_cylinders(aid_type):
    found = advice(aid_type=aid_type)
    assert found.criticality == "oxygen"
    assert found.service_on is None
    assert "portable oxygen cylinders" in found.steps[0].text("en")
    assert "bærbare oksygenflaskene" in found.steps[0].text("nb")
    assert "bærbare iltflasker" in found.steps[0].text("da")


def test_a_failed_cylinder_means_the_concentrator_at_home():
    found = advice(aid_type="portable-oxygen-cylinder")
    assert found.criticality == "oxygen"
    assert "concentrator on mains" in found.steps[0].text("en")


def test_a_life_sustaining_oxygen_device_counts_as_life_sustaining():
    assert advice(life_sustaining=True, aid_type="oxygen-concentrator").criticality == (
        "life-sustaining"
    )


def test_a_less_critical_failure_waits_for_the_next_working_day_after_easter():
    found = advice()
    assert found.criticality == "other"
    assert found.service_on == date(2026, 4, 7), "Maundy Thursday to Easter Monday are holidays"
    assert "tirsdag 07.04.2026" in found.steps[0].text("nb")
    assert "Tuesday 07.04.2026" in found.steps[0].text("en")


def test_in_denmark_christmas_waits_until_monday():
    # Only an agreement that says "wait for the next working day" sets a day; with Oslo's
    # words, the Danish calendar still decides which day that is.
    found = triage.triage(
        agreement=AGREEMENTS["oslo"],
        life_sustaining=False,
        aid_type="cpap",
        danger_to_life=False,
        country="DK",
        reported_on=CHRISTMAS_EVE,
        second_unit_lent=False,
    )
    assert found.service_on == date(2026, 12, 28)
    assert "næste hverdag, mandag 28.12.2026" in found.steps[0].text("da")


@pytest.mark.parametrize(("country", "number"), [("NO", "113"), ("DK", "112")])
def test_danger_to_life_puts_the_emergency_number_first(country, number):
    found = advice(country=country, life_sustaining=True, danger_to_life=True)
    assert found.emergency_number == number
    first = found.steps[0]
    assert first.emergency
    assert all(number in first.text(language) for language in triage.LANGUAGES)
    assert found.steps[1:], "then what to do with the device"
    if country == "NO":  # Oslo's 000 4.0; Nordjylland's agreement has no such step
        assert "second unit" in found.steps[1].text("en")


def test_no_emergency_call_without_danger_to_life():
    found = advice(life_sustaining=True, danger_to_life=False)
    assert found.emergency_number is None
    assert not any(step.emergency for step in found.steps)


def test_every_step_cites_the_agreement_and_speaks_three_languages():
    for found in (
        advice(danger_to_life=True),
        advice(life_sustaining=True),
        advice(aid_type="oxygen-concentrator"),
    ):
        for step in found.steps:
            assert step.citation == "000 4.0"
            assert set(step.texts) == {"nb", "da", "en"}
            assert all(step.texts.values())


def test_a_language_without_texts_falls_back_to_english():
    step = advice().steps[0]
    assert step.text("de") == step.text("en") == step.texts["en"]
    assert step.text(None) == step.texts["en"]
    assert step.text("nb-no") == step.texts["nb"]


aid_types = st.sampled_from(
    ["home-ventilator", "cpap", "oxygen-concentrator", "portable-oxygen-cylinder", "wheelchair"]
)
agreements = st.sampled_from(sorted(AGREEMENTS))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    life_sustaining=st.booleans(),
    aid_type=aid_types,
    danger_to_life=st.booleans(),
    agreement_id=agreements,
    reported_on=days,
    second_unit_lent=st.booleans(),
)
def test_the_emergency_number_comes_first_and_service_is_on_a_later_working_day(
    life_sustaining, aid_type, danger_to_life, agreement_id, reported_on, second_unit_lent
):
    agreement = AGREEMENTS[agreement_id]
    country = agreement.country
    found = triage.triage(
        agreement=agreement,
        second_unit_lent=second_unit_lent,
        life_sustaining=life_sustaining,
        aid_type=aid_type,
        danger_to_life=danger_to_life,
        country=country,
        reported_on=reported_on,
    )
    number = {"NO": "113", "DK": "112"}[country]
    assert found.steps, "there is always something to do"
    if danger_to_life:
        assert found.emergency_number == number
        assert found.steps[0].emergency
        assert number in found.steps[0].text("en")
        assert not any(step.emergency for step in found.steps[1:])
    else:
        assert found.emergency_number is None
    if found.criticality == "other" and agreement_id == "oslo":
        calendar = Calendar.for_country(country)
        assert found.service_on is not None
        assert found.service_on > reported_on
        assert calendar.is_working_day(found.service_on)
        between = (
            reported_on + timedelta(days=n) for n in range(1, (found.service_on - reported_on).days)
        )
        assert not any(calendar.is_working_day(day) for day in between), "the first one"
        assert found.service_on.strftime("%d.%m.%Y") in found.steps[-1].text("en")
    else:
        assert found.service_on is None, "only Oslo's routine says it can wait a working day"


NATIONAL = {"NO": "Nasjonalt nødnummer 113 (medisinsk nødhjelp)", "DK": "Alarmnummer 112 (Danmark)"}


@settings(max_examples=400, deadline=None)
@given(
    life_sustaining=st.booleans(),
    aid_type=aid_types,
    danger_to_life=st.booleans(),
    agreement_id=agreements,
    reported_on=days,
    second_unit_lent=st.booleans(),
)
def test_the_advice_cites_only_the_patients_agreement_or_national_law(
    life_sustaining, aid_type, danger_to_life, agreement_id, reported_on, second_unit_lent
):
    agreement = AGREEMENTS[agreement_id]
    found = triage.triage(
        agreement=agreement,
        life_sustaining=life_sustaining,
        aid_type=aid_type,
        danger_to_life=danger_to_life,
        country=agreement.country,
        reported_on=reported_on,
        second_unit_lent=second_unit_lent,
    )
    assert found.agreement == agreement_id
    number = {"NO": "113", "DK": "112"}[agreement.country]
    assert number == found.emergency_number or not danger_to_life
    assert not any(
        other in step.text(lang)
        for step in found.steps
        for lang in triage.LANGUAGES
        for other in {"113", "112"} - {number}
    )
    for step in found.steps:
        cites = [c for c in step.citation.split(", ") if c]
        for cite in cites:
            assert cite.split(" ")[0] == agreement.seed or cite == NATIONAL[agreement.country]
        if not cites:
            assert found.silent, "an uncited step only where the agreement is silent"
        assert set(step.texts) == set(triage.LANGUAGES) and all(step.texts.values())
    if found.silent:
        assert "nothing" in found.steps[int(danger_to_life)].text("en") or (
            "no routine" in found.steps[int(danger_to_life)].text("en")
        ), "a silent agreement's advice says so first"
    said = " ".join(step.text("en") for step in found.steps)
    if not second_unit_lent:
        assert "second unit" not in said and "other unit" not in said
