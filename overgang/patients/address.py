"""Reading a registered address typed by a person: municipality, district, responsible hospital."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from overgang import clock, rules
from overgang.errors import InvalidInput
from overgang.organisations import access_cache
from overgang.organisations.models import Kind, Organisation
from overgang.rules.registry import fold, normalise_municipality


@dataclass(frozen=True)
class Address:
    municipality: Organisation
    district: Organisation | None
    responsible_hospital: Organisation | None


def find_municipality(text: str) -> Organisation:
    """By name ('Oslo', 'oslo kommune', 'Aalborg Kommune') or by official number."""
    wanted = normalise_municipality(str(text))
    if not wanted:
        raise InvalidInput({"municipality": _("Enter the municipality.")})
    for municipality in Organisation.objects.filter(kind=Kind.MUNICIPALITY):
        if wanted in (normalise_municipality(municipality.name), municipality.number):
            return municipality
    raise InvalidInput({"municipality": _("Unknown municipality: %(name)s.") % {"name": text}})


def _district_name(text: str) -> str:
    folded = fold(text)
    return folded.removeprefix("bydel ").strip()


def find_district(municipality: Organisation, text: str) -> Organisation | None:
    if not (text or "").strip():
        return None
    wanted = _district_name(text)
    for district in Organisation.objects.filter(kind=Kind.DISTRICT, parent=municipality):
        if wanted in (_district_name(district.name), district.number):
            return district
    raise InvalidInput(
        {
            "district": _("%(district)s is not a district of %(municipality)s.")
            % {"district": text, "municipality": municipality.name}
        }
    )


def resolve_address(
    municipality_text: str, district_text: str = "", *, on: datetime.date | None = None
) -> Address:
    """Find the municipality and district and ask the agreement which hospital serves them (O1)."""
    municipality = find_municipality(municipality_text)
    return address_in(municipality, find_district(municipality, district_text), on=on)


def address_in(
    municipality: Organisation, district: Organisation | None, *, on: datetime.date | None = None
) -> Address:
    """The address of the municipality and district found already (a message names them by
    their register ids): the district required where the municipality has them."""
    register = access_cache.current_register()
    has_districts = register.child(municipality.pk, Kind.DISTRICT) is not None
    if has_districts and district is None:
        raise InvalidInput(
            {"district": _("Choose the district of %(name)s.") % {"name": municipality.name}}
        )
    return Address(
        municipality=municipality,
        district=district,
        responsible_hospital=_responsible_hospital(municipality, district, register, on=on),
    )


def _responsible_hospital(
    municipality: Organisation,
    district: Organisation | None,
    register: access_cache.Register,
    *,
    on: datetime.date | None,
) -> Organisation | None:
    on = on or clock.today_in(municipality.country)
    try:
        hospital = rules.responsible_hospital(
            municipality.number, _district_name(district.name) if district else None, on=on
        )
    except rules.UnknownMunicipality:
        return None  # a municipality no agreement covers: no hospital follows from the address
    return register.with_key(hospital.key)
