"""`overgang demo`: load the demo installation, or add patients for benchmarks.

overgang demo              organisations, the contract's users, ~200 patients
overgang demo --if-empty   the same, but only into an empty database (make run)
overgang demo --scale N    add N more patients, in batches, with a progress bar
overgang demo --logins     print the demo logins
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from overgang import clock
from overgang.aids import actions as aid_actions
from overgang.aids.actions import sync_catalogue
from overgang.aids.models import AidType, Delivery, Device
from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.activity import add_activity
from overgang.demo.areas import HOMES
from overgang.demo.capacity import add_capacity
from overgang.demo.consumables import add_consumables
from overgang.demo.devices import STOCK
from overgang.demo.episodes import add_episodes
from overgang.demo.leave import add_trial_discharge
from overgang.demo.manuals import demo_manual
from overgang.demo.past import add_past_stays
from overgang.demo.people import Person, person
from overgang.demo.requisitions import add_requisitions
from overgang.demo.stays import add_stays
from overgang.demo.training import add_training
from overgang.demo.users import DEMO_PASSWORD, DEMO_USERS
from overgang.demo.ventilation import add_ventilation
from overgang.errors import InvalidInput
from overgang.indicators.actions import KEPT_MONTHS, agreements_in_force, refresh_figures
from overgang.organisations.actions import add_membership, create_user, load_organisations
from overgang.organisations.models import Kind, Organisation
from overgang.patients import actions as patient_actions
from overgang.patients.address import Address, resolve_address
from overgang.patients.models import Patient, Relation, Residence
from overgang.rules.registry import hospitals_served_by_unit

DEMO_PATIENTS = 200
# (unit, aid type, how many available it wants on its shelves): the depot overview (N11).
MINIMUMS = (("ous-bhm", "home-ventilator", 4), ("ous-bhm", "cpap", 4), ("unn-bhm", "cpap", 2))
BATCH = 2000


class Command(BaseCommand):
    help = "Load the demo data (organisations, users, fictitious patients) or add patients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Only into an empty database.")
        parser.add_argument("--scale", type=int, metavar="N", help="Add N more patients.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--logins", action="store_true", help="Print the demo logins.")
        parser.add_argument("--port", default="8000", help="Port shown with --logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self.print_logins(options["port"])
            return
        with channel("command:demo"):
            actor = system_actor()
            if options["scale"] is not None:
                if options["scale"] < 1:
                    raise CommandError("--scale: give a positive number of patients.")
                if not Organisation.objects.exists():
                    raise CommandError("Load the demo first: overgang demo")
                self.add_patients(options["scale"], actor=actor, seed=options["seed"] + 1)
                return
            if Organisation.objects.exists():
                if options["if_empty"]:
                    self.stdout.write("The database already has data; the demo was not loaded.")
                    return
                raise CommandError("The database is not empty; the demo is loaded only once.")
            self.load(actor=actor, seed=options["seed"])

    def load(self, *, actor: User, seed: int) -> None:
        with transaction.atomic():
            count = load_organisations(actor=actor)
            self.stdout.write(f"{count} organisations")
            self.stdout.write(f"{sync_catalogue()} aid types")
            self.add_manuals(actor=actor)
            for demo in DEMO_USERS:
                user = create_user(
                    actor=actor,
                    username=demo.username,
                    password=DEMO_PASSWORD,
                    first_name=demo.first_name,
                    last_name=demo.last_name,
                    email=f"{demo.username}@example.org",
                    is_superuser=demo.superuser,
                )
                for key, role in demo.memberships:
                    add_membership(user, Organisation.objects.get(key=key), role, actor=actor)
            self.stdout.write(f"{len(DEMO_USERS)} users (password {DEMO_PASSWORD!r})")
            rng = random.Random(seed)
            for _ in range(DEMO_PATIENTS):
                self.add_demo_patient(rng, actor=actor)
            self.stdout.write(f"{DEMO_PATIENTS} patients")
            self.add_devices(rng, actor=actor)
            for line in add_capacity(rng, actor=actor):
                self.stdout.write(line)
            stock, plans = add_consumables(rng, actor=actor)
            self.stdout.write(f"{stock} consumables in stock, {plans} consumption plans")
            for line in add_activity(rng, actor=actor):
                self.stdout.write(line)
            # The stories on top of the patients, in order: each says what it added.
            stories = (
                add_stays,
                add_trial_discharge,
                add_training,
                add_requisitions,
                add_ventilation,
                add_episodes,
            )
            for story in stories:
                for line in story():
                    self.stdout.write(line)
            # Half a year of ended stays, for the indicators (its own random numbers, so that
            # the stories above do not move it).
            for line in add_past_stays(random.Random(seed), actor=actor):
                self.stdout.write(line)
            # The indicators' monthly figures, so that the page shows them at once.
            for agreement in agreements_in_force(clock.now()):
                done = refresh_figures(agreement, months=KEPT_MONTHS, actor=actor)
                self.stdout.write(f"{done.rows} indicator figures for {agreement.id}")

    def add_manuals(self, *, actor: User) -> None:
        """A user manual for every kind of device the units lend (U7)."""
        kinds = [kind for kind in AidType.objects.all() if not kind.is_therapy]
        for kind in kinds:
            aid_actions.upload_manual(
                kind,
                actor=actor,
                title=f"{kind.name_nb} – brukerveiledning (demo)",
                filename=f"{kind.slug}.pdf",
                content=demo_manual(kind),
            )
        self.stdout.write(f"{len(kinds)} user manuals")

    def add_devices(self, rng: random.Random, *, actor: User) -> None:
        """The units' stock, with some of it lent to patients the unit serves: ventilators
        in pairs (O5), concentrators with a portable cylinder as long-term oxygen."""
        devices = loans = 0
        for key, prefix, stock in STOCK:
            owner = Organisation.objects.get(key=key)
            hospital = owner.nearest(Kind.TRUST) or owner.nearest(Kind.REGION)
            # A unit lends to its own trust's patients and to those of the trusts it serves
            # under the agreements (St. Olavs for HNT, 002 point 4).
            lends_for = [hospital, *Organisation.objects.filter(key__in=_served_by(owner))]
            served = list(
                Patient.objects.filter(responsible_hospital__in=lends_for)
                if owner.is_hospital_side and hospital
                else Patient.objects.filter(municipality=owner.nearest(Kind.MUNICIPALITY))
            )
            shelf: dict[str, list[Device]] = {}
            for aid_type, count in stock.items():
                for number in range(1, count + 1):
                    device = aid_actions.register_device(
                        actor=actor,
                        aid_type=aid_type,
                        serial=f"{prefix}-{aid_type[:3].upper()}-{number:04d}",
                        owner=owner,
                        location=owner.name,
                    )
                    shelf.setdefault(aid_type, []).append(device)
                    devices += 1
            for units in shelf.values():
                for device in list(units):
                    if device not in units or not served or rng.random() >= 0.4:
                        continue  # lent with another already, or stays on the shelf
                    units.remove(device)
                    companions, therapy = _companions(device, shelf)
                    if _lend(
                        rng, device, served, actor=actor, companions=companions, therapy=therapy
                    ):
                        loans += 1 + len(companions)
        for key, aid_type, minimum in MINIMUMS:
            aid_actions.set_stock_minimum(
                Organisation.objects.get(key=key),
                AidType.objects.get(slug=aid_type),
                actor=actor,
                minimum=minimum,
            )
        self.stdout.write(f"{devices} devices, {loans} on loan")

    def add_demo_patient(self, rng: random.Random, *, actor: User) -> Patient:
        """One patient through the ordinary writer, with relatives now and then."""
        municipality, district = _home(rng)
        place = resolve_address(municipality, district)
        taken = set(Patient.objects.values_list("national_id", flat=True))
        someone = _new_person(rng, place, taken)
        institution = _institution(rng, place)
        patient = patient_actions.create_patient(
            actor=actor,
            national_id_number=someone.national_id,
            name=someone.name,
            municipality=municipality,
            district=district,
            address=someone.address,
            residence=Residence.INSTITUTION if institution else Residence.HOME,
            institution=institution,
            interpreter_needed=bool(someone.interpreter_language),
            language=someone.interpreter_language,
        )
        family = someone.name.split()[-1]
        if rng.random() < 0.7:
            patient_actions.add_relative(
                patient,
                actor=actor,
                name=f"{person(rng, country=place.municipality.country).name.split()[0]} {family}",
                relation=rng.choice([Relation.SPOUSE, Relation.CHILD, Relation.SIBLING]),
                phone=f"9{rng.randrange(1000000, 9999999)}",
                next_of_kin=True,
            )
        if rng.random() < 0.08:
            patient_actions.add_relative(
                patient,
                actor=actor,
                name=f"{person(rng, country=place.municipality.country).name.split()[0]} {family}",
                relation=Relation.CHILD,
                minor_child=True,
                needs_support=rng.random() < 0.5,
            )
        return patient

    def add_patients(self, count: int, *, actor: User, seed: int) -> None:
        """Many patients through the batch writer: validated the same way, inserted in batches."""
        rng = random.Random(seed + Patient.objects.count())
        taken = set(Patient.objects.values_list("national_id", flat=True))
        resolve = cache(resolve_address)
        with tqdm(total=count, unit=" patients", disable=None) as progress:
            remaining = count
            while remaining:
                batch = []
                for _ in range(min(BATCH, remaining)):
                    municipality, district = _home(rng)
                    place = resolve(municipality, district)
                    someone = _new_person(rng, place, taken)
                    batch.append(
                        patient_actions.build_patient(
                            national_id_number=someone.national_id,
                            name=someone.name,
                            municipality=municipality,
                            district=district,
                            address=someone.address,
                            interpreter_needed=bool(someone.interpreter_language),
                            language=someone.interpreter_language,
                            resolve=resolve,
                        )
                    )
                patient_actions.register_patients(batch, actor=actor)
                remaining -= len(batch)
                progress.update(len(batch))
        self.stdout.write(f"{count} patients added; {Patient.objects.count()} in all")

    def print_logins(self, port: str) -> None:
        self.stdout.write("")
        self.stdout.write(f"  Overgang: http://127.0.0.1:{port}/")
        self.stdout.write(f"  API docs: http://127.0.0.1:{port}/api/v1/docs")
        self.stdout.write(f"  Demo logins (password {DEMO_PASSWORD!r}):")
        width = max(len(demo.username) for demo in DEMO_USERS)
        for demo in DEMO_USERS:
            where = ", ".join(key for key, _ in demo.memberships) or "superuser"
            self.stdout.write(f"    {demo.username:<{width}} {where}")
        if not get_user_model()._default_manager.filter(username="admin").exists():
            self.stdout.write("  (the demo users are not in this database)")
        self.stdout.write("")


def _served_by(unit: Organisation) -> tuple[str, ...]:
    return tuple(sorted(hospitals_served_by_unit(unit.key, on=clock.today())))


def _companions(device: Device, shelf: dict[str, list[Device]]) -> tuple[list[Device], str]:
    """What goes with `device` from the same shelf: a ventilator's second unit, a
    concentrator's portable cylinder (taken off the shelf)."""
    if device.aid_type.life_sustaining and shelf[device.aid_type.slug]:
        return [shelf[device.aid_type.slug].pop()], ""
    cylinders = shelf.get("portable-oxygen-cylinder", [])
    if device.aid_type.slug == "oxygen-concentrator" and cylinders:
        return [cylinders.pop()], "long-term-oxygen"
    return [], ""


