"""What each role may do, as `rules` permissions.

Row-level scope (which patients) is decided by `restrict(user, action)` on each model's
queryset (see `overgang.patients.access`);
this module only says which roles may attempt an action at all. A membership
grants its actions within its own organisation's scope only.
"""

from __future__ import annotations

from typing import Any

import rules

from overgang.organisations import access_cache
from overgang.organisations.models import Membership, Role

VIEW = "view"
CHANGE = "change"
AUDIT = "audit"
MANAGE_DEVICES = "manage-devices"
# Handing over received messages, for an organisation and those under it (integration
# accounts), and working the inbox of rejected ones (their admins).
RECEIVE = "receive"
MANAGE_MESSAGES = "manage-messages"
# Deciding the requisitions sent to a unit: the unit's staff, who manage its devices.
DECIDE = "decide"
# Running an agreement's network-group tools (N10–N13): the case catalogue, revising the
# agreement with four eyes, meetings and answering delimitation questions. A
# member acts for the agreements their organisation works under
# (overgang/organisations/network.py), and sees no patient.
NETWORK = "network"
# Following an agreement's shared capacity and its indicators (N11), read-only: the network
# group and the local contact committees, who discuss capacity (003 5.1, 6). For the
# agreements the member's organisation works under; no patient.
FOLLOW_CAPACITY = "follow-capacity"

ACTION_ROLES: dict[str, frozenset[str]] = {
    VIEW: frozenset(
        {
            Role.CLINICIAN,
            Role.PSYCHOLOGIST,
            Role.AIDS_STAFF,
            Role.DISCHARGE_COORDINATOR,
            Role.CASE_WORKER,
            Role.HOME_NURSE,
            Role.NURSING_HOME_STAFF,
            Role.DEPOT_STAFF,
            Role.ADMIN,
        }
    ),
    CHANGE: frozenset(
        {
            Role.CLINICIAN,
            Role.PSYCHOLOGIST,
            Role.AIDS_STAFF,
            Role.DISCHARGE_COORDINATOR,
            Role.CASE_WORKER,
            Role.ADMIN,
        }
    ),
    AUDIT: frozenset({Role.AUDITOR, Role.ADMIN}),
    MANAGE_DEVICES: frozenset({Role.AIDS_STAFF, Role.DEPOT_STAFF, Role.ADMIN}),
}
ACTION_ROLES[DECIDE] = ACTION_ROLES[MANAGE_DEVICES]
ACTION_ROLES[RECEIVE] = frozenset({Role.INTEGRATION})
ACTION_ROLES[MANAGE_MESSAGES] = frozenset({Role.INTEGRATION, Role.ADMIN})
ACTION_ROLES[NETWORK] = frozenset({Role.NETWORK_GROUP})
ACTION_ROLES[FOLLOW_CAPACITY] = frozenset({Role.NETWORK_GROUP, Role.CONTACT_COMMITTEE})


def is_unrestricted(user: Any) -> bool:
    """An active superuser may do everything, everywhere: the one place that says so."""
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships with their organisation's ancestry, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Membership] | None = getattr(user, "_overgang_memberships", None)
    if cached is None:
        # Between requests they are remembered while the access stamp stays the same.
        stamp = access_cache.stamp_of_request(user)
        cached = access_cache.recall_memberships(user.pk, stamp)
        if cached is None:
            cached = list(
                Membership.objects.filter(user=user).select_related(
                    "organisation__parent__parent__parent__parent"
                )
            )
            access_cache.keep_memberships(user.pk, stamp, cached)
        user._overgang_memberships = cached
    return cached


def memberships_for(user: Any, action: str) -> list[Membership]:
    """The memberships that allow `action`."""
    try:
        roles = ACTION_ROLES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}; known: {sorted(ACTION_ROLES)}") from None
    return [m for m in memberships_of(user) if m.role in roles]


def acts_for(user: Any, action: str, organisation: Any) -> bool:
    """Whether the user may take `action` for the organisation: a membership allowing it in
    the organisation or one above it."""
    if is_unrestricted(user):
        return True
    mine = {m.organisation_id for m in memberships_for(user, action)}
    return any(org.pk in mine for org in organisation.ancestors_and_self())


def _may(action: str) -> Any:
    @rules.predicate(name=f"may_{action}")
    def predicate(user: Any) -> bool:
        return is_unrestricted(user) or bool(memberships_for(user, action))

    return predicate


may_view = _may(VIEW)
may_change = _may(CHANGE)
may_audit = _may(AUDIT)
may_manage_devices = _may(MANAGE_DEVICES)
may_manage_messages = _may(MANAGE_MESSAGES)

rules.add_perm("patients.view_patient", may_view)
rules.add_perm("patients.add_patient", may_change)
rules.add_perm("patients.change_patient", may_change)
rules.add_perm("audit.view_patientread", may_audit)
rules.add_perm("aids.manage_device", may_manage_devices)
# The inbox of rejected messages, and trying one again.
rules.add_perm("exchange.change_received", may_manage_messages)
