"""Now and today, on the clock of the agreement the work falls under.

The one place the rest of the project asks for the current instant or the current
day. An instant has no zone; a day does: pass the ``time_zone`` of the agreement
(a stay's, a requisition's, ``Agreement.time_zone``) or the country of the
organisation whose day it is. ``django.utils.timezone.now`` is the single source,
so a test moves every clock at once by patching it.

Model fields keep ``default=timezone.now``: the migrations record that reference, and
pointing it here would add migrations that change nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from overgang.rules.clock import country_time_zone, day_at, zone


def now() -> datetime.datetime:
    """The current instant, aware (UTC)."""
    return timezone.now()


def local_now(time_zone: str | None = None) -> datetime.datetime:
    """Now on the wall clock of ``time_zone``; without one, on the reader's (see `today`)."""
    if time_zone is None:
        return timezone.localtime(now())
    return now().astimezone(zone(time_zone))


def today(time_zone: str | None = None) -> datetime.date:
    """Today on the clock of ``time_zone`` (an agreement's zone).

    Without one, the reader's clock: the zone of the country the signed-in user works in,
    which ``UserTimezoneMiddleware`` activates; outside a request, ``settings.TIME_ZONE``
    (Europe/Oslo, where three of the four agreements are).
    """
    if time_zone is None:
        return timezone.localdate(now())  # noqa: TID251 (this is the wrapper)
    return day_at(now(), time_zone)


def today_in(country: str) -> datetime.date:
    """Today for an organisation of ``country`` ("NO", "DK"), on its agreements' clock."""
    return today(country_time_zone(country))
