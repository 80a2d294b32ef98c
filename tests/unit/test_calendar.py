"""Working days and local clock times behind the deadlines of the agreements."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.rules.calendar import Calendar, elapsed

NORWAY = Calendar.for_country("NO")
DENMARK = Calendar.for_country("DK")
OSLO = ZoneInfo("Europe/Oslo")
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
BOTH = [NORWAY, DENMARK]

calendars = st.sampled_from(BOTH)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
instants = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 (hypothesis takes naive bounds)
    max_value=datetime(2035, 12, 31, 23, 59, 59),  # noqa: DTZ001 (hypothesis takes naive bounds)
    timezones=st.sampled_from([UTC, OSLO, COPENHAGEN]),
)
PROPERTY = settings(max_examples=200, deadline=None)


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """A wall-clock time in Oslo; an ambiguous one is its first occurrence."""
    return datetime(year, month, day, hour, minute, second, tzinfo=OSLO)


# Holidays


def test_each_country_gets_its_capitals_time_zone():
    assert NORWAY.zone == OSLO
    assert DENMARK.zone == COPENHAGEN
    assert Calendar.for_country("DK", time_zone="Atlantic/Faroe").zone.key == "Atlantic/Faroe"


@pytest.mark.parametrize("calendar", BOTH, ids=lambda c: c.country)
@pytest.mark.parametrize(
    "day",
    [date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 14), date(2026, 12, 25)],
    ids=["maundy-thursday", "good-friday", "easter-monday", "ascension", "christmas"],
)
def test_easter_ascension_and_christmas_are_not_working_days_in_either_country(calendar, day):
    assert not calendar.is_working_day(day)


def test_norwegian_constitution_day_and_labour_day_are_holidays_in_norway_only():
    assert not NORWAY.is_working_day(date(2026, 5, 17))  # a Sunday anyway
    assert not NORWAY.is_working_day(date(2027, 5, 17))  # a Monday
    assert not NORWAY.is_working_day(date(2026, 5, 1))
    assert DENMARK.is_working_day(date(2026, 5, 1))


def test_danish_constitution_day_is_a_working_day_as_the_package_has_it_optional_only():
    constitution_day = date(2026, 6, 5)  # a Friday
    assert constitution_day not in holidays.country_holidays("DK", years=2026)
    assert constitution_day in holidays.country_holidays("DK", years=2026, categories="optional")
    assert DENMARK.is_working_day(constitution_day)


def test_christmas_eve_and_new_years_eve_are_working_days_as_in_the_package():
    for calendar in BOTH:
        assert calendar.is_working_day(date(2026, 12, 24))
        assert calendar.is_working_day(date(2026, 12, 31))


def test_second_of_january_is_a_working_day():
    for calendar in BOTH:
        assert calendar.is_working_day(date(2026, 1, 2))


def test_store_bededag_was_a_danish_holiday_until_its_abolition_in_2024():
    assert not DENMARK.is_working_day(date(2023, 5, 5))
    assert DENMARK.is_working_day(date(2026, 5, 1))  # where it would have fallen in 2026
    assert DENMARK.is_working_day(date(2026, 4, 24))
    assert NORWAY.is_working_day(date(2023, 5, 5))


def test_weekends_are_not_working_days():
    assert not NORWAY.is_working_day(date(2026, 11, 21))
    assert not DENMARK.is_working_day(date(2026, 11, 22))
    assert NORWAY.is_working_day(date(2026, 11, 23))


def test_working_days_around_easter():
    assert NORWAY.working_day_on_or_before(date(2026, 4, 6)) == date(2026, 4, 1)
    assert NORWAY.working_day_on_or_before(date(2026, 4, 7)) == date(2026, 4, 7)
    assert DENMARK.next_working_day(date(2026, 4, 1)) == date(2026, 4, 7)
    assert DENMARK.next_working_day(date(2026, 4, 7)) == date(2026, 4, 8)
    assert NORWAY.first_working_day_on_or_after(date(2026, 4, 2)) == date(2026, 4, 7)
    assert NORWAY.first_working_day_on_or_after(date(2026, 4, 1)) == date(2026, 4, 1)


# Clock changes


def test_twenty_four_hours_before_spring_forward_ends_at_one_oclock_on_the_wall_clock():
    start = oslo(2026, 3, 28, 12)
    later = NORWAY.after_hours(start, 24)
    assert later == oslo(2026, 3, 29, 13)
    assert (later.hour, later.utcoffset()) == (13, timedelta(hours=2))
    assert elapsed(start, later) == timedelta(hours=24)


def test_twenty_four_hours_before_fall_back_ends_at_eleven_oclock_on_the_wall_clock():
    start = oslo(2026, 10, 24, 12)
    later = NORWAY.after_hours(start, 24)
    assert (later.date(), later.hour, later.utcoffset()) == (
        date(2026, 10, 25),
        11,
        timedelta(hours=1),
    )
    assert elapsed(start, later) == timedelta(hours=24)


def test_hours_count_from_an_instant_given_in_utc_and_come_back_local():
    later = DENMARK.after_hours(datetime(2026, 3, 28, 11, tzinfo=UTC), 24)
    assert later.tzinfo == COPENHAGEN
    assert (later.hour, later.utcoffset()) == (13, timedelta(hours=2))


def test_end_of_day_two_after_a_friday_night_admission_is_sunday_just_before_midnight():
    admitted = oslo(2026, 3, 27, 23, 30)  # Friday; summer time starts on the Sunday
    deadline = NORWAY.end_of_day(admitted, days_after=2)
    assert deadline.replace(tzinfo=None) == datetime(2026, 3, 29, 23, 59, 59)  # noqa: DTZ001 (the local wall clock)
    assert deadline.utcoffset() == timedelta(hours=2)
    assert NORWAY.end_of_day(admitted, days_after=0).date() == date(2026, 3, 27)


def test_end_of_day_counts_from_the_local_date_not_the_utc_date():
    admitted = datetime(2026, 3, 27, 23, 30, tzinfo=UTC)  # already Saturday in Oslo
    deadline = NORWAY.end_of_day(admitted, days_after=2)
    assert deadline.replace(tzinfo=None) == datetime(2026, 3, 30, 23, 59, 59)  # noqa: DTZ001 (the local wall clock)


def test_end_of_day_refuses_a_day_before_the_event():
    with pytest.raises(ValueError, match="must not be negative"):
        NORWAY.end_of_day(oslo(2026, 3, 27, 12), days_after=-1)


def test_a_time_skipped_by_spring_forward_moves_forward_by_the_gap():
    moved = NORWAY.at_local(date(2026, 3, 29), time(2, 30))
    assert moved.replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)  # noqa: DTZ001 (the local wall clock)
    assert moved.utcoffset() == timedelta(hours=2)
    assert moved.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_time_repeated_by_fall_back_is_its_first_occurrence():
    first = DENMARK.at_local(date(2026, 10, 25), time(2, 30))
    assert first.replace(tzinfo=None) == datetime(2026, 10, 25, 2, 30)  # noqa: DTZ001 (the local wall clock)
    assert first.utcoffset() == timedelta(hours=2)
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# Deadlines and windows


@pytest.mark.parametrize("calendar", BOTH, ids=lambda c: c.country)
def test_noon_before_the_tuesday_after_easter_is_the_wednesday_before_maundy_thursday(calendar):
    deadline = calendar.noon_on_last_working_day_before(date(2026, 4, 7))
    assert deadline.replace(tzinfo=None) == datetime(2026, 4, 1, 12)  # noqa: DTZ001 (the local wall clock)
    assert deadline.utcoffset() == timedelta(hours=2)


def test_noon_before_a_monday_is_the_friday_before():
    deadline = NORWAY.noon_on_last_working_day_before(date(2026, 11, 23))
    assert deadline == oslo(2026, 11, 20, 12)


@pytest.mark.parametrize(
    ("instant", "inside"),
    [
        (oslo(2026, 11, 20, 14, 59, 59), True),
        (oslo(2026, 11, 20, 15), False),
        (oslo(2026, 11, 20, 8), True),
        (oslo(2026, 11, 20, 7, 59), False),
        (oslo(2026, 11, 21, 10), False),
        (oslo(2026, 5, 14, 10), False),
        (datetime(2026, 11, 20, 13, 30, tzinfo=UTC), True),
        (datetime(2026, 11, 20, 14, 30, tzinfo=UTC), False),
    ],
    ids=[
        "friday-14:59:59",
        "friday-15:00",
        "friday-08:00",
        "friday-07:59",
        "saturday-10:00",
        "ascension-10:00",
        "utc-13:30-is-14:30-local",
        "utc-14:30-is-15:30-local",
    ],
)
def test_notices_are_welcome_from_eight_until_before_three_on_working_days(instant, inside):
    assert NORWAY.in_window(instant) is inside


def test_the_window_follows_each_countrys_holidays():
    labour_day = datetime(2026, 5, 1, 10, tzinfo=OSLO)
    assert not NORWAY.in_window(labour_day)
    assert DENMARK.in_window(labour_day)


def test_the_window_can_be_given_other_hours():
    assert NORWAY.in_window(oslo(2026, 11, 20, 7), start=time(7), end=time(9))
    assert not NORWAY.in_window(oslo(2026, 11, 20, 9), start=time(7), end=time(9))


# Refusals


@pytest.mark.parametrize(
    "call",
    [
        lambda: NORWAY.local(datetime(2026, 3, 28, 12)),  # noqa: DTZ001 (naive on purpose)
        lambda: NORWAY.after_hours(datetime(2026, 3, 28, 12), 24),  # noqa: DTZ001 (naive on purpose)
        lambda: NORWAY.end_of_day(datetime(2026, 3, 28, 12), days_after=1),  # noqa: DTZ001 (naive on purpose)
        lambda: NORWAY.in_window(datetime(2026, 3, 28, 12)),  # noqa: DTZ001 (naive on purpose)
        lambda: elapsed(datetime(2026, 3, 28, 12), oslo(2026, 3, 28, 13)),  # noqa: DTZ001 (naive on purpose)
    ],
    ids=["local", "after_hours", "end_of_day", "in_window", "elapsed"],
)
def test_a_time_without_utc_offset_is_refused(call):
    with pytest.raises(ValueError, match="must include a UTC offset"):
        call()


def test_a_clock_time_with_an_offset_is_refused():
    with pytest.raises(ValueError, match="wall-clock time"):
        NORWAY.at_local(date(2026, 3, 28), time(12, tzinfo=UTC))


def test_an_unknown_country_is_refused_by_name():
    with pytest.raises(ValueError, match="'SE'"):
        Calendar.for_country("SE")


# Properties


@PROPERTY
@given(calendar=calendars, instant=instants, hours=st.floats(min_value=0, max_value=500))
def test_after_hours_adds_exactly_that_much_real_time(calendar, instant, hours):
    later = calendar.after_hours(instant, hours)
    assert later.tzinfo == calendar.zone
    assert later.astimezone(UTC) - instant.astimezone(UTC) == timedelta(hours=hours)
    assert elapsed(instant, later) == timedelta(hours=hours)
    assert later.astimezone(UTC) >= instant.astimezone(UTC)


@PROPERTY
@given(calendar=calendars, day=days)
def test_working_day_on_or_before_is_the_nearest_working_day_not_after(calendar, day):
    found = calendar.working_day_on_or_before(day)
    assert found <= day
    assert calendar.is_working_day(found)
    between = (found + timedelta(days=n) for n in range(1, (day - found).days))
    assert not any(calendar.is_working_day(d) for d in between)


@PROPERTY
@given(calendar=calendars, day=days)
def test_next_working_day_is_the_nearest_working_day_after(calendar, day):
    found = calendar.next_working_day(day)
    assert found > day
    assert calendar.is_working_day(found)
    between = (day + timedelta(days=n) for n in range(1, (found - day).days))
    assert not any(calendar.is_working_day(d) for d in between)


@PROPERTY
@given(calendar=calendars, day=days)
def test_noon_before_a_day_is_noon_on_a_working_day_before_it_starts(calendar, day):
    deadline = calendar.noon_on_last_working_day_before(day)
    assert deadline < calendar.at_local(day, time(0))
    assert deadline.tzinfo == calendar.zone
    assert deadline.time() == time(12)
    assert calendar.is_working_day(deadline.date())
    between = (deadline.date() + timedelta(days=n) for n in range(1, (day - deadline.date()).days))
    assert not any(calendar.is_working_day(d) for d in between)


@PROPERTY
@given(calendar=calendars, instant=instants)
def test_local_times_are_on_winter_or_summer_time(calendar, instant):
    moment = calendar.local(instant)
    assert moment.utcoffset() in {timedelta(hours=1), timedelta(hours=2)}
    assert moment.astimezone(UTC) == instant.astimezone(UTC)


@PROPERTY
@given(calendar=calendars, instant=instants)
def test_the_window_is_only_open_on_working_days(calendar, instant):
    if calendar.in_window(instant):
        moment = calendar.local(instant)
        assert calendar.is_working_day(moment.date())
        assert time(8) <= moment.time() < time(15)


@PROPERTY
@given(calendar=calendars, instant=instants, days_after=st.integers(min_value=0, max_value=60))
def test_end_of_day_is_the_last_second_of_the_local_day(calendar, instant, days_after):
    deadline = calendar.end_of_day(instant, days_after=days_after)
    assert deadline.time() == time(23, 59, 59)
    assert deadline.date() == calendar.local(instant).date() + timedelta(days=days_after)
    next_midnight = calendar.at_local(deadline.date() + timedelta(days=1), time(0))
    assert elapsed(deadline, next_midnight) == timedelta(seconds=1)


@PROPERTY
@given(calendar=calendars, day=days, clock=st.times())
def test_at_local_shows_the_asked_time_or_the_time_a_gap_later(calendar, day, clock):
    moment = calendar.at_local(day, clock)
    asked = datetime.combine(day, clock)
    shown = moment.replace(tzinfo=None)
    assert shown - asked in {timedelta(0), timedelta(hours=1)}
    if shown != asked:  # only in the hour skipped when summer time starts
        assert day.month == 3
        assert moment.utcoffset() == timedelta(hours=2)
