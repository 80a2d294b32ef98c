"""Invalid input is refused with a message that starts with the field, never guessed at.

docs/contracts/rules.md: invalid input exits 2 with nothing on stdout and one line on
stderr that starts with the field and says what is wrong; an unknown agreement,
municipality or aid type is invalid input, never a guess.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from overgang.rules import deadlines, decide
from overgang.rules.case import InvalidField
from overgang.rules.registry import RulesError
from tests.rules.cli_calls import GOOD_CASE

AT = "2026-03-02T08:00:00+01:00"


def case(**parts: Any) -> dict[str, Any]:
    return {"agreement": "oslo", "date": "2026-11-22", "aid": {"type": "cpap"}, **parts}


def event(**parts: Any) -> dict[str, Any]:
    return {"agreement": "hnt", "event": "admitted", "at": AT, **parts}


def test_invalid_field_is_a_rules_error():
    assert issubclass(InvalidField, RulesError)


DECIDE_ERRORS = [
    pytest.param(case(agreement="bergen"), "agreement", id="unknown-agreement"),
    pytest.param(case(agreement=5), "agreement", id="agreement-not-text"),
    pytest.param(
        {"date": "2026-11-22", "aid": {"type": "cpap"}},
        "agreement",
        id="no-agreement-no-municipality",
    ),
    pytest.param(case(date="2019-06-01"), "date", id="no-version-in-force-on-the-date"),
    pytest.param(
        {"patient": {"municipality": "Bergen"}, "aid": {"type": "cpap"}},
        "patient.municipality",
        id="unknown-municipality",
    ),
    pytest.param(
        {"patient": {"municipality": "9999"}, "aid": {"type": "cpap"}},
        "patient.municipality",
        id="unknown-municipality-number",
    ),
    pytest.param(
        case(patient={"municipality": "Aalborg"}),
        "patient.municipality",
        id="municipality-outside-the-agreement",
    ),
    pytest.param(case(aid={"type": "jetpack"}), "aid.type", id="unknown-aid-type"),
    pytest.param(case(aid={}), "aid.type", id="missing-aid-type"),
    pytest.param(
        case(consumable={"type": "chewing-gum"}), "consumable.type", id="unknown-consumable"
    ),
    pytest.param(case(consumable="cpap-mask"), "consumable", id="consumable-not-an-object"),
    pytest.param(case(aid={"type": ["cpap"]}), "aid.type", id="aid-type-not-text"),
    pytest.param(case(aid="cpap"), "aid", id="aid-not-an-object"),
    pytest.param(case(need={"purpose": "holiday"}), "need.purpose", id="unknown-purpose"),
    pytest.param(case(need={"started_by": "nurse"}), "need.started_by", id="unknown-started-by"),
    pytest.param(case(need={"phase": "recovery"}), "need.phase", id="unknown-phase"),
    pytest.param(case(need={"lymphoedema": "tertiary"}), "need.lymphoedema", id="unknown-lymph"),
    pytest.param(
        case(need={"duration_months": -1}), "need.duration_months", id="negative-duration"
    ),
    pytest.param(
        case(need={"duration_months": "long"}), "need.duration_months", id="duration-not-number"
    ),
    pytest.param(
        case(need={"needed_for_journey_home": "yes"}),
        "need.needed_for_journey_home",
        id="flag-not-boolean",
    ),
    pytest.param(case(requester={"role": "nurse"}), "requester.role", id="unknown-requester-role"),
    pytest.param(case(patient={"residence": "hotel"}), "patient.residence", id="unknown-residence"),
    pytest.param(case(patient={"terminal": "yes"}), "patient.terminal", id="terminal-not-boolean"),
    pytest.param(case(lender="neighbour"), "lender", id="unknown-lender"),
    pytest.param(case(date="22.11.2026"), "date", id="date-not-iso"),
    pytest.param(
        case(patient={"municipality": "Oslo", "district": "Majorstuen"}),
        "patient.district",
        id="district-outside-its-municipality",
    ),
    pytest.param(
        {"patient": {"municipality": "Tromsø", "district": "Stovner"}, "aid": {"type": "cpap"}},
        "patient.district",
        id="oslo-district-in-tromso",
    ),
    pytest.param(
        case(patient={"district": "Atlantis"}),
        "patient.district",
        id="unknown-district-without-municipality",
    ),
    pytest.param([], "(input)", id="list-not-object"),
    pytest.param("oslo", "(input)", id="text-not-object"),
    pytest.param(None, "(input)", id="null-not-object"),
]


@pytest.mark.parametrize(("raw", "field"), DECIDE_ERRORS)
def test_decide_refuses_naming_the_field(raw, field):
    with pytest.raises(RulesError) as caught:
        decide(raw)
    message = str(caught.value)
    assert message.startswith(f"{field}: "), message
    assert "\n" not in message
    assert len(message) > len(field) + 2


DEADLINE_ERRORS = [
    pytest.param(event(agreement="bergen"), "agreement", id="unknown-agreement"),
    pytest.param({"event": "admitted", "at": AT}, "agreement", id="no-agreement"),
    pytest.param({"agreement": "hnt", "event": "admitted"}, "at", id="missing-at"),
    pytest.param(event(at="2026-03-02T08:00:00"), "at", id="naive-at"),
    pytest.param(event(at="yesterday"), "at", id="at-not-iso"),
    pytest.param(event(event="born"), "event", id="unknown-event"),
    pytest.param({"agreement": "hnt", "at": AT}, "event", id="missing-event"),
    pytest.param(
        event(context={"admission": "sudden"}), "context.admission", id="unknown-admission"
    ),
    pytest.param(
        event(context={"expected_stay_hours": -3}),
        "context.expected_stay_hours",
        id="negative-stay",
    ),
    pytest.param(event(context=[1]), "context", id="context-not-object"),
    pytest.param([], "(input)", id="list-not-object"),
    pytest.param(42, "(input)", id="number-not-object"),
]


@pytest.mark.parametrize(("raw", "field"), DEADLINE_ERRORS)
def test_deadlines_refuse_naming_the_field(raw, field):
    with pytest.raises(RulesError) as caught:
        deadlines(raw)
    message = str(caught.value)
    assert message.startswith(f"{field}: "), message
    assert "\n" not in message


# ---------------------------------------------------------------------------------------
# The command line: three calls (cli_calls.py), started together as soon as
# collection is done; each test reads its own result from the `cli` fixture.
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("unknown-aid-type", "aid.type"),
        ("not-json", "(input)"),
    ],
)
def test_cli_refuses_bad_input(cli, name, field):
    result = cli[name]
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{field}: "), lines[0]


def test_cli_answers_a_good_case(cli):
    result = cli["good-case"]
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert isinstance(answer, dict)
    assert answer == decide(GOOD_CASE)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (case(need={"purpse": "treatment"}), "need.purpse"),
        (case(consumable={"kind": "cpap-mask"}), "consumable.kind"),
        (
            case(patient={"municipality": "Oslo", "district": "Frogner", "adress": "x"}),
            "patient.adress",
        ),
    ],
)
def test_a_misspelt_key_is_refused_rather_than_ignored(raw, field):
    with pytest.raises(RulesError) as raised:
        decide(raw)
    assert str(raised.value).startswith(f"{field}: unknown field")
