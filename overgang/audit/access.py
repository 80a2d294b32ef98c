"""Who may see which patients: the one access path.

Every query of patient data goes through `restrict(user, action)` (on the
patient queryset, or with `prefix` for objects that belong to a patient).
Outside a user's scope an object does not exist: views answer 404.

Scope follows the memberships that allow the action:
- municipal side (municipality, district, its units): the residents of that
  district, or of the whole municipality when the membership is not in a district;
- hospital side (trust or Danish region, its hospitals, departments, units): the
  patients the trust or region is responsible for under the agreement (O1); a
  treatment-aids unit also the patients who hold one of its devices, wherever they live
  now. Later issues widen this with stays and requisitions at the hospital.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q

from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import VIEW, memberships_for
from overgang.rules.registry import hospitals_served_by_unit


def _served_by(unit_key: str) -> set[int]:
    """Trusts a treatment-aids unit lends to under the agreements (St. Olavs → HNT)."""
    keys = hospitals_served_by_unit(unit_key, on=datetime.date.today())
    if not keys:
        return set()
    return set(Organisation.objects.filter(key__in=keys).values_list("pk", flat=True))


def patient_scope(user: Any, action: str, *, prefix: str = "") -> Q | None:
    """A filter for the patients `user` may `action`; None means all of them."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    districts: set[int] = set()
    municipalities: set[int] = set()
    hospitals: set[int] = set()
    lending_units: set[int] = set()
    for membership in memberships_for(user, action):
        organisation = membership.organisation
        if organisation.is_municipal_side:
            if district := organisation.nearest(Kind.DISTRICT):
                districts.add(district.pk)
            elif municipality := organisation.nearest(Kind.MUNICIPALITY):
                municipalities.add(municipality.pk)
        elif organisation.is_hospital_side:
            owner = organisation.nearest(Kind.TRUST) or organisation.nearest(Kind.REGION)
            if owner is not None:
                hospitals.add(owner.pk)
            if unit := organisation.nearest(Kind.AIDS_UNIT):
                hospitals |= _served_by(unit.key)
                if action == VIEW:
                    # Seeing the borrower is following up the device; it is not care.
                    lending_units.add(unit.pk)
    scope = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    if districts:
        scope |= Q(**{f"{prefix}district__in": sorted(districts)})
    if municipalities:
        scope |= Q(**{f"{prefix}municipality__in": sorted(municipalities)})
    if hospitals:
        scope |= Q(**{f"{prefix}responsible_hospital__in": sorted(hospitals)})
    if lending_units:
        # A unit follows up what it lent, wherever the patient has moved since.
        scope |= Q(_holds_a_device_of(lending_units, f"{prefix}pk"))
    return scope


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
