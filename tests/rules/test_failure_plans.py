"""`overgang rules check` reads each agreement's failure advice (rules/failures.py)."""

import pytest

from overgang.rules.check import check
from overgang.rules.failures import emergency, plan_problems, read_failure_plan
from overgang.rules.registry import all_agreements
from overgang.rules.spec import SpecError

TEXT = {"nb": "Ring enheten.", "da": "Ring til enheden.", "en": "Call the unit."}


def test_the_agreement_files_pass_the_check_with_their_failure_advice():
    assert check() == []
    assert {a.id: a.failure.silent for a in all_agreements()} == {
        "hnt": True,
        "nordjylland": True,
        "oslo": False,
        "unn": True,
    }


def test_a_class_without_advice_is_reported():
    plan = read_failure_plan(
        {"silent": True, "step": [{"criticality": ["other"], "text": TEXT}]}, "x.toml"
    )
    problems = plan_problems(plan)
    assert "failure: no step for life-sustaining (second unit False, cylinder False)" in problems
    assert not any("for other" in p for p in problems)


def test_an_uncited_step_needs_a_silent_agreement():
    with pytest.raises(SpecError, match="needs its cites unless the agreement is silent"):
        read_failure_plan({"step": [{"text": TEXT}]}, "x.toml")


def test_a_step_in_an_unknown_class_is_refused():
    with pytest.raises(SpecError, match="unknown criticality urgent"):
        read_failure_plan(
            {"silent": True, "step": [{"criticality": ["urgent"], "text": TEXT}]}, "x"
        )


def test_the_emergency_numbers_are_national():
    assert emergency("NO").number == "113"
    assert emergency("DK").number == "112"
