"""A deadline's due in the words of the draft editor and its diff (N10), in nb, da and en."""

from __future__ import annotations

import pytest

from overgang.revisions.diff import due_change_words
from overgang.rules.spec import DUE_KINDS, LANGUAGES, Due, due_problem
from overgang.rules.words import DUE_KIND_NAMES, due_words


@pytest.mark.parametrize(
    ("kind", "hours", "days", "language", "said"),
    [
        ("after", 4, 0, "nb", "4 timer etter hendelsen"),
        ("after", 1, 0, "nb", "1 time etter hendelsen"),
        ("after", 1.5, 0, "da", "1 time 30 minutter efter hændelsen"),
        ("after", 0.75, 0, "en", "45 minutes after the event"),
        ("after", 1 / 60, 0, "nb", "1 minutt etter hendelsen"),
        ("after", 8759 + 7 / 60, 0, "nb", "8759 timer 7 minutter etter hendelsen"),
        ("after", 2.05, 0, "da", "2 timer 3 minutter efter hændelsen"),
        ("after", 24.0, 0, "en", "24 hours after the event"),
        ("end-of-day", 0, 0, "da", "inden udgangen af samme dag"),
        ("end-of-day", 0, 1, "nb", "innen utgangen av dagen etter hendelsen"),
        ("end-of-day", 0, 2, "nb", "innen utgangen av dagen 2 dager etter hendelsen"),
        ("at-once", 0, 0, "da", "straks"),
        ("noon-last-working-day-before", 0, 0, "nb", "senest kl. 12 hverdagen før"),
    ],
)
def test_a_due_in_words(kind, hours, days, language, said):
    assert due_words(kind, hours, days, language) == said


def test_every_kind_has_words_and_a_name_in_every_language():
    for language in LANGUAGES:
        assert set(DUE_KIND_NAMES[language]) == set(DUE_KINDS)
        for kind in DUE_KINDS:
            said = due_words(kind, 3, 3, language)
            assert said and said != kind and "{" not in said


@pytest.mark.parametrize("hours", [48.0000001, 8759.125, 1e-07, 0.01])
def test_hours_not_to_the_whole_minute_are_refused_naming_hours_and_said_unrounded(hours):
    """The words never round: 48.0000001 hours is not said as 48 (which would read as no
    change in the diff)."""
    problem = due_problem({"kind": "after", "hours": hours})
    assert problem is not None and problem[0] == "hours" and "minute" in problem[1]
    assert "48 hours" not in due_words("after", hours, 0, "en")
    assert repr(hours) in due_words("after", hours, 0, "en")


def test_a_changed_due_whose_words_come_out_the_same_shows_its_values():
    before, after = Due("after", 48), Due("after", 48.0000001)
    for language in LANGUAGES:
        old, new = due_change_words(before, after, language)
        assert old != new
    old, new = due_change_words(before, after, "en")
    assert "48.0000001" in new and "48.0000001" not in old
    assert due_change_words(before, Due("after", 24), "en") == (
        "48 hours after the event",
        "24 hours after the event",
    )
