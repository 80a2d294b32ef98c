"""The discharge and departure checklists of every agreement cite only that agreement's own
routine or its country's law (issue 14), and the law's data answers where routines are
silent: treatment aids, the daily rate per year, who pays since 2019."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from overgang.rules import law
from overgang.rules.checklists import CARE_TYPES
from overgang.rules.registry import all_agreements

AGREEMENTS = all_agreements()
# The seeds each agreement is written from: its own, and HNT's Retningslinje 1 (004).
EXTRA_SEEDS = {"hnt": {"004"}}


def allowed(agreement, cite: str) -> bool:
    if law.is_law(cite):
        return law.source_of(cite, agreement.country) is not None
    seed = cite.split(" ", 1)[0]
    return seed in {agreement.seed} | EXTRA_SEEDS.get(agreement.id, set())


def every_cite(agreement, care: str) -> list[str]:
    checklists = agreement.checklists
    routine = checklists.routine
    cites = [c for i in checklists.discharge_ready(care) for c in i.cites]
    cites += [c for i in checklists.departure_ready(care) for c in i.cites]
    cites += list(routine.answer_first + routine.aids_in_place)
    cites += [c for order in routine.message_order for c in order.cites]
    if routine.needs_hint is not None:
        cites += list(routine.needs_hint.cites)
    cites += list(routine.relatives + routine.own_responsibility + checklists.law_cites)
    cites += list(checklists.deciders.cites)
    if routine.notice_window is not None:
        cites += list(routine.notice_window.cites)
    return cites


@given(st.sampled_from(AGREEMENTS), st.sampled_from(CARE_TYPES))
def test_checklists_cite_only_their_own_routine_or_their_countrys_law(agreement, care):
    cites = every_cite(agreement, care)
    assert cites or agreement.country == "DK"
    assert all(allowed(agreement, c) for c in cites), [
        c for c in cites if not allowed(agreement, c)
    ]


@given(st.sampled_from(AGREEMENTS), st.sampled_from(CARE_TYPES))
def test_every_item_has_its_text_in_every_language_and_is_rendered_by_its_source(agreement, care):
    for item in agreement.checklists.discharge_ready(care):
        assert all(item.text[language] for language in ("nb", "da", "en"))
        for cite in item.cites:
            for language in ("nb", "da", "en"):
                rendered = law.render(cite, agreement.country, language)
                assert rendered != cite or not law.is_law(cite)


def test_section_9_is_norwegian_law_and_denmark_has_none():
    by_id = {a.id: a for a in AGREEMENTS}
    for key in ("oslo", "unn", "hnt"):
        items = [i.item for i in by_id[key].checklists.discharge_ready("somatic")]
        assert items[:5] == [
            "admission-questions",
            "other-questions",
            "unresolved-explained",
            "diagnosis-and-plan",
            "function-assessed",
        ]
    assert by_id["nordjylland"].checklists.discharge_ready("somatic") == ()
    assert by_id["nordjylland"].checklists.has_section_9 is False


def test_only_hnt_has_the_notice_window_and_only_oslo_the_aids_condition():
    windows = {a.id for a in AGREEMENTS if a.checklists.notice_window is not None}
    aids = {a.id for a in AGREEMENTS if a.checklists.routine.aids_in_place}
    assert windows == {"hnt"}
    assert aids == {"oslo"}


def test_mental_health_care_and_tsb_add_points_and_a_psychologist():
    section_9 = law.section_9("NO")
    by_care = {care: {i.item for i in section_9.items if i.applies(care)} for care in CARE_TYPES}
    assert by_care["mental-health"] - by_care["somatic"] == {
        "coercion-ended",
        "cooperation-meeting",
        "outpatient-contact",
    }
    assert by_care["tsb"] - by_care["somatic"] == {"cooperation-meeting", "outpatient-contact"}
    assert section_9.deciders.professions("somatic") == ("physician",)
    assert "psychologist" in section_9.deciders.professions("mental-health")
    assert "psychologist" in section_9.deciders.professions("tsb")


@given(st.integers(min_value=1990, max_value=2100))
def test_the_daily_rate_of_a_year_is_the_laws_or_none(year):
    rates = law.waiting_day_rates("NO")
    assert rates is not None
    found = rates.for_year(year)
    if year == 2024:
        assert found == Decimal(5745)
    elif year == 2025:
        assert found == Decimal(5981)
    elif year > datetime.date(2025, 12, 31).year:
        assert found is None  # a year the data does not have says so; never a guess
    assert all(law.is_law(c) for c in rates.cites)


def test_the_law_where_routines_are_silent_is_cited_as_law():
    aids = law.treatment_aids("NO")
    scope = law.payment_scope("NO")
    assert aids is not None and scope is not None
    assert aids.cites == ("spesialisthelsetjenesteloven § 2-1a",)
    assert "2019" in scope.text["nb"] and "oppholdskommune" in scope.text["nb"]
    assert "TSB" in scope.text["en"]
    for statement in (aids, scope):
        assert all(law.is_law(c) and law.source_of(c, "NO") for c in statement.cites)
    assert law.treatment_aids("DK") is None
    assert law.waiting_day_rates("DK") is None
