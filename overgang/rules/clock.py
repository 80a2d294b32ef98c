"""Which day it is on an agreement's clock. Pure Python: the caller brings the instant.

Each agreement file names its ``time_zone`` (Oslo, UNN and HNT: Europe/Oslo;
Nordjylland: Europe/Copenhagen). A date written on a case, a requisition or a
letter is a date on that clock, not on the server's: at 23:30 UTC it is already
the next day in Oslo and Copenhagen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from overgang.rules.registry import all_agreements

# Where no agreement is known yet (a case without a date picks its agreement by
# today's date): Norway's clock. Three of the four agreements keep it, and Oslo and
# Copenhagen show the same time all year, so the day is the same either way.
FALLBACK_COUNTRY = "NO"


@cache
def zone(time_zone: str) -> ZoneInfo:
    return ZoneInfo(time_zone)


@cache
def country_time_zone(country: str) -> str:
    """The zone the agreements of a country ("NO", "DK") keep, read from their files."""
    zones = {a.time_zone for a in all_agreements() if a.country == country}
    if len(zones) != 1:
        raise ValueError(f"the agreements of {country!r} name the time zones {sorted(zones)}")
    return zones.pop()


def day_at(instant: datetime, time_zone: str) -> date:
    """The calendar day of an aware instant on the clock of ``time_zone``."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant.isoformat()} must include a UTC offset")
    return instant.astimezone(zone(time_zone)).date()


def today_on_agreements_clock(now: datetime | None = None) -> date:
    """Today before any agreement is known, on the fallback country's clock."""
    return day_at(now or datetime.now(UTC), country_time_zone(FALLBACK_COUNTRY))
