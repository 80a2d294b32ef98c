"""Who applies to NAV Hjelpemiddelsentral, as the agreements say it (H2, H5). Pure Python.

An agreement routes an aid to NAV when a rule has NAV deliver it (HNT's 002 2: a technical
aid for a need over two years, or terminal care); the party holding that rule's duty
"application" applies, unless a rule that overrides it names another (HNT's 002 1: the
hospital applies for a specially fitted aid needed for the journey home). An agreement
whose rules never name NAV routes nothing there (Oslo's 000 and UNN's 001 cover treatment
aids only; Nordjylland's 003 is Danish): no NAV application is offered or registered under it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from overgang.rules.registry import Agreement, all_agreements

NAV = "nav"


@dataclass(frozen=True)
class NavRoute:
    """The party that applies to NAV, with the rule and sections that say so."""

    applicant: str  # "municipality" or "hospital"
    rule: str
    cites: tuple[str, ...]
    text: Mapping[str, str]


def _nav_rules(agreement: Agreement) -> frozenset[str]:
    return frozenset(
        rule.id
        for rule in agreement.rules
        if any(duty.party == NAV for duty in rule.duties.values())
    )


def nav_applicants(agreement: Agreement) -> tuple[NavRoute, ...]:
    """Every way the agreement has a party apply to NAV, in file order; empty where it
    routes nothing to NAV."""
    routed = _nav_rules(agreement)
    found = []
    for rule in agreement.rules:
        if rule.id not in routed and not rule.overrides & routed:
            continue
        duty = rule.duties.get("application")
        if duty is not None and duty.party != NAV:
            found.append(NavRoute(duty.party, rule.id, duty.cites, rule.text))
    return tuple(found)


def applying_parties(agreement: Agreement) -> frozenset[str]:
    """The parties that apply to NAV under the agreement (none: it routes nothing there)."""
    return frozenset(route.applicant for route in nav_applicants(agreement))


def nav_application(decision: Mapping[str, Any]) -> NavRoute | None:
    """The application to NAV an answer of `decide` asks for: NAV delivers and a party
    applies. None when NAV delivers nothing in this case."""
    duties = decision.get("duties") or {}
    delivery = duties.get("delivery")
    application = duties.get("application")
    if not delivery or delivery.get("party") != NAV or not application:
        return None
    return NavRoute(
        applicant=str(application["party"]),
        rule=str(application.get("rule", "")),
        cites=tuple(application.get("cites", ())),
        text={},
    )


def agreements_of_hospital(hospital_key: str, *, on: datetime.date) -> tuple[Agreement, ...]:
    """The agreements in force on `on` under which the hospital (trust or region) serves
    a catchment area, itself or for some districts."""
    return tuple(
        agreement
        for agreement in all_agreements()
        if agreement.in_force(on)
        and (
            agreement.hospital.key == hospital_key
            or any(e.hospital.key == hospital_key for e in agreement.exceptions)
        )
    )
