"""The authorization matrix: every patient-linked model, every demo user, view and change.

The demo installation is loaded once. For each cell the ids the code lets the user reach
are compared with an oracle written here in plain Python over the objects' attributes,
from the scope as the project states it:

- municipal side: the residents of the user's district, or of the whole municipality when
  the membership is not in a district; a stay by its own copy of the patient's address;
- hospital side: the patients the trust (or Danish region) is responsible for and those
  with a stay at it; a treatment-aids unit also works for the trusts it lends to under the
  agreements, and for viewing follows up whoever holds one of its devices;
- the unit that owns a device manages it, its loans, its return requests, its failures,
  its consumption plans, and decides the requisitions sent to it;
- what belongs to a patient is seen by whoever sees the patient (and, for what a unit
  manages, by that unit); what belongs to a stay, a device or an application goes with it;
- a deadline is also reached by the organisation that holds it and every one above it (its
  worklist); its notifications and pending notices go with it;
- an electrical check is the device staff's to record, for the patients they see;
- the access log (who read a patient's record) is read by whoever may audit the patient;
- an active superuser reaches everything.

The oracle uses no query filters of the code: only the objects' fields and the agreements.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model, QuerySet

from overgang import clock
from overgang.aids.actions import record_electrical_check
from overgang.aids.models import (
    ConsumableOrder,
    ConsumptionPlan,
    Device,
    DeviceTransition,
    ElectricalCheck,
    FailureReport,
    Loan,
    ReturnRequest,
)
from overgang.audit.channel import channel
from overgang.audit.history import log_read, system_actor
from overgang.audit.models import PatientRead
from overgang.demo.management.commands.demo import Command as Demo
from overgang.demo.users import DEMO_USERS
from overgang.organisations.models import Membership, Organisation
from overgang.organisations.permissions import DECIDE, MANAGE_DEVICES
from overgang.patients.actions import update_patient
from overgang.patients.models import Patient, Relative
from overgang.requisitions.actions import remind_missing_signatures
from overgang.requisitions.models import (
    Appeal,
    Dispute,
    NavApplication,
    NavReminder,
    Requisition,
    SwapReport,
)
from overgang.rules.registry import hospitals_served_by_unit
from overgang.stays import notify
from overgang.stays.actions import record_message, record_need
from overgang.stays.models import (
    Deadline,
    Message,
    Need,
    NeedKind,
    Notification,
    PendingNotice,
    Stay,
    StayEvent,
    Training,
)

# What each role may do, as the project's role table says it (written out again here).
VIEWERS = {
    "clinician",
    "psychologist",
    "aids-staff",
    "discharge-coordinator",
    "case-worker",
    "home-nurse",
    "nursing-home-staff",
    "depot-staff",
    "admin",
}
CHANGERS = {
    "clinician",
    "psychologist",
    "aids-staff",
    "discharge-coordinator",
    "case-worker",
    "admin",
}
MANAGERS = {"aids-staff", "depot-staff", "admin"}
AUDITORS = {"auditor", "admin"}
# The two sides; other organisations (private hospitals, NAV, pharmacies) reach no patient.
MUNICIPAL = {
    "municipality",
    "district",
    "allocation_office",
    "home_nursing",
    "nursing_home",
    "aid_depot",
}
HOSPITAL = {"region", "trust", "hospital", "department", "aids_unit"}


# --- the adapter: the one place that knows how the code spells a scope -------------------


def scoped(model: type[Model], user: User, action: str) -> QuerySet[Any]:
    manager: Any = model._default_manager
    return manager.restrict(user, code_action(model, action))


# Acting on these is managing devices: a device and what hangs on it, and the check of the
# address where one is to be placed.
MANAGED = {
    Device,
    DeviceTransition,
    Loan,
    ReturnRequest,
    FailureReport,
    ConsumptionPlan,
    ConsumableOrder,
    ElectricalCheck,
}


def code_action(model: type[Model], action: str) -> str:
    """The action the code names for a cell: acting on a device, and on what hangs on it,
    is managing it; acting on a requisition sent to one's unit is deciding it."""
    if action != "change":
        return action
    if model in (Requisition, Appeal):
        return DECIDE
    return MANAGE_DEVICES if model in MANAGED else action


# --- the oracle ---------------------------------------------------------------------------


def chain(org: Organisation) -> Iterator[Organisation]:
    node: Organisation | None = org
    while node is not None:
        yield node
        node = node.parent


def first_of(org: Organisation, *kinds: str) -> Organisation | None:
    return next((o for o in chain(org) if o.kind in kinds), None)


@dataclass
class Reach:
    """Where one user's memberships reach for one kind of action."""

    everything: bool = False
    districts: set[int] = field(default_factory=set)
    municipalities: set[int] = field(default_factory=set)
    trusts: set[int] = field(default_factory=set)
    lending_units: set[int] = field(default_factory=set)  # follow-up of their borrowers
    managed_units: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)  # of the memberships that allow it


