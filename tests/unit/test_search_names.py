"""Folding names and reading searches (overgang.patients.names): what people type finds the
patient whatever the accents, the order of the names and the way the date is written."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from overgang.patients.names import fold, name_keys, parse

# Nordic letters, a few accents, their ASCII spellings' letters, and separators.
NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzæøåéèüäöÆØÅÉABCOE -,.'"
names = st.text(alphabet=NAME_LETTERS, max_size=30)
# (accented spelling, ASCII spelling): the same name as a person writes it either way.
SPELLINGS = {"æ": "ae", "ø": "o", "å": "aa", "é": "e", "Æ": "Ae", "Ø": "O", "Å": "Aa", "É": "E"}


@given(st.text(max_size=40))
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(names)
def test_folding_is_idempotent_on_names(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.lists(st.sampled_from([*SPELLINGS, *"bdjklnrst"]), max_size=12))
def test_accented_and_ascii_spellings_fold_equal(letters: list[str]) -> None:
    accented = "".join(letters)
    ascii_spelling = "".join(SPELLINGS.get(letter, letter) for letter in letters)
    assert fold(accented) == fold(ascii_spelling)


@given(names, st.integers(min_value=0, max_value=30))
def test_what_is_typed_so_far_finds_the_name(name: str, cut: int) -> None:
    # Suggestions come while typing: the start of a name folds to the start of its key.
    assert fold(name).startswith(fold(name[:cut]).rstrip())


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("oystein", "Øystein"),
        ("Oeystein", "Øystein"),
        ("Jorgensen", "Jørgensen"),
        ("Kjaer", "Kjær"),
        ("KJÆR", "kjær"),
        ("Aase", "Åse"),
        ("Åse", "Aase"),
        ("Haakon", "Håkon"),
        ("Rene", "René"),
        ("ONeill", "O'Neill"),
    ],
)
def test_spellings_people_use(typed: str, name: str) -> None:
    assert fold(typed) == fold(name)


def test_keys_find_either_order_and_the_comma_of_the_list() -> None:
    as_written, family_first = name_keys("Sindre Andreassen")
    assert parse("Sindre Andreassen").name == as_written
    assert parse("Andreassen, Sindre").name == family_first
    assert parse("Andreassen Sindre").name == family_first
    assert family_first.startswith(parse("andreassen, sin").name)
    assert as_written.startswith(parse("sindre andr").name)


def test_keys_of_a_name_with_several_given_names() -> None:
    assert name_keys("Kari  Anne Nordmann") == ("kari anne nordmann", "nordmann kari anne")
    assert name_keys("Nordmann") == ("nordmann", "nordmann")


@pytest.mark.parametrize(
    "typed", ["02.03.1955", "2.3.1955", "1955-03-02", "2/3/1955", " 02-03-1955 "]
)
def test_birth_dates(typed: str) -> None:
    query = parse(typed)
    assert query.birth_date == datetime.date(1955, 3, 2)
    assert query.searches and not query.name and not query.national_id


@pytest.mark.parametrize(
    ("typed", "digits", "number"),
    [
        ("150386", "150386", 150386),
        ("150386 12345", "15038612345", None),
        ("150386-1234", "1503861234", None),
        ("12", "12", 12),
        ("#12", "12", 12),
    ],
)
def test_national_ids_and_numbers(typed: str, digits: str, number: int | None) -> None:
    query = parse(typed)
    assert (query.national_id, query.number, query.problem) == (digits, number, "")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("31.02.1955", "bad-date"),
        ("1955-13-01", "bad-date"),
        ("1" * 22, "too-many-digits"),
        ("%_\\", "nothing-to-search"),
        ("--", "nothing-to-search"),
    ],
)
def test_what_cannot_be_searched_for_says_why(typed: str, problem: str) -> None:
    query = parse(typed)
    assert query.problem == problem
    assert not query.searches
    assert not (query.name or query.national_id or query.birth_date)


def test_digits_of_other_scripts_are_not_a_national_id() -> None:
    # "١٢٣" (Arabic-Indic digits) is str.isdigit() but no national ID: it is searched as text.
    assert parse("١٢٣").national_id == ""