def _lend(
    rng: random.Random,
    device: Device,
    served: list[Patient],
    *,
    actor: User,
    companions: list[Device],
    therapy: str,
) -> bool:
    borrower = rng.choice(served)
    if device.aid_type.electrical_check:
        aid_actions.record_electrical_check(borrower, actor=actor, rooms="soverom", result="passed")
    try:
        aid_actions.lend_device(
            device,
            borrower,
            actor=actor,
            companions=companions,
            therapy=therapy,
            manual_handed_over=True,
            instruction_given=True,
            delivery=rng.choice(list(Delivery.values)),
        )
    except InvalidInput:
        return False  # the agreement does not lend it for this patient (or not a second one)
    return True


def _home(rng: random.Random) -> tuple[str, str]:
    municipality, district, _ = rng.choices(HOMES, weights=[w for *_, w in HOMES])[0]
    return municipality, district


def _new_person(rng: random.Random, place: Address, taken: set[str]) -> Person:
    while True:
        someone = person(rng, country=place.municipality.country)
        if someone.national_id not in taken:
            taken.add(someone.national_id)
            return someone


def _institution(rng: random.Random, place: Address) -> Organisation | None:
    if rng.random() > 0.15:
        return None
    area = place.district or place.municipality
    homes = list(Organisation.objects.filter(kind=Kind.NURSING_HOME, parent=area))
    return rng.choice(homes) if homes else None