def reach(user: User, roles: set[str], *, follow_up: bool) -> Reach:
    found = Reach(everything=user.is_superuser and user.is_active)
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        org = membership.organisation
        if membership.role in MANAGERS:
            found.managed_units.add(org.pk)
        if membership.role not in roles:
            continue
        found.organisations.add(org.pk)
        if org.kind in MUNICIPAL:
            reach_municipal(found, org)
        elif org.kind in HOSPITAL:
            reach_hospital(found, org, follow_up=follow_up)
    return found


def reach_municipal(found: Reach, org: Organisation) -> None:
    district = first_of(org, "district")
    if district is not None:
        found.districts.add(district.pk)
    elif (municipality := first_of(org, "municipality")) is not None:
        found.municipalities.add(municipality.pk)


def reach_hospital(found: Reach, org: Organisation, *, follow_up: bool) -> None:
    trust = first_of(org, "trust", "region")
    if trust is not None:
        found.trusts.add(trust.pk)
    unit = first_of(org, "aids_unit")
    if unit is not None:
        served = hospitals_served_by_unit(unit.key, on=clock.today())
        found.trusts |= {o.pk for o in Organisation.objects.filter(key__in=served)}
        if follow_up:
            found.lending_units.add(unit.pk)


class World:
    """The demo objects, read once, with the facts the oracle needs."""

    def __init__(self) -> None:
        self.patients = list(Patient.objects.all())
        self.stays = list(Stay.objects.all())
        self.devices = list(Device.objects.all())
        self.loans = list(Loan.objects.select_related("device"))
        self.deadlines = list(Deadline.objects.all())
        self.parent_of = dict(Organisation.objects.values_list("pk", "parent_id"))
        self.admitted: dict[int, set[int]] = {}
        for stay in self.stays:
            self.admitted.setdefault(stay.patient_id, set()).add(stay.trust_id)
        self.holding: dict[int, set[int]] = {}  # patient → owners of the devices they hold
        self.lent_to: dict[int, set[int]] = {}  # device → patients holding it now
        for loan in self.loans:
            if loan.returned_at is None:
                self.holding.setdefault(loan.patient_id, set()).add(loan.device.owner_id)
                self.lent_to.setdefault(loan.device_id, set()).add(loan.patient_id)

    def under(self, roots: set[int]) -> set[int]:
        """These organisations and every organisation below them."""
        return {pk for pk in self.parent_of if roots & set(self.ancestry(pk))}

    def ancestry(self, pk: int | None) -> Iterator[int]:
        while pk is not None:
            yield pk
            pk = self.parent_of[pk]

    def patients_in(self, r: Reach) -> set[int]:
        if r.everything:
            return {p.pk for p in self.patients}
        return {
            p.pk
            for p in self.patients
            if p.district_id in r.districts
            or p.municipality_id in r.municipalities
            or p.responsible_hospital_id in r.trusts
            or self.admitted.get(p.pk, set()) & r.trusts
            or self.holding.get(p.pk, set()) & r.lending_units
        }


@dataclass
class Asker:
    """One user asking for one action, as the oracle sees them."""

    world: World
    user: User
    action: str
    reach: Reach
    seen: set[int]  # the patients the user may see

    @property
    def view(self) -> bool:
        return self.action == "view"

    def pick(self, objects: Any, test: Callable[[Any], bool]) -> set[int]:
        return {o.pk for o in objects if self.reach.everything or test(o)}

    def loans(self) -> set[int]:
        units = self.reach.managed_units
        return self.pick(
            self.world.loans,
            lambda lo: lo.device.owner_id in units or (self.view and lo.patient_id in self.seen),
        )


def oracle(world: World, model: type[Model], user: User, action: str) -> set[int]:
    roles = {"view": VIEWERS, "change": CHANGERS, "audit": AUDITORS}[action]
    r = reach(user, roles, follow_up=action == "view")
    seen = world.patients_in(reach(user, VIEWERS, follow_up=True))
    asker = Asker(world, user, action, r, seen)
    if model in (SwapReport, NavApplication, Dispute):
        # They go with their patient, for the same action.
        patients = world.patients_in(r)
        return asker.pick(model._default_manager.all(), lambda x: x.patient_id in patients)
    if model not in ORACLES:
        raise AssertionError(f"no oracle for {model.__name__}")
    return ORACLES[model](asker)


def stays_of(a: Asker) -> set[int]:
    r = a.reach
    return a.pick(
        a.world.stays,
        lambda s: (
            s.district_id in r.districts
            or s.municipality_id in r.municipalities
            or s.trust_id in r.trusts
        ),
    )


