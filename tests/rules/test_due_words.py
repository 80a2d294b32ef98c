"""A deadline's due in the words of the draft editor and its diff (N10), in nb, da and en."""

from __future__ import annotations

import pytest

from overgang.rules.spec import DUE_KINDS, LANGUAGES
from overgang.rules.words import DUE_KIND_NAMES, due_words


@pytest.mark.parametrize(
    ("kind", "hours", "days", "language", "said"),
    [
        ("after", 4, 0, "nb", "4 timer etter hendelsen"),
        ("after", 1, 0, "nb", "1 time etter hendelsen"),
        ("after", 1.5, 0, "da", "1,5 timer efter hændelsen"),
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
