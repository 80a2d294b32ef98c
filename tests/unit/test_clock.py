"""Today is the day on the agreement's clock, not the server's (UTC) day."""

import datetime
from unittest import mock

import pytest

from overgang import clock
from overgang.rules.clock import country_time_zone, day_at

# Half past eleven at night in UTC: already the first of February in Oslo and Copenhagen.
LATE_EVENING_UTC = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def late_evening():
    with mock.patch("django.utils.timezone.now", return_value=LATE_EVENING_UTC):
        yield


def test_each_country_keeps_the_zone_its_agreements_name():
    assert country_time_zone("NO") == "Europe/Oslo"
    assert country_time_zone("DK") == "Europe/Copenhagen"


@pytest.mark.parametrize("zone", ["Europe/Oslo", "Europe/Copenhagen"])
def test_at_half_past_eleven_utc_it_is_already_tomorrow_on_the_agreements_clock(late_evening, zone):
    assert clock.now() == LATE_EVENING_UTC
    assert clock.today(zone) == datetime.date(2026, 2, 1)
    assert LATE_EVENING_UTC.date() == datetime.date(2026, 1, 31)


@pytest.mark.parametrize("country", ["NO", "DK"])
def test_today_in_a_country_follows_its_agreements(late_evening, country):
    assert clock.today_in(country) == datetime.date(2026, 2, 1)


def test_without_a_zone_today_is_on_the_settings_clock_outside_a_request(late_evening):
    assert clock.today() == datetime.date(2026, 2, 1)


def test_a_time_without_an_offset_has_no_day():
    with pytest.raises(ValueError, match="UTC offset"):
        day_at(datetime.datetime(2026, 1, 31, 23, 30), "Europe/Oslo")  # noqa: DTZ001 (naive on purpose)