def devices_of(a: Asker) -> set[int]:
    units = a.reach.managed_units
    return a.pick(
        a.world.devices,
        lambda d: (
            d.owner_id in units or (a.view and bool(a.world.lent_to.get(d.pk, set()) & a.seen))
        ),
    )


def returns_of(a: Asker) -> set[int]:
    units = a.reach.managed_units
    return a.pick(
        ReturnRequest.objects.all(),
        lambda x: x.unit_id in units or (a.view and x.patient_id in a.seen),
    )


def failures_of(a: Asker) -> set[int]:
    devices = devices_of(a)
    return a.pick(FailureReport.objects.all(), lambda f: f.device_id in devices)


def plans_of(a: Asker) -> set[int]:
    loans = a.loans()
    return a.pick(ConsumptionPlan.objects.all(), lambda c: c.loan_id in loans)


def orders_of(a: Asker) -> set[int]:
    loans = a.loans()
    return a.pick(ConsumableOrder.objects.select_related("plan"), lambda o: o.plan.loan_id in loans)


def requisitions_of(a: Asker) -> set[int]:
    units = a.reach.managed_units
    return a.pick(
        Requisition.objects.all(),
        lambda q: q.unit_id in units or (a.view and q.patient_id in a.seen),
    )


def appeals_of(a: Asker) -> set[int]:
    """An appeal goes with its requisition: seen with it, handled by the unit deciding it."""
    requisitions = oracle(a.world, Requisition, a.user, a.action)
    return a.pick(Appeal.objects.all(), lambda x: x.requisition_id in requisitions)


def going_with(model: type[Model], parent: str, parents_of: Callable[[Asker], set[int]]) -> Any:
    """The oracle of what goes with a parent: reached with it."""

    def of(a: Asker) -> set[int]:
        parents = parents_of(a)
        return a.pick(model._default_manager.all(), lambda x: getattr(x, parent + "_id") in parents)

    return of


def patients_of(a: Asker) -> set[int]:
    return a.world.patients_in(a.reach)


def deadlines_of(a: Asker) -> set[int]:
    stays = stays_of(a)
    held = a.world.under(a.reach.organisations)
    return a.pick(a.world.deadlines, lambda d: d.stay_id in stays or d.holder_id in held)


def notifications_of(a: Asker) -> set[int]:
    """A deadline's notice goes with its deadline; news of an event (no deadline) is reached
    by the organisation it was sent to and those above it (issue 14)."""
    deadlines = deadlines_of(a)
    told = a.world.under(a.reach.organisations)
    return a.pick(
        Notification.objects.all(),
        lambda n: (
            n.deadline_id in deadlines if n.deadline_id is not None else n.organisation_id in told
        ),
    )


def checks_of(a: Asker) -> set[int]:
    """Seen with the patient; recorded and remedied by device staff, for patients they see."""
    allowed = a.view or bool(a.reach.managed_units)
    return a.pick(ElectricalCheck.objects.all(), lambda c: allowed and c.patient_id in a.seen)


def reads_of(a: Asker) -> set[int]:
    auditable = a.world.patients_in(reach(a.user, AUDITORS, follow_up=False))
    return a.pick(PatientRead.objects.all(), lambda r: r.patient_id in auditable)


def applications_of(a: Asker) -> set[int]:
    patients = a.world.patients_in(a.reach)
    return a.pick(NavApplication.objects.all(), lambda x: x.patient_id in patients)


ORACLES: dict[type[Model], Callable[[Asker], set[int]]] = {
    Patient: lambda a: a.world.patients_in(a.reach),
    Stay: stays_of,
    Device: devices_of,
    Loan: Asker.loans,
    ReturnRequest: returns_of,
    FailureReport: failures_of,
    ConsumptionPlan: plans_of,
    ConsumableOrder: orders_of,
    Requisition: requisitions_of,
    Appeal: appeals_of,
    Relative: going_with(Relative, "patient", patients_of),
    ElectricalCheck: checks_of,
    DeviceTransition: going_with(DeviceTransition, "device", devices_of),
    Deadline: deadlines_of,
    Need: going_with(Need, "stay", stays_of),
    Training: going_with(Training, "stay", stays_of),
    StayEvent: going_with(StayEvent, "stay", stays_of),
    Message: going_with(Message, "stay", stays_of),
    Notification: notifications_of,
    PendingNotice: going_with(PendingNotice, "deadline", deadlines_of),
    NavReminder: going_with(NavReminder, "application", applications_of),
    PatientRead: reads_of,
}


# --- the matrix ---------------------------------------------------------------------------

