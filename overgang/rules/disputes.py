"""Disputes between the hospital and the municipality about who pays for or delivers an aid
(N13). Pure Python: no Django here.

The route is the agreement's own: its `[dispute]` section (in nordjylland-2024.toml, seed 003
section 8 and 5.1) names the levels, lowest first, with their citations, and what the party
closest to the citizen is told. An agreement without that section names no procedure (the
Norwegian routines 000, 001, 002, 004 name none).
"""

from __future__ import annotations

from overgang.rules.clock import today_on_agreements_clock
from overgang.rules.registry import DisputeRoute, RulesError, agreement_by_id

__all__ = ["DisputeRoute", "NoDisputeRoute", "closest_party", "next_level", "route_for"]


class NoDisputeRoute(ValueError):
    """The agreement names no procedure for disputes."""


def route_for(agreement_id: str) -> DisputeRoute:
    """The dispute route of the agreement's version in force today."""
    try:
        agreement = agreement_by_id(agreement_id, on=today_on_agreements_clock())
    except RulesError:
        raise NoDisputeRoute(agreement_id) from None
    if agreement.dispute is None:
        raise NoDisputeRoute(agreement_id)
    return agreement.dispute


def closest_party(agreement_id: str, *, in_hospital: bool) -> tuple[str, dict[str, str], list[str]]:
    """Who delivers at once while the parties disagree: the party closest to the citizen."""
    route = route_for(agreement_id)
    party = "hospital" if in_hospital else "municipality"
    return party, dict(route.closest[party]), list(route.cites)


def next_level(agreement_id: str, level: str) -> str | None:
    """The level above `level`, or None at the top."""
    levels = route_for(agreement_id).levels
    index = levels.index(level)
    return levels[index + 1] if index + 1 < len(levels) else None
