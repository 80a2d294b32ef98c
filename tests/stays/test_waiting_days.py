"""Waiting days (R9): counted from day 0 while the municipality cannot receive the patient,
priced at the rate of each day's year, stated per municipality and month."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from overgang.stays import actions, waiting
from overgang.stays.models import Stay, WaitingDayRate
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db


def _notified(stay, physician, when):
    actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.declare_discharge_ready(stay, actor=physician, at=at(when))
    actions.record_message(stay, "HELSEOPPL_SOKNAD:oppdatert", actor=physician, sent_at=at(when))
    actions.record_message(stay, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=at(when))
    return Stay.objects.get(pk=stay.pk)


def test_the_rates_of_2024_and_2025_are_there():
    assert waiting.rates()[2024] == Decimal(5745)
    assert waiting.rates()[2025] == Decimal(5981)


def test_no_waiting_days_when_the_municipality_receives_the_same_day(
    levanger_stay, hnt_physician, levanger_case_worker
):
    stay = _notified(levanger_stay, hnt_physician, "2026-03-30 10:00")
    actions.record_answer(
        stay,
        actor=levanger_case_worker,
        can_receive=True,
        receive_at=at("2026-03-30 15:00"),
        service="Home nursing",
        sent_at=at("2026-03-30 10:30"),
    )
    stay.refresh_from_db()
    assert waiting.waiting_days(stay, today=datetime.date(2026, 4, 10)).days == ()


def test_days_count_from_day_0_until_the_municipality_can_receive(
    levanger_stay, hnt_physician, levanger_case_worker
):
    stay = _notified(levanger_stay, hnt_physician, "2026-03-30 10:00")  # Monday, in the window
    actions.record_answer(
        stay, actor=levanger_case_worker, can_receive=False, sent_at=at("2026-03-30 10:30")
    )
    stay.refresh_from_db()
    assert len(waiting.waiting_days(stay, today=datetime.date(2026, 4, 1)).days) == 3
    actions.record_answer(
        stay,
        actor=levanger_case_worker,
        can_receive=True,
        receive_at=at("2026-04-02 11:00"),
        service="Short-term place at Levanger helsehus",
        sent_at=at("2026-04-01 09:00"),
    )
    stay.refresh_from_db()
    days = waiting.waiting_days(stay, today=datetime.date(2026, 4, 20)).days
    assert days == (
        datetime.date(2026, 3, 30),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 1),
    )


def test_a_notice_after_three_starts_day_0_the_next_day(
    levanger_stay, hnt_physician, levanger_case_worker
):
    stay = _notified(levanger_stay, hnt_physician, "2026-03-30 16:00")
    actions.record_answer(stay, actor=levanger_case_worker, can_receive=False)
    stay.refresh_from_db()
    assert waiting.waiting_days(stay, today=datetime.date(2026, 3, 31)).days == (
        datetime.date(2026, 3, 31),
    )


def test_the_statement_of_a_month_prices_each_day_at_its_years_rate(
    levanger_stay, hnt_physician, levanger_case_worker, system
):
    stay = _notified(levanger_stay, hnt_physician, "2026-03-30 10:00")
    actions.record_answer(stay, actor=levanger_case_worker, can_receive=False)
    first, last = waiting.month_bounds(2026, 3)
    found = waiting.statement(
        "Levanger kommune", waiting.candidates(Stay.objects.all(), first, last), first, last
    )
    assert found.days == 2  # 30 and 31 March
    assert found.missing_rates == {2026}
    assert found.lines[0].amount is None
    WaitingDayRate.objects.create(year=2026, rate=6200, set_by=system)
    found = waiting.statement(
        "Levanger kommune", waiting.candidates(Stay.objects.all(), first, last), first, last
    )
    assert found.amount == Decimal(12400)
    april = waiting.month_bounds(2026, 4)
    assert waiting.month_bounds(2026, 12) == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 31),
    )
    in_april = waiting.statement(
        "Levanger kommune", waiting.candidates(Stay.objects.all(), *april), *april
    )
    assert in_april.days >= 1


# Issue 14: HNT's notice window is HNT's. Under the law alone (Oslo 000, UNN 001 set no
# window) payment runs from the day of the notice (forskrift § 13 annet ledd), whatever the
# hour; the engine answers no window for them.
@pytest.mark.parametrize(
    ("area", "worker"), [("oslo", "frogner_case_worker"), ("tromso", "tromso_case_worker")]
)
@pytest.mark.parametrize("when", ["2026-03-30 10:00", "2026-03-30 16:00", "2026-03-28 11:00"])
def test_without_a_notice_window_day_0_is_the_day_of_the_notice(
    stays_of, area, worker, when, request
):
    stay, physician = stays_of[area]
    stay = _notified(stay, physician, when)
    assert stay.in_notice_window is None
    assert stay.same_day_expected is None
    actions.record_answer(stay, actor=request.getfixturevalue(worker), can_receive=False)
    stay.refresh_from_db()
    notice_day = at(when).date()
    days = waiting.waiting_days(stay, today=notice_day + datetime.timedelta(days=1)).days
    assert days == (notice_day, notice_day + datetime.timedelta(days=1))


def test_levanger_keeps_its_window_for_the_notice(levanger_stay, hnt_physician):
    inside = _notified(levanger_stay, hnt_physician, "2026-03-30 10:00")
    assert inside.in_notice_window is True
    assert inside.same_day_expected is True
