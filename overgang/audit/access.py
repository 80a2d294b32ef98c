"""Who may see which patients: the one access path.

Every query of patient data goes through `restrict(user, action)` (on the
patient queryset, or with `prefix` for objects that belong to a patient).
Outside a user's scope an object does not exist: views answer 404.

Scope follows the memberships that allow the action:
- municipal side (municipality, district, its units): the residents of that
  district, or of the whole municipality when the membership is not in a district;
- hospital side (trust or Danish region, its hospitals, departments, units): the
  patients the trust or region is responsible for under the agreement (O1) and those with
  a stay at one of its hospitals; a treatment-aids unit also the patients who hold one of
  its devices, wherever they live now. Later issues widen this with requisitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from overgang import clock
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import VIEW, memberships_for
from overgang.rules.registry import hospitals_served_by_unit


def _served_by(unit_key: str) -> set[int]:
    """Trusts a treatment-aids unit lends to under the agreements (St. Olavs → HNT)."""
    keys = hospitals_served_by_unit(unit_key, on=clock.today())
    if not keys:
        return set()
    return set(Organisation.objects.filter(key__in=keys).values_list("pk", flat=True))


@dataclass
class ScopeParts:
    """What a user's memberships reach, before it becomes a filter."""

    districts: set[int] = field(default_factory=set)
    municipalities: set[int] = field(default_factory=set)
    hospitals: set[int] = field(default_factory=set)  # trusts and regions
    lending_units: set[int] = field(default_factory=set)


def scope_parts(user: Any, action: str) -> ScopeParts:
    parts = ScopeParts()
    for membership in memberships_for(user, action):
        organisation = membership.organisation
        if organisation.is_municipal_side:
            if district := organisation.nearest(Kind.DISTRICT):
                parts.districts.add(district.pk)
            elif municipality := organisation.nearest(Kind.MUNICIPALITY):
                parts.municipalities.add(municipality.pk)
        elif organisation.is_hospital_side:
            owner = organisation.nearest(Kind.TRUST) or organisation.nearest(Kind.REGION)
            if owner is not None:
                parts.hospitals.add(owner.pk)
            if unit := organisation.nearest(Kind.AIDS_UNIT):
                parts.hospitals |= _served_by(unit.key)
                if action == VIEW:
                    # Seeing the borrower is following up the device; it is not care.
                    parts.lending_units.add(unit.pk)
    return parts


def municipal_scope(parts: ScopeParts, prefix: str = "") -> Q:
    """The residents of the user's districts and municipalities."""
    scope = Q(**{f"{prefix}pk__in": []})
    if parts.districts:
        scope |= Q(**{f"{prefix}district__in": sorted(parts.districts)})
    if parts.municipalities:
        scope |= Q(**{f"{prefix}municipality__in": sorted(parts.municipalities)})
    return scope


def patient_scope(user: Any, action: str, *, prefix: str = "") -> Q | None:
    """A filter for the patients `user` may `action`; None means all of them."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    parts = scope_parts(user, action)
    scope = municipal_scope(parts, prefix)
    if parts.hospitals:
        scope |= Q(**{f"{prefix}responsible_hospital__in": sorted(parts.hospitals)})
        # A hospital treats whoever is admitted, also from outside its catchment.
        scope |= Q(**{f"{prefix}pk__in": _admitted_to(parts.hospitals)})
    if parts.lending_units:
        # A unit follows up what it lent, wherever the patient has moved since.
        scope |= Q(_holds_a_device_of(parts.lending_units, f"{prefix}pk"))
    return scope


def _admitted_to(trusts: set[int]) -> QuerySet[Any]:
    """The patients with a stay at one of these trusts, as a subquery. Not asked per patient
    (EXISTS): beside the other conditions of the scope, the planner then asks it for every
    patient there is when counting them, where this list is read once."""
    from overgang.stays.models import Stay  # the stays app builds on this one

    return Stay.objects.filter(trust__in=sorted(trusts)).values("patient_id")


def _holds_a_device_of(units: set[int], patient: str) -> Exists:
    """Does the patient (the outer query's field `patient`) hold a device of these units?
    Asked per patient, through the loans' patient index: cheap for one patient and for a
    page of them, where an IN over every borrower of the unit would be built in full."""
    from overgang.aids.models import Loan  # the aids app builds on this one

    return Exists(
        Loan.objects.filter(
            patient=OuterRef(patient), returned_at__isnull=True, device__owner__in=sorted(units)
        )
    )
