"""Who may read an agreement's case catalogue (N1), and which version of it.

The people who own an agreement read its catalogue: anyone whose region works under it
(`region_of`), the members of its network group (`network_agreements`) and the superuser. Others are
told it does not exist (404), as for every object outside one's scope. The versions come
from `all_agreements()`, where versions made in the app will join the files' own."""

from __future__ import annotations

import datetime
from typing import Any

from overgang import clock
from overgang.organisations.network import network_agreements
from overgang.organisations.permissions import is_unrestricted
from overgang.organisations.regions import region_of
from overgang.rules.registry import Agreement, RulesError, agreement_by_id, all_agreements


def may_read(user: Any, agreement_id: str) -> bool:
    """May the user read the catalogue of the agreement?"""
    return agreement_id in readable(user)


def readable(user: Any) -> list[str]:
    """The ids of the agreements whose catalogue the user may read, by id."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = sorted({a.id for a in all_agreements()})
    if is_unrestricted(user):
        return ids
    region = region_of(user)
    mine = {a.id for a in region.agreements} if region is not None else set()
    mine |= set(network_agreements(user))
    return [agreement_id for agreement_id in ids if agreement_id in mine]


def versions(agreement_id: str) -> tuple[Agreement, ...]:
    """The agreement's versions, oldest first; empty for an unknown agreement."""
    return tuple(a for a in all_agreements() if a.id == agreement_id)


def today_of(agreement_id: str) -> datetime.date | None:
    """Today on the agreement's clock (its own time zone); None for an unknown agreement."""
    found = versions(agreement_id)
    return clock.today(found[-1].time_zone) if found else None


def version_on(agreement_id: str, day: datetime.date) -> Agreement | None:
    """The version in force on the day (the registry's own pick), None where none is."""
    try:
        return agreement_by_id(agreement_id, on=day)
    except RulesError:
        return None
