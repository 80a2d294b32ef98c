"""The case catalogue (N1) and the engine answer alike: for any case of an agreement, the
one row of the catalogue that covers it carries the duties `decide` gives it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.rules import all_agreements, decide
from overgang.rules import case as fields
from overgang.rules.catalogue import catalogue, covering
from overgang.rules.engine import read_case
from overgang.rules.registry import aid_types, consumable_types
from overgang.rules.spec import DUTIES, LANGUAGES

AGREEMENTS = all_agreements()


def _maybe(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.sampled_from(values))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Any, dict[str, Any]]:
    agreement = draw(st.sampled_from(AGREEMENTS))
    need = {
        "purpose": draw(_maybe(fields.PURPOSES)),
        "started_by": draw(_maybe(fields.STARTED_BY)),
        "phase": draw(_maybe(fields.PHASES)),
        "duration_months": draw(st.one_of(st.none(), st.integers(0, 120))),
        "needed_for_journey_home": draw(st.booleans()),
        "uses_institution_equipment": draw(st.booleans()),
        "treatment_started_in_specialist_care": draw(st.booleans()),
        "lymphoedema": draw(_maybe(fields.LYMPHOEDEMA)),
    }
    raw: dict[str, Any] = {
        "agreement": agreement.id,
        "date": agreement.valid_from.isoformat(),
        "aid": {"type": draw(st.sampled_from(sorted(aid_types())))},
        "need": {k: v for k, v in need.items() if v is not None},
        "patient": {
            "residence": draw(st.sampled_from(fields.RESIDENCES)),
            "terminal": draw(st.booleans()),
        },
        "lender": draw(st.sampled_from(fields.LENDERS)),
    }
    consumable = draw(st.one_of(st.none(), st.sampled_from(sorted(consumable_types()))))
    if consumable is not None:
        raw["consumable"] = {"type": consumable}
    return agreement, raw


@settings(max_examples=400, deadline=None)
@given(cases())
def test_the_row_covering_a_case_has_the_engines_duties(drawn: tuple[Any, dict[str, Any]]):
    agreement, raw = drawn
    rows = catalogue(agreement)
    _, flat, _ = read_case(raw)
    covers = [row for row in rows if row.covers(flat)]
    assert len(covers) == 1, [row.case for row in covers]
    row = covers[0]
    decision = decide(raw)
    for duty in DUTIES:
        found = decision["duties"][duty]
        said = row.duty(duty)
        if found is None:
            assert said is None, (duty, row.case)
        else:
            assert said is not None, (duty, row.case)
            assert (said.party, list(said.cites), said.rule) == (
                found["party"],
                found["cites"],
                found["rule"],
            )
    assert row.lendable == decision["lendable"]


@pytest.mark.parametrize("agreement", AGREEMENTS, ids=lambda a: f"{a.id}-{a.version}")
def test_every_row_has_a_unique_key_and_a_title_in_each_language(agreement):
    rows = catalogue(agreement)
    assert rows
    assert len({row.case for row in rows}) == len(rows)
    for row in rows:
        assert all(row.title[language] for language in LANGUAGES)
    # The agreement decides something, and its silent cases are marked, not hidden.
    assert any(row.decides for row in rows)
    for row in rows:
        if not row.decides:
            assert all(answer is None for _, answer in row.duties)


def test_situations_with_one_answer_are_merged():
    # UNN reads the purpose, the phase, who started the treatment, the residence, the
    # institution's equipment and the consumable: thousands of situations, a few dozen rows,
    # and rows that cover several purposes at once.
    unn = next(a for a in AGREEMENTS if a.id == "unn")
    rows = catalogue(unn)
    assert len(rows) < 100
    assert any(len(row.values("need.purpose") or ()) > 1 for row in rows)
    # A field a row does not narrow is left out of its title: "any" is not spelt out.
    unnarrowed = [row for row in rows if row.values("patient.residence") is None]
    assert unnarrowed
    assert all("bor:" not in row.title["nb"] for row in unnarrowed)


def test_nordjylland_titles_use_the_agreements_own_purpose_words():
    nordjylland = next(a for a in AGREEMENTS if a.id == "nordjylland")
    own = nordjylland.purpose("rehabilitation")
    assert own is not None
    rows = catalogue(nordjylland)
    assert any(own.text["da"] in row.title["da"] for row in rows)


def test_covering_finds_the_row_of_a_concrete_case():
    unn = next(a for a in AGREEMENTS if a.id == "unn")
    raw = {
        "agreement": "unn",
        "date": unn.valid_from.isoformat(),
        "aid": {"type": "cpap"},
        "need": {"purpose": "treatment", "started_by": "specialist"},
        "patient": {"residence": "home"},
    }
    _, flat, _ = read_case(raw)
    row = covering(catalogue(unn), flat)
    assert row is not None
    assert row.category == "treatment-aid"
    assert row.duty("delivery") is not None
    assert row.duty("delivery").party == decide(raw)["duties"]["delivery"]["party"]


def test_fast_enough_for_a_page():
    for agreement in AGREEMENTS:
        catalogue(agreement)
        started = time.perf_counter()
        catalogue(agreement)
        assert time.perf_counter() - started < 0.2
