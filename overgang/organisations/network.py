"""The agreements a user runs as a member of their network group (N10–N13), and those whose
shared capacity they follow (N11).

A network-group membership in an organisation makes its holder a member of the group of
each agreement that organisation works under: Region Nordjylland's member sits in the
Nordjylland group, Aalborg kommune's too. A member acts only for those agreements; the
superuser for every one. A contact-committee membership (at a hospital, 003 5.1 and 6)
lets its holder follow the capacity and the indicators of the agreements their organisation
works under, and nothing of the group's tools. Neither sees a patient: nothing here widens
`restrict`."""

from __future__ import annotations

from typing import Any

from overgang import clock
from overgang.organisations.agreements import agreements_of
from overgang.organisations.permissions import (
    FOLLOW_CAPACITY,
    NETWORK,
    is_unrestricted,
    memberships_for,
)
from overgang.rules.registry import Agreement, all_agreements


def _agreements_for(user: Any, action: str) -> dict[str, Agreement]:
    """The agreements (by id, the version in force today) of the user's memberships that
    allow `action`; every agreement for the superuser."""
    if is_unrestricted(user):
        in_force: dict[str, Agreement] = {}
        for agreement in all_agreements():
            if agreement.in_force(clock.today(agreement.time_zone)):
                in_force[agreement.id] = agreement  # ordered by date: the latest begun wins
        return in_force
    found: dict[str, Agreement] = {}
    for membership in memberships_for(user, action):
        found.update((a.id, a) for a in agreements_of(membership.organisation))
    return found


def network_agreements(user: Any) -> dict[str, Agreement]:
    """The agreements (by id, the version in force today) whose network group the user sits
    in; every agreement for the superuser; empty for everyone else."""
    return _agreements_for(user, NETWORK)


def sits_in(user: Any, agreement_id: str) -> bool:
    """Whether the user is a member of the agreement's network group (or the superuser)."""
    return agreement_id in network_agreements(user)


def capacity_agreements(user: Any) -> dict[str, Agreement]:
    """The agreements whose shared capacity and indicators the user follows, read-only: the
    network group's and the contact committee's members', each for the agreements their
    organisation works under; every agreement for the superuser."""
    return _agreements_for(user, FOLLOW_CAPACITY)
