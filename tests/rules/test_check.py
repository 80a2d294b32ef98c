"""`overgang rules check`: the shipped agreement files are sound, and broken ones are caught.

Broken agreements are built in a temporary folder from a copy of a shipped file, loaded
with registry._load, and handed to the checks one by one (and to check() as a whole).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from overgang.rules import check as check_module
from overgang.rules.check import check, cite_problem, condition_problems, overlap_problems
from overgang.rules.registry import AGREEMENT_DIR, Agreement, _load
from overgang.rules.spec import SpecError

TEXTS = 'text.nb = "Tekst."\ntext.da = "Tekst."\ntext.en = "Text."\n'


def rule(rule_id: str, body: str, cites: str = '["000 3.1"]', texts: str = TEXTS) -> str:
    return f'\n[[rule]]\nid = "{rule_id}"\ncites = {cites}\n{body}\n{texts}'


@pytest.fixture
def build(tmp_path: Path) -> Callable[..., Agreement]:
    """An agreement from a shipped file, text replaced and rules appended."""

    def make(name: str, *, replace: tuple[str, str] | None = None, append: str = "") -> Agreement:
        text = (AGREEMENT_DIR / name).read_text(encoding="utf-8")
        if replace is not None:
            old, new = replace
            assert old in text, f"{old!r} is not in {name} any more: mend the test"
            text = text.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(text + append, encoding="utf-8")
        return _load(path)

    return make


def all_condition_problems(agreement: Agreement) -> list[str]:
    return [p for r in agreement.rules for p in condition_problems(r)]


# ---------------------------------------------------------------------------------------
# The shipped files
# ---------------------------------------------------------------------------------------


def test_shipped_agreements_are_sound():
    assert check() == []


@pytest.mark.parametrize("name", sorted(p.name for p in AGREEMENT_DIR.glob("*.toml")))
def test_a_faithful_copy_is_sound(build, name):
    agreement = build(name)
    assert overlap_problems(agreement) == []
    assert all_condition_problems(agreement) == []
    cites = {c for r in agreement.rules for c in r.cites}
    cites |= {c for r in agreement.rules for d in r.duties.values() for c in d.cites}
    cites |= {c for d in agreement.deadline_rules for c in d.cites}
    assert [p for c in sorted(cites) if (p := cite_problem(c, agreement.country))] == []


# ---------------------------------------------------------------------------------------
# Two rules claiming one duty for the same case
# ---------------------------------------------------------------------------------------


def test_removed_override_is_caught(build):
    agreement = build("hnt-2024.toml", replace=('overrides = ["hnt.technical.long-term"]\n', ""))
    problems = overlap_problems(agreement)
    assert any(
        "hnt.technical.long-term" in p and "hnt.technical.journey-home" in p and "application" in p
        for p in problems
    ), problems


def test_second_rule_claiming_the_same_duty_is_caught(build):
    agreement = build(
        "oslo-2025.toml",
        append=rule(
            "oslo.test.payment-twice",
            'when = { "aid.category" = "treatment-aid" }\nduties = { payment = "municipality" }',
        ),
    )
    problems = overlap_problems(agreement)
    assert any(
        "oslo.treatment-aid.specialist" in p and "oslo.test.payment-twice" in p and "payment" in p
        for p in problems
    ), problems


def test_second_rule_claiming_the_requisition_is_caught(build):
    agreement = build(
        "unn-2024.toml",
        append=rule(
            "unn.test.gp-tens",
            'when = { "requester.role" = "gp", "aid.type" = "tens" }\nrequisition = true',
        ),
    )
    problems = overlap_problems(agreement)
    assert any("unn.test.gp-tens" in p and "requisition" in p for p in problems), problems


def test_an_override_settles_the_overlap(build):
    agreement = build(
        "oslo-2025.toml",
        append=rule(
            "oslo.test.payment-twice",
            'when = { "aid.category" = "treatment-aid", "need.purpose" = "treatment", '
            '"need.started_by" = "specialist" }\n'
            'overrides = ["oslo.treatment-aid.specialist"]\n'
            'duties = { payment = "municipality" }',
        ),
    )
    assert overlap_problems(agreement) == []


def test_rules_for_disjoint_cases_do_not_overlap(build):
    agreement = build(
        "oslo-2025.toml",
        append=rule(
            "oslo.test.rehabilitation",
            'when = { "aid.category" = "treatment-aid", "need.purpose" = "rehabilitation" }\n'
            'duties = { payment = "municipality" }',
        ),
    )
    assert overlap_problems(agreement) == []


# ---------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------


def test_citation_of_a_missing_seed_is_caught():
    problem = cite_problem("999 1")
    assert problem is not None
    assert "999" in problem


def test_citation_of_a_missing_section_is_caught():
    problem = cite_problem("000 77.0")
    assert problem is not None
    assert "77.0" in problem


@pytest.mark.parametrize("cite", ["000 3.1", "001 Beskrivelse 9", "003 4", "004 Vedlegg 1.1 g"])
def test_citations_of_existing_sections_pass(cite):
    assert cite_problem(cite) is None


def test_check_reports_a_bad_citation_of_a_rule_and_of_a_duty(build, monkeypatch):
    agreement = build(
        "oslo-2025.toml",
        append=rule(
            "oslo.test.bad-cites",
            'when = { "aid.type" = "ecg", "need.phase" = "palliative" }\n'
            'duties = { follow_up = { party = "municipality", cites = ["000 77.0"] } }',
            cites='["999 1"]',
        ),
    )
    monkeypatch.setattr(check_module, "all_agreements", lambda: (agreement,))
    problems = check()
    assert any(p.startswith("oslo: ") and "999 1" in p for p in problems), problems
    assert any(p.startswith("oslo: ") and "000 77.0" in p for p in problems), problems


def test_check_reports_a_bad_citation_of_a_point(build, monkeypatch):
    """A point outside the rules (the referring GP) cites a section the routine has."""
    agreement = build(
        "nordjylland-2024.toml", append='\n[points]\noutpatient_referral = ["003 77"]\n'
    )
    assert agreement.cites_for("outpatient_referral") == ("003 77",)
    monkeypatch.setattr(check_module, "all_agreements", lambda: (agreement,))
    assert any(p.startswith("nordjylland: ") and "003 77" in p for p in check())


@pytest.mark.parametrize(
    "points", ['referral = ["003 1"]', "outpatient_referral = []", 'outpatient_referral = "x"']
)
def test_an_unknown_or_empty_point_is_refused_on_loading(build, points):
    with pytest.raises(SpecError, match=r"unknown point|needs at least one citation"):
        build("nordjylland-2024.toml", append=f"\n[points]\n{points}\n")


# ---------------------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------------------


def test_unknown_field_in_a_condition_is_caught(build):
    agreement = build(
        "oslo-2025.toml",
        append=rule("oslo.test.colour", 'when = { "need.colour" = "red" }\nnote = true'),
    )
    problems = all_condition_problems(agreement)
    assert any("oslo.test.colour" in p and "need.colour" in p for p in problems), problems


def test_unknown_field_in_when_any_is_caught(build):
    agreement = build(
        "oslo-2025.toml",
        append=rule(
            "oslo.test.any",
            'when_any = [{ "aid.type" = "ecg" }, { "patient.shoe_size" = 44 }]\nnote = true',
        ),
    )
    problems = all_condition_problems(agreement)
    assert any("patient.shoe_size" in p for p in problems), problems


def test_value_a_field_cannot_have_is_caught(build):
    agreement = build(
        "oslo-2025.toml",
        append=rule("oslo.test.holiday", 'when = { "need.purpose" = "holiday" }\nnote = true'),
    )
    problems = all_condition_problems(agreement)
    assert any("need.purpose" in p and "holiday" in p for p in problems), problems


def test_unknown_aid_type_in_a_condition_is_caught(build):
    agreement = build(
        "oslo-2025.toml",
        append=rule(
            "oslo.test.jetpack", 'when = { "aid.type" = ["cpap", "jetpack"] }\nnote = true'
        ),
    )
    problems = all_condition_problems(agreement)
    assert any("jetpack" in p for p in problems), problems
    assert not any("'cpap'" in p for p in problems), problems


def test_misspelt_value_in_a_not_list_is_caught(build):
    # A typo under `not` makes the condition always true: it must not pass unseen.
    agreement = build(
        "unn-2024.toml",
        append=rule(
            "unn.test.not-typo",
            'when = { "need.phase" = { not = ["paliative"] }, "aid.type" = "ecg" }\nnote = true',
        ),
    )
    problems = all_condition_problems(agreement)
    assert any("need.phase" in p and "paliative" in p for p in problems), problems


def test_not_with_a_single_value_is_read_as_one_value(build):
    # spec.py reads `not = "tens"` as one value, as it does `not = ["tens"]`.
    agreement = build(
        "unn-2024.toml",
        append=rule(
            "unn.test.not-string",
            'when = { "aid.type" = { not = "tens" }, "need.phase" = "after-discharge" }\n'
            "note = true",
        ),
    )
    assert all_condition_problems(agreement) == []


def test_check_reports_conditions_and_unknown_events(build, monkeypatch):
    deadline = (
        '\n[[deadline]]\nid = "hnt.test.birthday"\nevent = "birthday"\nduty = "cake"\n'
        'party = "hospital"\ndue = { kind = "at-once" }\ncites = ["004 1"]\n' + TEXTS
    )
    agreement = build(
        "hnt-2024.toml",
        append=rule("hnt.test.colour", 'when = { "need.colour" = "red" }\nnote = true') + deadline,
    )
    monkeypatch.setattr(check_module, "all_agreements", lambda: (agreement,))
    problems = check()
    assert any(p.startswith("hnt: ") and "need.colour" in p for p in problems), problems
    assert any(p.startswith("hnt: ") and "hnt.test.birthday" in p for p in problems), problems


# ---------------------------------------------------------------------------------------
# Files that cannot even be loaded
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("append", "words"),
    [
        pytest.param(
            rule("oslo.two-units", 'when = { "aid.type" = "ecg" }\nnote = true'),
            "unique",
            id="duplicate-rule-id",
        ),
        pytest.param(
            rule("oslo.test.uncited", "note = true", cites="[]"),
            "citation",
            id="rule-without-citation",
        ),
        pytest.param(
            rule("oslo.test.party", 'duties = { payment = "insurance" }'),
            "insurance",
            id="unknown-party",
        ),
        pytest.param(
            rule("oslo.test.duty", 'duties = { cleaning = "hospital" }'),
            "cleaning",
            id="unknown-duty",
        ),
        pytest.param(
            rule("oslo.test.operator", 'when = { "need.duration_months" = { around = 24 } }'),
            "around",
            id="unknown-operator",
        ),
        pytest.param(
            rule("oslo.test.texts", "note = true", texts='text.en = "Only English."\n'),
            "text",
            id="text-missing-in-a-language",
        ),
        pytest.param(
            '\n[[deadline]]\nid = "oslo.test.due"\nevent = "died"\nduty = "x"\n'
            'party = "hospital"\ndue = { kind = "someday" }\ncites = ["000 1.0"]\n' + TEXTS,
            "due.kind",
            id="unknown-due-kind",
        ),
        *(
            pytest.param(
                '\n[[deadline]]\nid = "oslo.test.due"\nevent = "died"\nduty = "x"\n'
                f'party = "hospital"\ndue = {due}\ncites = ["000 1.0"]\n' + TEXTS,
                words,
                id=name,
            )
            # A due the engine could not compute (10^22 hours is past the year 9999, a day
            # before the event's none) or that says two things does not load.
            for name, due, words in (
                ("negative-hours", '{ kind = "after", hours = -4 }', "due.hours"),
                ("hours-past-a-year", '{ kind = "after", hours = 1e22 }', "due.hours"),
                ("infinite-hours", '{ kind = "after", hours = inf }', "due.hours"),
                # An int past a float's range: named, not an OverflowError.
                (
                    "hours-past-a-float",
                    '{ kind = "after", hours = 1' + "0" * 400 + " }",
                    "due.hours",
                ),
                ("hours-not-whole-minutes", '{ kind = "after", hours = 48.0000001 }', "due.hours"),
                ("after-without-hours", '{ kind = "after" }', "due.hours"),
                ("hours-as-text", '{ kind = "after", hours = "4" }', "due.hours"),
                ("negative-days", '{ kind = "end-of-day", days = -1 }', "due.days"),
                ("fractional-days", '{ kind = "end-of-day", days = 1.5 }', "due.days"),
                ("at-once-with-hours", '{ kind = "at-once", hours = 4 }', "due.hours"),
                ("after-with-days", '{ kind = "after", hours = 4, days = 1 }', "due.days"),
                ("unknown-due-key", '{ kind = "after", hours = 4, minutes = 5 }', "due.minutes"),
            )
        ),
    ],
)
def test_unloadable_files_are_refused_naming_the_problem(build, append, words):
    with pytest.raises(SpecError) as caught:
        build("oslo-2025.toml", append=append)
    assert words in str(caught.value)
    assert "oslo-2025.toml" in str(caught.value)


DEADLINE = (
    '\n[[deadline]]\nid = "{id}"\nevent = "died"\nduty = "x"\nparty = "hospital"\n'
    'due = { kind = "at-once" }\ncites = ["000 1.0"]\n' + TEXTS
)


@pytest.mark.parametrize(
    ("append", "words"),
    [
        pytest.param(
            DEADLINE.replace("{id}", "oslo.treatment-aid.specialist"),
            "'oslo.treatment-aid.specialist' names both a rule and a deadline",
            id="a-deadline-with-a-rules-id",
        ),
        pytest.param(
            rule("no.municipality-answer", "note = true"),
            "'no.municipality-answer' names both a rule and a deadline",
            id="a-rule-with-the-laws-deadlines-id",
        ),
        pytest.param(
            DEADLINE.replace("{id}", "oslo.test.due") * 2,
            "deadline ids must be unique",
            id="two-deadlines-with-one-id",
        ),
    ],
)
def test_an_id_naming_two_things_is_refused_naming_it(build, append, words):
    """The draft editor finds what it changes by id: a rule and a deadline sharing one would
    have it change the rule where the deadline was meant."""
    with pytest.raises(SpecError) as caught:
        build("oslo-2025.toml", append=append)
    assert words in str(caught.value)
    assert "oslo-2025.toml" in str(caught.value)