# (model, action): "change" is the action that lets a user act on the object; for what a
# unit manages (devices and what hangs on them, requisitions to decide) that is managing.
CELLS = [
    (Patient, "view"),
    (Patient, "change"),
    (Patient, "audit"),
    (Stay, "view"),
    (Stay, "change"),
    (Device, "view"),
    (Device, "change"),
    (Loan, "view"),
    (Loan, "change"),
    (ReturnRequest, "view"),
    (ReturnRequest, "change"),
    (FailureReport, "view"),
    (FailureReport, "change"),
    (ConsumptionPlan, "view"),
    (ConsumptionPlan, "change"),
    (ConsumableOrder, "view"),
    (ConsumableOrder, "change"),
    (Requisition, "view"),
    (Requisition, "change"),
    (Appeal, "view"),
    (Appeal, "change"),
    (SwapReport, "view"),
    (SwapReport, "change"),
    (NavApplication, "view"),
    (NavApplication, "change"),
    (Dispute, "view"),
    (Dispute, "change"),
    (Relative, "view"),
    (Relative, "change"),
    (ElectricalCheck, "view"),
    (ElectricalCheck, "change"),
    (DeviceTransition, "view"),
    (DeviceTransition, "change"),
    (Deadline, "view"),
    (Deadline, "change"),
    (Need, "view"),
    (Need, "change"),
    (Training, "view"),
    (Training, "change"),
    (StayEvent, "view"),
    (StayEvent, "change"),
    (Message, "view"),
    (Message, "change"),
    (Notification, "view"),
    (Notification, "change"),
    (PendingNotice, "view"),
    (PendingNotice, "change"),
    (NavReminder, "view"),
    (NavReminder, "change"),
    (PatientRead, "view"),
    (PatientRead, "audit"),
]
USERNAMES = [demo.username for demo in DEMO_USERS]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The demo installation, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=2026)
            running_for_a_while()
        yield World()
        transaction.set_rollback(True)


def running_for_a_while() -> None:
    """What the demo has little or none of, or on one stay only, and an installation in use
        has plenty of: a need and an admission message on each stay, a patient who moves during
    a stay, the worker's notices of
        the deadlines due first (the rest still pending) and its reminders of missing NAV
        signatures, reads of every third patient's record, and electrical checks at every fifth
        patient's home."""
    actor = system_actor()
    for stay in Stay.objects.filter(ended_at__isnull=True):
        record_need(stay, actor=actor, kind=NeedKind.FUNCTION, description="Trapp til soverom.")
        if stay.country == "NO" and stay.status != "planned" and not stay.messages.exists():
            record_message(stay, "LOG_INNLAGT", actor=actor, sent_at=stay.admitted_at)
    # A patient in hospital moves to Tromsø: the stay goes with the address, the duties
    # Levanger was given stay on Levanger's worklist.
    moving = Stay.objects.filter(municipality__key="levanger", deadlines__party="municipality")
    tromso = Organisation.objects.get(key="tromso")
    update_patient(moving.first().patient, actor=actor, municipality=tromso.number)
    notices = sorted(PendingNotice.objects.values_list("at", flat=True))
    notify.sweep(notices[len(notices) // 2])
    remind_missing_signatures(clock.now() + datetime.timedelta(days=60))
    patients = list(Patient.objects.order_by("pk"))
    for patient in patients[::3]:
        log_read(patient, user=actor)
    for patient in patients[::5]:
        record_electrical_check(patient, actor=actor, rooms="stue", result="passed")


def cell_id(cell: tuple[type[Model], str]) -> str:
    return f"{cell[0].__name__}-{cell[1]}"


@pytest.mark.parametrize("username", USERNAMES)
@pytest.mark.parametrize("cell", CELLS, ids=cell_id)
def test_a_user_reaches_exactly_the_objects_the_scope_gives(world, db, cell, username):
    model, action = cell
    user = User.objects.get(username=username)
    got = set(scoped(model, user, action).values_list("pk", flat=True))
    assert got == oracle(world, model, user, action)


@pytest.mark.parametrize("cell", CELLS, ids=cell_id)
def test_each_cell_separates_users(world, db, cell):
    """The superuser reaches every object of the cell, another user some of them, and a
    third is refused one that someone else reaches: the matrix above cannot pass by
    everyone reaching everything, or nothing. (The demo has a single appeal, dispute and
    failure; "some but not all" is then told apart between users, not within one.)"""
    model, action = cell
    total = set(model._default_manager.values_list("pk", flat=True))
    assert total, f"the demo has no {model.__name__}"
    reached = {
        username: oracle(world, model, User.objects.get(username=username), action)
        for username in USERNAMES
    }
    assert reached.pop("admin") == total
    somebody = set().union(*reached.values())
    assert somebody, f"no demo user but the superuser reaches a {model.__name__}"
    assert any(somebody - ids for ids in reached.values())
    if len(total) > 2:
        assert any(0 < len(ids) < len(total) for ids in reached.values())
