"""Disputes between the hospital and the municipality about who pays for or delivers an aid
(N13). Pure Python: no Django here.

Seed 003 section 8: doubt about which authority pays must never harm the citizen; the
authority closest to the citizen delivers at once and payment is settled afterwards, at the
lowest level possible — directly between the hospital department's management and the
municipal allocation (visitatorer). Section 5.1: the contact committees follow the area at
each hospital, and the network group helps clear up disputes when asked. The Norwegian
routines (000, 001, 002, 004) name no such procedure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DisputeRoute:
    levels: tuple[str, ...]  # lowest first
    cites: tuple[str, ...]
    level_cites: dict[str, tuple[str, ...]]


ROUTES: dict[str, DisputeRoute] = {
    "nordjylland": DisputeRoute(
        levels=("lowest", "contact-committee", "network-group"),
        cites=("003 8",),
        level_cites={
            "lowest": ("003 8",),
            "contact-committee": ("003 5.1",),
            "network-group": ("003 5.1",),
        },
    )
}

CLOSEST: dict[str, dict[str, str]] = {
    "hospital": {
        "nb": "Borgeren er innlagt: sykehuset er nærmest og leverer straks; "
        "betalingen avklares etterpå.",
        "da": "Borgeren er indlagt: hospitalet har tættest kontakt og leverer straks; "
        "betalingen afklares efterfølgende.",
        "en": "The citizen is in hospital: the hospital is closest and delivers at once; "
        "payment is settled afterwards.",
    },
    "municipality": {
        "nb": "Borgeren er hjemme: kommunen er nærmest og leverer straks; "
        "betalingen avklares etterpå.",
        "da": "Borgeren er hjemme: kommunen har tættest kontakt og leverer straks; "
        "betalingen afklares efterfølgende.",
        "en": "The citizen is at home: the municipality is closest and delivers at once; "
        "payment is settled afterwards.",
    },
}


class NoDisputeRoute(ValueError):
    """The agreement names no procedure for disputes."""


def route_for(agreement_id: str) -> DisputeRoute:
    try:
        return ROUTES[agreement_id]
    except KeyError:
        raise NoDisputeRoute(agreement_id) from None


def closest_party(agreement_id: str, *, in_hospital: bool) -> tuple[str, dict[str, str], list[str]]:
    """Who delivers at once while the parties disagree: the party closest to the citizen."""
    route = route_for(agreement_id)
    party = "hospital" if in_hospital else "municipality"
    return party, dict(CLOSEST[party]), list(route.cites)


def next_level(agreement_id: str, level: str) -> str | None:
    """The level above `level`, or None at the top."""
    levels = route_for(agreement_id).levels
    index = levels.index(level)
    return levels[index + 1] if index + 1 < len(levels) else None
