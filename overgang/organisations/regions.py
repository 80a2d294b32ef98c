"""The region a user works in: the organisations of the agreements their own organisations
work under. Lists of institutions to choose from show these, so that a case worker in Oslo
is never offered a Danish plejecenter, nor a physician in Levanger a nursing home in Tromsø.

An organisation belongs to an agreement through the tree the data gives: a nursing home or
district under one of the agreement's municipalities, a hospital or department under its
trust (or under the hospital it names for some districts), and the treatment-aids units
outside the trust that lend for it. A private hospital hangs under no one; it belongs where
its address's post town is one of the agreement's municipalities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from overgang import clock
from overgang.organisations.agreements import agreements_of
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import VIEW, is_unrestricted, memberships_for
from overgang.rules.registry import Agreement, all_agreements

# How deep an organisation sits under its municipality or trust: a nursing home under a
# district under Oslo kommune; a department under a hospital under a trust under a region.
DEPTH = 4


@dataclass(frozen=True)
class Region:
    agreements: tuple[Agreement, ...]
    # The countries of the user's organisations that work under no agreement (a GP
    # practice, a pharmacy): the nearest the data comes to their region.
    countries: frozenset[str]


def region_of(user: Any) -> Region | None:
    """The user's region; None for a user who works everywhere (the administrators)."""
    if is_unrestricted(user):
        return None
    agreements: dict[str, Agreement] = {}
    countries: set[str] = set()
    for membership in memberships_for(user, VIEW):
        organisation = membership.organisation
        found = (*agreements_of(organisation), *_lent_for(organisation))
        agreements.update((a.id, a) for a in found)
        if not found:
            countries.add(organisation.country)
    return Region(agreements=tuple(agreements.values()), countries=frozenset(countries))


def _lent_for(organisation: Organisation) -> tuple[Agreement, ...]:
    """The agreements that name this unit as the one lending to their hospital's patients
    (St. Olavs' regional unit for HNT)."""
    on = clock.today_in(organisation.country)
    return tuple(a for a in all_agreements() if a.in_force(on) and organisation.key in a.aids_units)


def _under(field: str, values: list[str]) -> Q:
    """Organisations whose own `field` or an ancestor's (up to DEPTH) is one of `values`."""
    found = Q(**{f"{field}__in": values})
    for depth in range(1, DEPTH + 1):
        found |= Q(**{f"{'parent__' * depth}{field}__in": values})
    return found


def _of_agreement(agreement: Agreement) -> Q:
    numbers = [m.number for m in agreement.municipalities]
    names = [m.name for m in agreement.municipalities]
    hospitals = [agreement.hospital.key, *(e.hospital.key for e in agreement.exceptions)]
    municipal = Q(kind=Kind.MUNICIPALITY, number__in=numbers)
    for depth in range(1, DEPTH + 1):
        parent = "parent__" * depth
        municipal |= Q(**{f"{parent}kind": Kind.MUNICIPALITY, f"{parent}number__in": numbers})
    private = Q(pk__in=[])
    for name in names:
        private |= Q(kind=Kind.PRIVATE_HOSPITAL, address__endswith=f" {name}")
    return Q(country=agreement.country) & (
        municipal | _under("key", hospitals) | Q(key__in=agreement.aids_units) | private
    )


def within_region(
    organisations: QuerySet[Organisation], region: Region | None
) -> QuerySet[Organisation]:
    """`organisations` limited to those of the region (all of them for no region)."""
    if region is None:
        return organisations
    found = Q(pk__in=[])
    for agreement in region.agreements:
        found |= _of_agreement(agreement)
    if region.countries:
        found |= Q(country__in=sorted(region.countries))
    return organisations.filter(found)
