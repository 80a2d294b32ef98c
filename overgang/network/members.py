"""Who sits in an agreement's network group, by side, and who works under an agreement.

The group of an agreement is the users with a network-group membership in an organisation
that works under it (`agreements_of`): each municipality's, and the hospital's (in Denmark
the region's) side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from overgang.network.models import Chair
from overgang.organisations.agreements import agreements_of
from overgang.organisations.models import Kind, Membership, Organisation, Role
from overgang.organisations.permissions import is_unrestricted, memberships_of
from overgang.rules.registry import Agreement


@dataclass
class Seat:
    user: User
    organisation: Organisation
    chair: bool


@dataclass
class Side:
    """One side of the group: a municipality, or the hospital (region)."""

    name: str
    hospital: bool
    seats: list[Seat] = field(default_factory=list)


def member_memberships(agreement: Agreement) -> list[Membership]:
    """The network-group memberships whose organisation works under the agreement."""
    found = Membership.objects.filter(role=Role.NETWORK_GROUP).select_related(
        "user", "organisation__parent__parent__parent__parent"
    )
    return [
        m
        for m in found
        if m.user.is_active and agreement.id in {a.id for a in agreements_of(m.organisation)}
    ]


def members(agreement: Agreement) -> set[int]:
    """The user ids of the agreement's group."""
    return {m.user_id for m in member_memberships(agreement)}


def sides(agreement: Agreement) -> list[Side]:
    """The group by side: the hospital first, then each municipality of the agreement in its
    order; a side without a member has no seats (the page says so)."""
    chairs = set(Chair.objects.filter(agreement=agreement.id).values_list("user_id", flat=True))
    hospital = Side(name=agreement.hospital.name, hospital=True)
    towns = {m.number: Side(name=m.name, hospital=False) for m in agreement.municipalities}
    for membership in member_memberships(agreement):
        organisation = membership.organisation
        seat = Seat(membership.user, organisation, membership.user_id in chairs)
        if organisation.is_municipal_side:
            municipality = organisation.nearest(Kind.MUNICIPALITY)
            side = towns.get(municipality.number if municipality else "")
            if side is not None:
                side.seats.append(seat)
        else:
            hospital.seats.append(seat)
    return [hospital, *towns.values()]


def works_under(user: Any, agreement_id: str) -> tuple[bool, Organisation | None]:
    """Whether the user works under the agreement, and the organisation they do it for (the
    first of theirs that does; None for the superuser)."""
    if is_unrestricted(user):
        return True, None
    for membership in memberships_of(user):
        if agreement_id in {a.id for a in agreements_of(membership.organisation)}:
            return True, membership.organisation
    return False, None


def agreements_worked_under(user: Any) -> dict[str, Agreement]:
    """The agreements in force that the user works under, by id."""
    if is_unrestricted(user):
        from overgang.organisations.network import network_agreements

        return network_agreements(user)
    found: dict[str, Agreement] = {}
    for membership in memberships_of(user):
        found.update((a.id, a) for a in agreements_of(membership.organisation))
    return found
