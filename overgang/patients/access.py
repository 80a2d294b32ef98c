"""Who may see which patients: the one access path.

Every query of patient data goes through `restrict(user, action)`, a method of the
queryset of the patient and of every model that belongs to a patient (a stay, a loan, a
requisition...). Outside a user's scope an object does not exist: views answer 404.
`ScopedQuerySet` is their common base: an active superuser reaches everything (here and
nowhere else); anyone else reaches what the model's `scope` gives.

The patient scope follows the memberships that allow the action:
- municipal side (municipality, district, its units): the residents of that
  district, or of the whole municipality when the membership is not in a district;
- hospital side (trust or Danish region, its hospitals, departments, units): the
  patients the trust or region is responsible for under the agreement (O1) and those with
  a stay at one of its hospitals; a treatment-aids unit also the patients of the trusts it
  lends to under the agreements and, for viewing, whoever holds one of its devices,
  wherever they live now.

What a unit manages (its devices and what hangs on them, the requisitions sent to it) is
reached through the memberships that allow that action, see `units_for`.

The models and their scopes (VIEW and CHANGE unless named; MANAGE_DEVICES, DECIDE):
- Patient: the patient scope above (also AUDIT: the auditors' patients);
- Relative, SwapReport, NavApplication, Dispute: with their patient
  (`PatientLinkedQuerySet`);
- Stay: by its trust, and by the municipality or district of its own copy of the address;
- Message, StayEvent, Need, Training: with their stay (`StayLinkedQuerySet`);
- Deadline: with its stay, and by the organisation that holds it and those above it (the
  union of a stay's page and the worklists);
- PendingNotice, Notification: with their deadline;
- Device: its unit manages it and sees it; for VIEW also whoever sees the patient it is
  lent to; DeviceTransition and FailureReport go with their device;
- Loan, ReturnRequest: its unit manages it; whoever sees the patient sees it;
  ConsumptionPlan goes with its loan, ConsumableOrder with its plan's loan;
- Requisition: the unit it is sent to decides it (DECIDE) and sees it; whoever sees the
  patient sees it; Appeal goes with its requisition;
- NavReminder: with its application;
- ElectricalCheck: with its patient; MANAGE_DEVICES: the device staff, for the patients
  they see;
- PatientRead (the access log, in the audit app, which imports no domain app): the reads
  of the patients the user may audit, through `Patient.objects.restrict(user, AUDIT)`.

ChangeRecord (the history) names its object by model and id, not by a foreign key: it is
read for one object already reached through its own `restrict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from overgang import clock
from overgang.organisations import access_cache
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import VIEW, is_unrestricted, memberships_for
from overgang.rules.registry import hospitals_served_by_unit

_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(QuerySet[_M]):
    """A queryset with `restrict(user, action)`; subclasses say the scope in `scope`."""

    def restrict(self, user: Any, action: str) -> Self:
        """Only the objects `user` may `action`."""
        if is_unrestricted(user):
            return self
        return self.within(user, action)

    def within(self, user: Any, action: str) -> Self:
        """The objects of `user`'s scope for `action`, for a user who is not a superuser."""
        return self.filter(self.scope(user, action))

    def scope(self, user: Any, action: str) -> Q:
        raise NotImplementedError


class PatientLinkedQuerySet(ScopedQuerySet[_M]):
    """Objects that belong to one patient (field `patient`): reached with the patient."""

    def scope(self, user: Any, action: str) -> Q:
        return patient_scope(user, action, prefix="patient__")


class ParentLinkedQuerySet(ScopedQuerySet[_M]):
    """Objects that go with another scoped object (the foreign key named by `parent`, such
    as a need's stay): reached with it, for the same action."""

    parent: ClassVar[str]

    def scope(self, user: Any, action: str) -> Q:
        related: Any = self.model._meta.get_field(self.parent).related_model
        return Q(**{f"{self.parent}__in": related._default_manager.within(user, action)})


def units_for(user: Any, action: str) -> list[int]:
    """The organisations whose memberships allow `action` (the units a user manages
    devices for or decides requisitions for)."""
    return sorted({m.organisation_id for m in memberships_for(user, action)})


def organisations_under(user: Any, action: str) -> list[int]:
    """The organisations whose memberships allow `action` and every organisation below
    them (a municipality holds what its districts and offices hold)."""
    roots = set(units_for(user, action))
    if not roots:
        return []
    children = access_cache.organisation_children(access_cache.stamp_read_by(user))
    found: set[int] = set()
    todo = list(roots)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return sorted(found)


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


def patient_scope(user: Any, action: str, *, prefix: str = "") -> Q:
    """A filter for the patients `user` may `action` (at `prefix`, for objects that belong
    to a patient). Superusers never get here: see `ScopedQuerySet.restrict`."""
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
    # By name: the stays app builds on this one.
    stay = apps.get_model("stays", "Stay")
    return stay.objects.filter(trust__in=sorted(trusts)).values("patient_id")


def _holds_a_device_of(units: set[int], patient: str) -> Exists:
    """Does the patient (the outer query's field `patient`) hold a device of these units?
    Asked per patient, through the loans' patient index: cheap for one patient and for a
    page of them, where an IN over every borrower of the unit would be built in full."""
    # By name: the aids app builds on this one.
    loan = apps.get_model("aids", "Loan")
    return Exists(
        loan.objects.filter(
            patient=OuterRef(patient), returned_at__isnull=True, device__owner__in=sorted(units)
        )
    )
