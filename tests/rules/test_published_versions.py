"""In-app agreement versions join the files (N10): once published, the version in force on a
date is the latest one begun by then, files and published alike; unpublishing restores the
files' answers."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.rules.check import candidate_problems
from overgang.rules.registry import (
    agreement_by_id,
    all_agreements,
    load_text,
    publish_versions,
    version_text,
)
from overgang.rules.spec import SpecError

BASE = version_text("nordjylland", "2024-1") or ""
assert BASE is not None


def revised(label: str, valid_from: datetime.date) -> str:
    return BASE.replace('version = "2024-1"', f'version = "{label}"').replace(
        "valid_from = 2020-01-01", f"valid_from = {valid_from.isoformat()}"
    )


@pytest.fixture(autouse=True)
def files_alone():
    yield
    publish_versions(())


@settings(max_examples=25, deadline=None)
@given(
    starts=st.lists(
        st.dates(min_value=datetime.date(2020, 1, 2), max_value=datetime.date(2035, 12, 31)),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    asked=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2036, 12, 31)),
)
def test_the_version_in_force_is_the_latest_begun(starts, asked):
    publish_versions(tuple(revised(f"app-{n}", d) for n, d in enumerate(starts)))
    begun = [d for d in starts if d <= asked]
    expected = f"app-{starts.index(max(begun))}" if begun else "2024-1"
    assert agreement_by_id("nordjylland", on=asked).version == expected
    publish_versions(())
    assert agreement_by_id("nordjylland", on=asked).version == "2024-1"


@settings(max_examples=15, deadline=None)
@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2035, 12, 31)))
def test_a_candidate_must_begin_after_the_version_it_replaces(start):
    current = agreement_by_id("nordjylland", on=datetime.date(2026, 1, 1))
    candidate = load_text(revised("2027-1", start), "candidate")
    problems = candidate_problems(candidate, current, all_agreements())
    assert any("is not after" in p for p in problems) == (start <= current.valid_from)


def test_a_taken_label_is_refused():
    current = agreement_by_id("nordjylland", on=datetime.date(2026, 1, 1))
    candidate = load_text(revised("2024-1", datetime.date(2027, 1, 1)), "candidate")
    assert any(
        "exists already" in p for p in candidate_problems(candidate, current, all_agreements())
    )


def test_the_files_own_version_has_no_problems_as_a_candidate():
    current = agreement_by_id("nordjylland", on=datetime.date(2026, 1, 1))
    candidate = load_text(revised("2027-1", datetime.date(2027, 1, 1)), "candidate")
    assert candidate_problems(candidate, current, all_agreements()) == []


def test_a_text_that_does_not_load_publishes_nothing():
    with pytest.raises(SpecError):
        publish_versions((revised("x", datetime.date(2027, 1, 1)).replace("[catchment]", ""),))
    assert [a.version for a in all_agreements() if a.id == "nordjylland"] == ["2024-1"]


def test_a_malformed_valid_from_names_the_field():
    with pytest.raises(SpecError, match="valid_from"):
        load_text(BASE.replace("valid_from = 2020-01-01", 'valid_from = "soon"'), "x")


def test_the_check_reports_a_version_both_in_a_file_and_in_the_app():
    from overgang.rules.check import check

    assert not any("twice" in p for p in check())
    publish_versions((BASE,))
    assert "nordjylland: version 2024-1 is there twice" in check()
