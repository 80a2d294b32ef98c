"""Working days and local clock times for the deadlines of the cooperation agreements.

Pure Python (stdlib and ``holidays``): no Django import here, so the deadline engine
can be tested without a database.

The agreements speak in local wall-clock terms ("senest kl. 12 hverdagen før",
"innen utgangen av dag 2", "helst 08–15 på hverdager") in Europe/Oslo or
Europe/Copenhagen, while instants are stored in UTC. Everything that turns one into
the other lives here, so that daylight saving time and public holidays are handled
once. Public holidays are exactly the ``holidays`` package's *public* category for
the country: no extras (Christmas Eve, New Year's Eve and Danish Grundlovsdag are
ordinary working days here, as the package says).

Beware when using the results: Python adds and subtracts aware datetimes that share
one ``ZoneInfo`` by wall clock, ignoring the offset. Use :func:`elapsed` and
:meth:`Calendar.after_hours` for real durations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from overgang.rules.clock import country_time_zone

CALENDAR_COUNTRIES = ("DK", "NO")

NOON = time(12)
END_OF_DAY = time(23, 59, 59)
_SATURDAY = 5


@cache
def _public_holidays(country: str) -> holidays.HolidayBase:
    """One holiday table per country: the package fills in each year on first use."""
    return holidays.country_holidays(country)


def _require_offset(instant: datetime, name: str = "instant") -> None:
    """A naive datetime could be read in any zone; a deadline computed from it would be a guess."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} {instant.isoformat()} must include a UTC offset")


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two aware instants, also across a change of daylight saving time.

    ``end - start`` would compare wall clocks when both share a zone, which is an
    hour off across the change.
    """
    _require_offset(start, "start")
    _require_offset(end, "end")
    return end.astimezone(UTC) - start.astimezone(UTC)


@dataclass(frozen=True)
class Calendar:
    """The working days and local clock of one country's agreements."""

    country: str
    zone: ZoneInfo

    @classmethod
    def for_country(cls, country: str, time_zone: str | None = None) -> Calendar:
        """The calendar of "NO" or "DK", on its agreements' clock unless ``time_zone`` is given."""
        if country not in CALENDAR_COUNTRIES:
            known = ", ".join(CALENDAR_COUNTRIES)
            raise ValueError(f"no calendar for country {country!r}; known: {known}")
        return cls(country=country, zone=ZoneInfo(time_zone or country_time_zone(country)))

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a public holiday: the days the agreements count."""
        return day.weekday() < _SATURDAY and day not in _public_holidays(self.country)

    def local(self, instant: datetime) -> datetime:
        """The same instant on the local wall clock, which is what the agreements mean."""
        _require_offset(instant)
        return instant.astimezone(self.zone)

    def at_local(self, day: date, clock: time) -> datetime:
        """The instant the local wall clock shows ``clock`` on ``day``.

        A time that does not exist (the hour skipped when summer time starts) is moved
        forward by the length of the gap: 02:30 becomes 03:30, so a deadline is never
        earlier than the clock time written in the agreement. A time that occurs twice
        (when summer time ends) is the first occurrence (``fold=0``), the earlier and
        so stricter deadline.
        """
        if clock.tzinfo is not None:
            raise ValueError(f"clock {clock.isoformat()} must be a wall-clock time without offset")
        wall = datetime.combine(day, clock.replace(fold=0), tzinfo=self.zone)
        # For a skipped time zoneinfo uses the offset before the gap; the round trip
        # through UTC lands on the valid wall clock that lies the gap's length later.
        return wall.astimezone(UTC).astimezone(self.zone)

    def after_hours(self, instant: datetime, hours: float) -> datetime:
        """The instant ``hours`` of real time later (24 h across a clock change is 23 or 25 on
        the wall clock), on the local clock."""
        _require_offset(instant)
        return self.local(instant.astimezone(UTC) + timedelta(hours=hours))

    def end_of_day(self, instant: datetime, days_after: int) -> datetime:
        """The end of the local day ``days_after`` days after the local day of ``instant``.

        Day 0 is the instant's own local day. The end is 23:59:59 local (microseconds
        zero), the time people read on a deadline; the last fraction of a second of the
        day counts as late, a simplification we accept over 23:59:59.999999.
        """
        if days_after < 0:
            raise ValueError(f"days_after must not be negative, got {days_after}")
        day = self.local(instant).date() + timedelta(days=days_after)
        return self.at_local(day, END_OF_DAY)

    def working_day_on_or_before(self, day: date) -> date:
        """``day`` if people work then, else the last working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def first_working_day_on_or_after(self, day: date) -> date:
        """``day`` if people work then, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.first_working_day_on_or_after(day + timedelta(days=1))

    def noon_on_last_working_day_before(self, day: date) -> datetime:
        """12:00 local on the last working day strictly before ``day``.

        For "senest kl. 12 hverdagen før udskrivningstidspunktet": a discharge on the
        Tuesday after Easter is to be announced by Wednesday before Maundy Thursday.
        """
        return self.at_local(self.working_day_on_or_before(day - timedelta(days=1)), NOON)

    def in_window(self, instant: datetime, start: time = time(8), end: time = time(15)) -> bool:
        """Whether ``instant`` falls in the preferred hours for notices on a working day.

        The window is start inclusive, end exclusive: with the defaults 08:00:00 is
        inside and 15:00:00 is already outside, so "08–15" means before three o'clock.
        """
        moment = self.local(instant)
        return self.is_working_day(moment.date()) and start <= moment.time() < end
