"""The agreements an organisation works under: what its own routine is, on each side."""

from __future__ import annotations

from overgang import clock
from overgang.organisations.models import Kind, Organisation
from overgang.rules.nav import agreements_of_hospital
from overgang.rules.registry import Agreement, RulesError, agreement_for_municipality


def agreements_of(organisation: Organisation) -> tuple[Agreement, ...]:
    """The agreements in force today that the organisation works under: its municipality's,
    or those where its trust or region is the hospital."""
    on = clock.today_in(organisation.country)
    if organisation.is_municipal_side:
        municipality = organisation.nearest(Kind.MUNICIPALITY)
        if municipality is None:
            return ()
        try:
            return (agreement_for_municipality(municipality.number, on=on),)
        except RulesError:
            return ()
    if organisation.is_hospital_side:
        owner = organisation.nearest(Kind.TRUST, Kind.REGION)
        return agreements_of_hospital(owner.key, on=on) if owner else ()
    return ()
