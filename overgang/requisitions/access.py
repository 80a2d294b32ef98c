"""Who acts on requisitions, swap reports, NAV applications and disputes.

Which of them a user sees is `restrict(user, VIEW)` on their querysets (a requisition: by
whoever may see the patient and by the treatment-aids unit it is sent to, which decides it:
`restrict(user, DECIDE)`). Here: clinicians (and the staff who register for them)
requisition; the unit's staff decide, reserve, deliver and handle appeals; the municipal
side reports swaps and the treatment-aids unit lends for them; whichever side the agreement
names applies to NAV; either party acts in a dispute.
"""

from __future__ import annotations

from typing import Any

from overgang.aids.access import managing_units
from overgang.organisations.agreements import agreements_of
from overgang.organisations.models import HOSPITAL_SIDE, MUNICIPAL_SIDE, Kind, Organisation
from overgang.organisations.permissions import CHANGE, VIEW, is_unrestricted, memberships_for
from overgang.patients.models import Patient
from overgang.requisitions.models import (
    Dispute,
    NavApplication,
    Requisition,
)
from overgang.rules.nav import applying_parties
from overgang.rules.registry import RulesError


def requesting_places(user: Any) -> list[Organisation]:
    """Where the user may requisition from: the organisations of their memberships that
    change patient data (a department, a nursing home, a practice), with the departments
    under a hospital."""
    places: dict[int, Organisation] = {}
    for membership in memberships_for(user, CHANGE):
        organisation = membership.organisation
        if organisation.kind == Kind.AIDS_UNIT:
            continue  # the unit decides; it does not ask itself
        places[organisation.pk] = organisation
        if organisation.kind == Kind.HOSPITAL:
            for department in Organisation.objects.filter(
                parent=organisation, kind=Kind.DEPARTMENT
            ):
                places[department.pk] = department
    return sorted(places.values(), key=lambda o: o.name.casefold())


def may_requisition(user: Any) -> bool:
    return bool(is_unrestricted(user) or requesting_places(user))


def may_decide(user: Any, requisition: Requisition) -> bool:
    """The staff of the unit the requisition is sent to decide it."""
    if is_unrestricted(user):
        return True
    return any(u.pk == requisition.unit_id for u in managing_units(user))


def may_report_swaps(user: Any) -> bool:
    """The institution or the municipality reports residents who use its equipment (000 3.1)."""
    if is_unrestricted(user):
        return True
    return any(m.organisation.is_municipal_side for m in memberships_for(user, VIEW))


# Who lends the hospital's equipment in a swap: the treatment-aids units (and private
# hospitals that lend as the specialist service, N3), never a municipal depot.
HOSPITAL_LENDERS = frozenset({Kind.AIDS_UNIT, Kind.PRIVATE_HOSPITAL})


def swap_lenders(user: Any) -> list[Organisation]:
    """The units of `user` that lend the hospital's equipment for a swap."""
    return [u for u in managing_units(user) if u.kind in HOSPITAL_LENDERS]


def may_lend_for_swaps(user: Any) -> bool:
    return bool(is_unrestricted(user) or swap_lenders(user))


def nav_side(organisation: Organisation) -> str:
    """The party an organisation applies to NAV as: "municipality" or "hospital" (a
    treatment-aids unit lends; it does not apply); "" for neither."""
    return nav_side_of_kind(organisation.kind)


def nav_side_of_kind(kind: str) -> str:
    """`nav_side` of an organisation of this kind (for a list that read only the kind)."""
    if kind in MUNICIPAL_SIDE:
        return "municipality"
    if kind in HOSPITAL_SIDE and kind != Kind.AIDS_UNIT:
        return "hospital"
    return ""


def applying_offices(user: Any) -> list[Organisation]:
    """The organisations the user may apply to NAV for (H2, H5), wherever an agreement has
    their side apply: municipal offices and hospital departments the user changes data for.
    Which of them apply for a patient: `nav_offices`."""
    return sorted(
        {
            m.organisation.pk: m.organisation
            for m in memberships_for(user, CHANGE)
            if nav_side(m.organisation)
        }.values(),
        key=lambda o: o.name.casefold(),
    )


def nav_offices(user: Any, patient: Patient) -> list[Organisation]:
    """The user's offices that apply to NAV for this patient: those on a side the patient's
    agreement has apply to NAV (the municipality for a long-term need, HNT for a fitted aid
    for the journey home); none where the agreement routes nothing to NAV."""
    try:
        parties = applying_parties(patient.agreement_today())
    except RulesError:
        return []
    return [o for o in applying_offices(user) if nav_side(o) in parties]


def office_applies_to_nav(organisation: Organisation) -> bool:
    """Does the agreement the office works under have its side apply to NAV?"""
    side = nav_side(organisation)
    if not side:
        return False
    return any(side in applying_parties(agreement) for agreement in agreements_of(organisation))


def has_dispute_route(organisation: Organisation) -> bool:
    """Does an agreement the party works under name a procedure for disputes (N13, its
    `[dispute]`)? The Norwegian routines name none."""
    return any(agreement.dispute is not None for agreement in agreements_of(organisation))


def may_apply_to_nav(user: Any, application: NavApplication | None = None) -> bool:
    """The applying office's staff act on its application (H2, H5)."""
    if is_unrestricted(user):
        return True
    offices = applying_offices(user)
    if application is None:
        return bool(offices)
    return any(o.pk == application.municipality_id for o in offices)


def dispute_parties(user: Any) -> list[Organisation]:
    """The organisations the user speaks for in a dispute (either side)."""
    return sorted(
        {m.organisation.pk: m.organisation for m in memberships_for(user, CHANGE)}.values(),
        key=lambda o: o.name.casefold(),
    )


def may_act_in_dispute(user: Any, dispute: Dispute | None = None) -> bool:
    """Either party's staff: the hospital department's side or the municipal allocation's."""
    if is_unrestricted(user):
        return True
    parties = dispute_parties(user)
    if dispute is None:
        return bool(parties)
    mine = {o.pk for p in parties for o in [p, *_descendants(p)]}
    return (
        dispute.hospital_id in mine
        or dispute.municipality_id in mine
        or any(
            dispute.hospital.nearest(Kind.TRUST, Kind.REGION) == p
            or dispute.municipality.nearest(Kind.MUNICIPALITY) == p
            for p in parties
        )
    )


def _descendants(organisation: Organisation) -> list[Organisation]:
    return list(Organisation.objects.filter(parent=organisation))
