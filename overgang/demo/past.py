"""Half a year of ended stays in the demo, so that the indicators page has something to
count in every area: for each agreement, patients admitted and discharged over the last
six months, with their messages, aid needs, trainings, loans (lent, returned, reprocessed)
and answers to the patient-pathway survey. Most of it on time, some of it late.

Everything goes through the app's own writers, with the clock moved to the moment each
step happened (`clock_at`): the writers stamp loans, returns, reprocessing, deadlines done
and survey answers with "now", and the figures count those stamps. When a stay has ended,
nothing of it is left open on anyone's worklist."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from overgang import clock
from overgang.aids import actions as aid_actions
from overgang.aids.models import Device, DeviceStatus, Loan
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.stays import actions
from overgang.stays.actions.messages import sent_codes
from overgang.stays.models import Deadline, Need, Stay
from overgang.survey import actions as survey
from overgang.survey.models import Reply

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# How far back the ended stays go, and how many each area gets.
MONTHS_BACK = 6
STAYS_PER_AREA = 14


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
    """Run the writers as if it were `moment`. `django.utils.timezone.now` is the one source
    of the app's clock (overgang/clock.py) and of the models' `default=timezone.now`; it
    reads `datetime.now` of its module, which is what is moved here, so that every "now"
    the writers stamp (a loan's start, a device's return, a survey's answer, a history row)
    is the moment. Single-threaded, for the demo command only."""
    real = timezone.datetime  # type: ignore[attr-defined]

    class Moved(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> datetime.datetime:  # type: ignore[override]
            return moment.astimezone(tz) if tz is not None else moment

    timezone.datetime = Moved  # type: ignore[attr-defined]
    try:
        yield
    finally:
        timezone.datetime = real  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Area:
    agreement: str
    municipality: str
    # district -> the case worker who answers for it ("" : the whole municipality)
    case_workers: dict[str, str]
    unit: str  # the hospital department that admits
    physician: str  # a demo username
    time_zone: str
    country: str
    # (aid type, the unit that lends it, serial prefix) the ward records and someone lends
    aids: tuple[tuple[str, str, str], ...]


AREAS = (
    Area(
        "oslo",
        "Oslo",
        {"Frogner": "oslo-frogner", "Stovner": "oslo-stovner"},
        "ous-lunge",
        "ous-clinician",
        "Europe/Oslo",
        "NO",
        (("cpap", "ous-bhm", "OUS-H"), ("oxygen-concentrator", "ous-bhm", "OUS-H")),
    ),
    Area(
        "unn",
        "Tromsø",
        {"": "tromso-case"},
        "unn-lunge",
        "unn-clinician",
        "Europe/Oslo",
        "NO",
        (("cpap", "unn-bhm", "UNN-H"), ("oxygen-concentrator", "unn-bhm", "UNN-H")),
    ),
    Area(
        "hnt",
        "Levanger",
        {"": "levanger-case"},
        "hnt-levanger-med",
        "hnt-clinician",
        "Europe/Oslo",
        "NO",
        (("cpap", "stolav-bhm", "STO-H"), ("oxygen-concentrator", "stolav-bhm", "STO-H")),
    ),
    Area(
        "nordjylland",
        "Aalborg",
        {"": "aalborg-case"},
        "aauh-lunge",
        "aauh-clinician",
        "Europe/Copenhagen",
        "DK",
        (("wheelchair", "rn-depot", "RN-H"), ("rollator", "rn-depot", "RN-H")),
    ),
)


def add_past_stays(rng: random.Random, *, actor: User) -> list[str]:
    """For each area, STAYS_PER_AREA stays that ended over the last MONTHS_BACK months."""
    users = {u.username: u for u in User.objects.filter(username__contains="-")}
    now = clock.now().replace(second=0, microsecond=0)
    lines = []
    for area in AREAS:
        physician = users.get(area.physician)
        unit = Organisation.objects.filter(key=area.unit).first()
        patients = [
            (patient, users[username])
            for district, username in area.case_workers.items()
            if username in users
            for patient in _free_patients(area, district)
        ]
        if physician is None or unit is None or not patients:
            continue
        rng.shuffle(patients)
        devices = _devices(area, now - (MONTHS_BACK * 31 + 20) * DAY, actor=actor)
        ended = 0
        # Oldest first, as it happened: a device comes back before it is lent again.
        for number in reversed(range(STAYS_PER_AREA)):
            # Spread over the months, the newest a few days ago; a patient twice at most
            # when the area has few, months apart.
            back = 5 + (MONTHS_BACK * 30 - 10) * number // STAYS_PER_AREA + rng.randint(0, 6)
            patient, case_worker = patients[number % len(patients)]
            story = Story(area, rng, (physician, case_worker, actor), unit, devices)
            left_on = (now - back * DAY).astimezone(story.zone).date()
            try:
                # The whole stay or none of it: never a stay left half-way on a worklist.
                with transaction.atomic():
                    story.tell(patient, left_on=left_on, now=now)
            except (Conflict, InvalidInput):
                continue  # the agreement refused a step for this patient; the demo goes on
            ended += 1
        lines.append(f"{ended} stays ended over {MONTHS_BACK} months ({area.agreement})")
    return lines


def _free_patients(area: Area, district: str) -> list[Patient]:
    """Patients of the area whom no other story of the demo has given a stay or a loan."""
    found = Patient.objects.filter(
        municipality__name__istartswith=area.municipality, stays__isnull=True, loans__isnull=True
    )
    if district:
        found = found.filter(district__name__icontains=district)
    return list(found.order_by("id")[:STAYS_PER_AREA])


def _devices(area: Area, at: datetime.datetime, *, actor: User) -> dict[str, list[Device]]:
    """A few units of each aid the area's stays borrow, registered before the first of them."""
    shelf: dict[str, list[Device]] = {}
    with clock_at(at):
        for aid_type, owner_key, prefix in area.aids:
            owner = Organisation.objects.get(key=owner_key)
            for number in range(1, 7):
                shelf.setdefault(aid_type, []).append(
                    aid_actions.register_device(
                        actor=actor,
                        aid_type=aid_type,
                        serial=f"{prefix}-{aid_type[:3].upper()}-{number:03d}",
                        owner=owner,
                        location=owner.name,
                    )
                )
    return shelf


SECTION_9 = (
    "admission-questions",
    "other-questions",
    "unresolved-explained",
    "diagnosis-and-plan",
    "function-assessed",
)
SECTION_9_TEXT = "Se epikrisen; vurdert og beskrevet før utskrivning."
NEEDS = {
    "cpap": "CPAP om natten for søvnapné.",
    "oxygen-concentrator": "Oksygen hjemme, 2 l/min i hvile.",
    "wheelchair": "Kørestol til længere strækninger.",
    "rollator": "Rollator til gang indendørs og ude.",
}


@dataclass(frozen=True)
class Words:
    """What the staff write, in the country's language."""

    trainees: tuple[str, ...]
    staff: str
    done: tuple[str, ...]
    disinfection: str


WORDS = {
    "NO": Words(
        ("Pasienten selv", "Ektefellen", "Datteren"),
        "Hjemmesykepleien",
        ("Avklart på telefon.", "Avtalt i samarbeidsmøte.", "Sendt som brev."),
        "Overflatedesinfisert, filter byttet.",
    ),
    "DK": Words(
        ("Borgeren selv", "Ægtefællen", "Datteren"),
        "Hjemmeplejen",
        ("Aftalt pr. telefon.", "Aftalt på samarbejdsmøde.", "Sendt som brev."),
        "Overfladedesinficeret, hjul og bremser kontrolleret.",
    ),
}


@dataclass
class Plan:
    """When each step of a stay happens."""

    admitted: datetime.datetime
    expected_hours: int
    ready: datetime.datetime  # discharge-ready
    left: datetime.datetime
    lent: datetime.datetime
    trained: bool
    manual: bool


class Story:
    """One ended stay, step by step, each step at its own moment; mostly on time."""

    def __init__(
        self,
        area: Area,
        rng: random.Random,
        people: tuple[User, User, User],  # the physician, the case worker, the system
        unit: Organisation,
        devices: dict[str, list[Device]],
    ) -> None:
        self.area, self.rng, self.unit, self.devices = area, rng, unit, devices
        self.physician, self.case_worker, self.actor = people
        self.zone = ZoneInfo(area.time_zone)
        self.words = WORDS[area.country]

    def local(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), self.zone)

    def late(self, share: float = 0.2) -> bool:
        return self.rng.random() < share

    def plan(self, left_on: datetime.date) -> Plan:
        rng = self.rng
        days = rng.randint(3, 8)
        # Days waited as discharge-ready: mostly none, now and then a few.
        waited = min(rng.choices((0, 1, 2, 3), weights=(60, 22, 12, 6))[0], days - 2)
        ready = self.local(left_on - waited * DAY, rng.randint(8, 9))
        # Oslo's routine holds the discharge-ready decision until the aid is lent; elsewhere
        # it comes on the day the patient leaves, now and then a day or two early.
        lent_on = left_on
        if self.area.agreement == "oslo":
            lent_on = ready.date()
        elif self.late():
            lent_on -= rng.choice((1, 2)) * DAY
        lent = self.local(lent_on, 9, 30)
        if self.area.agreement == "oslo":
            lent = min(lent, ready - HOUR)
        return Plan(
            admitted=self.local(left_on - days * DAY, rng.randint(8, 20), rng.choice((0, 20, 40))),
            # Now and then the stay lasts a day longer than expected: the tasks due by the
            # expected discharge are then done late.
            expected_hours=(days - (1 if self.late() else 0)) * 24,
            ready=ready,
            left=self.local(left_on, rng.choice((12, 13, 14, 15)), rng.choice((0, 15, 30, 45))),
            lent=lent,
            trained=not self.late(0.15),
            # A manual not handed over holds the discharge-ready decision up (000 8.0, 001):
            # only a loan made after it can be without one (and is, now and then).
            manual=lent <= ready or not self.late(0.15),
        )

    def tell(self, patient: Patient, *, left_on: datetime.date, now: datetime.datetime) -> None:
        plan = self.plan(left_on)
        with clock_at(plan.admitted):
            stay = actions.admit(
                patient,
                actor=self.physician,
                unit=self.unit,
                admission=self.rng.choice(("emergency", "emergency", "planned")),
                admitted_at=plan.admitted,
                expected_stay_hours=plan.expected_hours,
            )
        self.admission_messages(stay, plan.admitted)
        need = self.aid_need(stay, plan)
        plan.lent = max(plan.lent, need.recorded_at + HOUR)
        if self.area.country == "DK":
            at = max(plan.ready - 2 * DAY, need.recorded_at + HOUR)
            with clock_at(at):
                actions.record_event(
                    stay, "discharge-planned", actor=self.physician, at=at, discharge_at=plan.left
                )
            # The final care plan, due by noon the weekday before: mostly sent with the plan,
            # now and then only on the morning of the discharge.
            final = at + HOUR if not self.late() else min(plan.left - 3 * HOUR, plan.ready)
            self.send(stay, "PLEJEFORLOEBSPLAN:endelig", self.physician, final)
        self.train(stay, need, plan)
        # In the order it happened: the discharge-ready decision looks at the loans there are.
        loan = self.lend(need, plan) if plan.lent <= plan.ready else None
        self.discharge_ready(stay, plan)
        if plan.lent > plan.ready:
            loan = self.lend(need, plan)
        self.finish_open(stay, plan.ready, until=plan.left - 2 * HOUR)
        with clock_at(plan.left):
            stay = actions.declare_departure_ready(
                Stay.objects.get(pk=stay.pk), actor=self.physician, at=plan.left - HOUR
            )
            stay = actions.discharge(stay, actor=self.physician, at=plan.left)
        if loan is not None:
            self.give_back(loan, now)
        if not self.late(0.3):
            self.answer_survey(stay, plan.left, now)

    def send(self, stay: Stay, code: str, actor: User, at: datetime.datetime) -> None:
        with clock_at(at):
            actions.record_message(stay, code, actor=actor, sent_at=at)

    def admission_messages(self, stay: Stay, admitted: datetime.datetime) -> None:
        """The notices of the admission, on time or a day late."""
        if self.area.country == "DK":
            late = self.late()
            self.send(
                stay,
                "PLEJEFORLOEBSPLAN:foerste",
                self.physician,
                admitted + (60 if late else 20) * HOUR,
            )
            return
        self.send(stay, "LOG_INNLAGT", self.physician, admitted + (30 if self.late() else 1) * HOUR)
        if self.area.agreement == "hnt":
            at = admitted + (30 if self.late() else 6) * HOUR
            self.send(stay, "HELSEOPPL_SOKNAD:varsel", self.physician, at)
        at = admitted + (40 if self.late() else 3) * HOUR
        self.send(stay, "INNLEGGELSESRAPPORT", self.case_worker, at)

    def aid_need(self, stay: Stay, plan: Plan) -> Need:
        aid_type = self.rng.choice([slug for slug, _, _ in self.area.aids])
        at = plan.admitted + self.rng.randint(4, 20) * HOUR
        with clock_at(at):
            return actions.record_need(
                stay,
                actor=self.physician,
                kind="aid",
                aid_type=aid_type,
                description=NEEDS[aid_type],
                duration=self.rng.choice(("short", "long")),
                purpose="temporary" if self.area.country == "DK" else "",
                at=at,
            )

    def train(self, stay: Stay, need: Need, plan: Plan) -> None:
        """The patient or a relative trained on the aid (not always), and the home nursing
        where the agreement asks for it."""
        assert need.aid_type is not None
        if plan.trained:
            at = max(plan.ready - self.rng.randint(3, 20) * HOUR, need.recorded_at + HOUR)
            with clock_at(at):
                actions.record_training(
                    stay,
                    actor=self.physician,
                    aid_type=need.aid_type.slug,
                    trainee=self.rng.choice(("patient", "relative")),
                    names=self.rng.choice(self.words.trainees),
                    interpreter=stay.patient.interpreter_needed,
                    at=at,
                )
        # Oslo's routine holds the discharge until the home nursing is trained (000 8.0).
        staff_too = plan.trained or self.area.agreement == "oslo"
        open_duty = Deadline.objects.filter(
            stay=stay, duty="aid-staff-training", done_at__isnull=True
        )
        if staff_too and open_duty.exists():
            at = max(plan.ready - self.rng.randint(2, 30) * HOUR, need.recorded_at + HOUR)
            with clock_at(at):
                actions.record_training(
                    stay,
                    actor=self.physician,
                    aid_type=need.aid_type.slug,
                    trainee="staff",
                    names=self.words.staff,
                    at=at,
                )

    def lend(self, need: Need, plan: Plan) -> Loan | None:
        """The aid lent for the need from the area's shelf."""
        need.refresh_from_db()
        if need.loan_id is not None or need.aid_type is None:
            return None  # met by the loan the patient had from an earlier stay
        with clock_at(plan.lent):
            for device in self.devices[need.aid_type.slug]:
                device.refresh_from_db()
                if device.status != DeviceStatus.AVAILABLE:
                    continue
                loan = aid_actions.lend_device(
                    device,
                    need.stay.patient,
                    actor=self.actor,
                    expected_end=(plan.left + self.rng.randint(14, 45) * DAY).date(),
                    manual_handed_over=plan.manual,
                    # Oslo's routine holds the discharge until someone is trained: shown at
                    # the door there (recorded as a training when lent); elsewhere not at all.
                    instruction_given=not plan.trained and self.area.agreement == "oslo",
                    delivery="handed-out",
                )
                actions.link_loan(need, loan, actor=self.actor)
                return loan
        return None

    def discharge_ready(self, stay: Stay, plan: Plan) -> None:
        """Discharge-ready, the municipality notified and answering (Norway), and the
        departure checklist done an hour later."""
        ready = plan.ready
        with clock_at(ready):
            if self.area.country == "NO":
                texts = dict.fromkeys(SECTION_9, SECTION_9_TEXT)
                stay = actions.document(stay, SECTION_9, actor=self.physician, texts=texts)
            stay = actions.declare_discharge_ready(stay, actor=self.physician, at=ready)
        if self.area.country == "NO":
            notified = ready + (5 if self.late(0.1) else 1) * HOUR
            self.send(stay, "HELSEOPPL_SOKNAD:oppdatert", self.physician, notified)
            self.send(stay, "LOG_UTSKRIVNINGSKLAR", self.physician, notified)
            answered = notified + self.rng.randint(1, 4) * HOUR
            with clock_at(answered):
                actions.record_answer(
                    stay,
                    actor=self.case_worker,
                    can_receive=True,
                    receive_at=plan.left - HOUR,
                    service="Hjemmesykepleie",
                    sent_at=answered,
                )
        stay = Stay.objects.get(pk=stay.pk)
        checklist = stay.checklists.departure_ready(stay.care)
        sent = sent_codes(stay)
        for item in checklist:
            if item.message and item.message not in sent:
                self.send(stay, item.message, self.physician, ready + HOUR)
        ticked = [item.item for item in checklist if not item.message]
        if ticked:
            with clock_at(ready + HOUR):
                actions.prepare(stay, ticked, actor=self.physician)

    def finish_open(
        self, stay: Stay, ready: datetime.datetime, *, until: datetime.datetime
    ) -> None:
        """What is still open before the patient leaves is done by its holder, by phone or in
        a meeting: mostly before it fell due, now and then after."""
        for deadline in Deadline.objects.filter(stay=stay, done_at__isnull=True).order_by("pk"):
            due = deadline.due or ready
            if deadline.at_once or not self.late(0.25):
                at = min(due - self.rng.randint(1, 6) * HOUR, until)
            else:
                at = min(due + self.rng.randint(2, 30) * HOUR, until)
            if deadline.event is not None:
                at = max(at, deadline.event.at)  # not done before it was opened
            actor = self.case_worker if deadline.party == "municipality" else self.physician
            with clock_at(at):
                actions.complete_deadline(
                    deadline, actor=actor, note=self.rng.choice(self.words.done)
                )

    def give_back(self, loan: Loan, now: datetime.datetime) -> None:
        """The loan comes back, mostly by its expected end, and the unit makes the device
        ready again; what would happen after today has not happened yet."""
        assert loan.expected_end is not None
        end = self.local(loan.expected_end, 12)
        if self.late():
            back = end + self.rng.randint(2, 12) * DAY
        else:
            back = end - self.rng.randint(0, 6) * DAY
        back = max(back, loan.started_at + DAY)
        if back >= now:
            return
        with clock_at(back):
            aid_actions.return_loan(Loan.objects.get(pk=loan.pk), actor=self.actor)
        available = back + self.rng.choice((4, 20, 26, 50, 74, 120)) * HOUR
        if available >= now:
            return
        with clock_at(available):
            aid_actions.reprocess_device(
                Device.objects.get(pk=loan.device_id),
                actor=self.actor,
                technical_check="passed",
                disinfection=self.words.disinfection,
            )

    def answer_survey(self, stay: Stay, left: datetime.datetime, now: datetime.datetime) -> None:
        """The patient gets the survey's link the day after leaving and answers it within two
        weeks; most say yes."""
        sent = left + DAY
        answered = sent + self.rng.randint(2, 14) * DAY
        if answered >= now:
            return
        with clock_at(sent):
            _, token = survey.invite(Stay.objects.get(pk=stay.pk), actor=self.physician)
        replies = {
            question: self.rng.choices((Reply.YES, Reply.NO, Reply.UNSURE), weights=(78, 14, 8))[0]
            for question in survey.QUESTIONS
        }
        with clock_at(answered):
            survey.answer(token, replies, actor=self.actor)
