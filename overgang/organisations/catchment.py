"""What the agreements say about an organisation: which agreement covers a municipality,
and which hospital serves its residents (O1), district by district where that differs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from overgang import clock, rules
from overgang.organisations.models import Kind, Organisation


@dataclass(frozen=True)
class Catchment:
    agreement: rules.Agreement
    hospital: rules.Hospital
    exceptions: list[tuple[str, rules.Hospital]]  # (district name, hospital)


def catchment_of(
    organisation: Organisation, *, on: datetime.date | None = None
) -> Catchment | None:
    municipality = organisation.nearest(Kind.MUNICIPALITY)
    if municipality is None:
        return None
    on = on or clock.today_in(municipality.country)
    try:
        agreement = rules.agreement_for_municipality(municipality.number, on=on)
    except rules.UnknownMunicipality:
        return None
    district = organisation.nearest(Kind.DISTRICT)
    if district is not None:
        hospital = rules.responsible_hospital(municipality.number, district.short_name, on=on)
        return Catchment(agreement=agreement, hospital=hospital, exceptions=[])
    covered = agreement.municipality(municipality.number)
    exceptions = []
    for name in covered.districts if covered else ():
        hospital = rules.responsible_hospital(municipality.number, name, on=on)
        if hospital != agreement.hospital:
            exceptions.append((name, hospital))
    return Catchment(agreement=agreement, hospital=agreement.hospital, exceptions=exceptions)
