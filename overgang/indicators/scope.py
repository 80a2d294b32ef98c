"""Whose indicators a user sees: their own organisations' (the hospital side by its trust,
region or hospital; the municipal side by its municipality), every one of the agreements
whose capacity they follow (their network group's or contact committee's), and everything
for the superuser. A stay filter (a `Q`)
on the `Stay` columns, so that every figure is one aggregate query."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from overgang.organisations.agreements import agreements_of
from overgang.organisations.models import Kind
from overgang.organisations.network import capacity_agreements
from overgang.organisations.permissions import VIEW, is_unrestricted, memberships_for
from overgang.rules.registry import Agreement


def agreements_seen(user: Any) -> dict[str, Agreement]:
    """The agreements (by id) whose indicators the user sees, some or all of them."""
    found = dict(capacity_agreements(user))
    for membership in memberships_for(user, VIEW):
        found.update((a.id, a) for a in agreements_of(membership.organisation))
    return dict(sorted(found.items()))


def stays_seen(user: Any, agreement_id: str) -> Q | None:
    """The stays of the agreement whose figures the user sees (None: none of them)."""
    if agreement_id not in agreements_seen(user):
        return None
    whole = Q(agreement=agreement_id)
    if is_unrestricted(user) or agreement_id in capacity_agreements(user):
        return whole
    own = Q(pk__in=[])
    for membership in memberships_for(user, VIEW):
        organisation = membership.organisation
        if agreement_id not in {a.id for a in agreements_of(organisation)}:
            continue
        if organisation.is_municipal_side:
            municipality = organisation.nearest(Kind.MUNICIPALITY)
            if municipality is not None:
                own |= Q(municipality=municipality)
        elif organisation.kind in (Kind.TRUST, Kind.REGION):
            own |= Q(trust=organisation)
        elif (hospital := organisation.nearest(Kind.HOSPITAL)) is not None:
            own |= Q(hospital=hospital)
        elif (trust := organisation.nearest(Kind.TRUST, Kind.REGION)) is not None:
            own |= Q(trust=trust)
    return whole & own
