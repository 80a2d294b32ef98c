"""N5 for trial discharges and weekend visits (seed 003 section 3): the aids that go home are
handed out on a weekday no later than the leave's start ("Hjælpemidler udleveres dog kun af
region og kommuner på hverdage"; a weekend start means the weekday before), the final care
plan reaches the municipality by 12:00 on the weekday before ("Ved prøveudskrivninger og
weekendbesøg gælder nedenstående udskrivningsvarsler også"), and neither holds for housing
changes or very specialised aids. The Norwegian routines say nothing of leave."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.rules.calendar import Calendar
from overgang.rules.leave import applies, care_plan_due, handout_allowed, handout_day
from overgang.rules.registry import agreement_by_id

ON = datetime.date(2026, 3, 2)
NORDJYLLAND = agreement_by_id("nordjylland", on=ON).leave
DK = Calendar.for_country("DK", "Europe/Copenhagen")
DAYS = st.dates(datetime.date(2024, 1, 1), datetime.date(2032, 12, 31))
d = datetime.date


# (leave starts, aids handed out by, final care plan due): Easter 2026 is 2-6 April
# (skærtorsdag, langfredag, påskedag, 2. påskedag are Danish holidays).
CASES = [
    ("a Tuesday start: that day", d(2026, 3, 31), d(2026, 3, 31), "2026-03-30T12:00:00+02:00"),
    ("a Saturday start: the Friday", d(2026, 3, 28), d(2026, 3, 27), "2026-03-27T12:00:00+01:00"),
    ("a Sunday start: the Friday", d(2026, 3, 29), d(2026, 3, 27), "2026-03-27T12:00:00+01:00"),
    ("Easter Sunday: before Easter", d(2026, 4, 5), d(2026, 4, 1), "2026-04-01T12:00:00+02:00"),
    ("Easter Monday: before Easter", d(2026, 4, 6), d(2026, 4, 1), "2026-04-01T12:00:00+02:00"),
    ("the Tuesday after Easter", d(2026, 4, 7), d(2026, 4, 7), "2026-04-01T12:00:00+02:00"),
]


@pytest.mark.parametrize(("case", "starts", "handout", "care_plan"), CASES)
def test_n5_hand_out_day_and_care_plan_for_a_leave(case, starts, handout, care_plan):
    assert handout_day(NORDJYLLAND, DK, starts) == handout
    assert care_plan_due(NORDJYLLAND, DK, starts).isoformat() == care_plan
    assert handout_allowed(NORDJYLLAND, DK, handout, starts)


@pytest.mark.parametrize(
    ("day", "exception", "allowed"),
    [
        (d(2026, 3, 27), "", True),  # Friday before a Saturday start
        (d(2026, 3, 28), "", False),  # the Saturday itself
        (d(2026, 3, 30), "", False),  # a weekday after the start
        (d(2026, 3, 28), "housing-change", True),
        (d(2026, 3, 28), "very-specialised-aid", True),
        (d(2026, 3, 28), "no-such-exception", False),
    ],
)
def test_n5_exceptions_lift_the_weekday_rule(day, exception, allowed):
    assert handout_allowed(NORDJYLLAND, DK, day, d(2026, 3, 28), exception) is allowed


def test_the_agreement_cites_its_seed_for_leave():
    assert NORDJYLLAND.cites == ("003 3",)
    assert [e.key for e in NORDJYLLAND.exceptions] == ["housing-change", "very-specialised-aid"]
    assert "hverdage" in NORDJYLLAND.text["da"]


@pytest.mark.parametrize("agreement", ["oslo", "unn", "hnt"])
def test_the_norwegian_routines_set_no_leave_rule(agreement):
    rules = agreement_by_id(agreement, on=ON).leave
    no = Calendar.for_country("NO", "Europe/Oslo")
    assert not rules.said
    assert handout_day(rules, no, d(2026, 3, 28)) is None
    assert care_plan_due(rules, no, d(2026, 3, 28)) is None
    assert handout_allowed(rules, no, d(2026, 3, 28), d(2026, 3, 28))  # Saturday: not ruled
    assert not applies(rules, "")


@settings(max_examples=300, deadline=None)
@given(DAYS)
def test_the_hand_out_day_is_never_a_weekend_or_holiday_nor_after_the_start(starts):
    day = handout_day(NORDJYLLAND, DK, starts)
    assert day is not None
    assert DK.is_working_day(day)
    assert day <= starts
    # The latest such day: no working day lies between it and the start.
    between = (day + datetime.timedelta(days=n) for n in range(1, (starts - day).days + 1))
    assert not any(DK.is_working_day(b) for b in between)
    assert handout_allowed(NORDJYLLAND, DK, day, starts)


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS)
def test_a_day_is_allowed_exactly_when_it_is_a_working_day_not_after_the_start(day, starts):
    assert handout_allowed(NORDJYLLAND, DK, day, starts) is (
        DK.is_working_day(day) and day <= starts
    )
    assert handout_allowed(NORDJYLLAND, DK, day, starts, "housing-change")


@settings(max_examples=200, deadline=None)
@given(DAYS)
def test_the_care_plan_is_due_at_noon_on_a_working_day_before_the_start(starts):
    due = care_plan_due(NORDJYLLAND, DK, starts)
    assert due is not None
    local = DK.local(due)
    assert local.time() == datetime.time(12)
    assert DK.is_working_day(local.date())
    assert local.date() < starts
