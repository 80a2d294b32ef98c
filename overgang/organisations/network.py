"""The agreements a user runs as a member of their network group (N10–N13).

A network-group membership in an organisation makes its holder a member of the group of
each agreement that organisation works under: Region Nordjylland's member sits in the
Nordjylland group, Aalborg kommune's too. A member acts only for those agreements; the
superuser for every one. Members see no patient: nothing here widens `restrict`."""

from __future__ import annotations

from typing import Any

from overgang import clock
from overgang.organisations.agreements import agreements_of
from overgang.organisations.permissions import NETWORK, is_unrestricted, memberships_for
from overgang.rules.registry import Agreement, all_agreements


def network_agreements(user: Any) -> dict[str, Agreement]:
    """The agreements (by id, the version in force today) whose network group the user sits
    in; every agreement for the superuser; empty for everyone else."""
    if is_unrestricted(user):
        in_force: dict[str, Agreement] = {}
        for agreement in all_agreements():
            if agreement.in_force(clock.today(agreement.time_zone)):
                in_force[agreement.id] = agreement  # ordered by date: the latest begun wins
        return in_force
    found: dict[str, Agreement] = {}
    for membership in memberships_for(user, NETWORK):
        found.update((a.id, a) for a in agreements_of(membership.organisation))
    return found


def sits_in(user: Any, agreement_id: str) -> bool:
    """Whether the user is a member of the agreement's network group (or the superuser)."""
    return agreement_id in network_agreements(user)
