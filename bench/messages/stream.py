"""The messages of the benchmark, built in the app's own process (it needs the register's
HER- and SOR-ids): fictitious patients with valid check digits, each with the messages of
the start of a stay, composed with overgang.messages as a hospital or municipality would
send them."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from bench.messages.common import (
    DANISH_EVERY,
    DANISH_HOSPITAL_KEY,
    DANISH_MUNICIPALITY_KEY,
    DANISH_STAY,
    HOSPITAL_KEYS,
    MUNICIPALITY_KEYS,
    PLO_STAY,
)
from overgang import clock
from overgang.demo.people import danish_id, norwegian_id
from overgang.messages import Notification, Outgoing, compose, hospital_notification
from overgang.messages.incoming import Happening, Organisation, Person, Section, Status
from overgang.messages.outgoing import Contact
from overgang.messages.plo_documents import ADMITTED, DISCHARGE_READY, DISCHARGED
from overgang.organisations.models import Organisation as Register
from overgang.patients.models import Patient

MUNICIPALITY_SENDS = ("INNLEGGELSESRAPPORT", "TILBAKEMELDING_UTSKRIVNINGSKLAR")
SECTIONS = (
    Section("Pasientens status", ("Innlagt etter fall i hjemmet.", "Uavklart brudd i hofte.")),
    Section("Antatt forløp", ("Operasjon, deretter rehabilitering.",)),
    Section("Funksjon", ("Går med rullator innendørs.", "Trenger hjelp til dusj.")),
)


@dataclass(frozen=True)
class Body:
    code: str  # the PLO code or the MedCom activity
    raw: bytes


class Parties:
    """The demo organisations the messages go between, as a message names them."""

    def __init__(self) -> None:
        keys = (*HOSPITAL_KEYS, *MUNICIPALITY_KEYS, DANISH_HOSPITAL_KEY, DANISH_MUNICIPALITY_KEY)
        found = {o.key: o for o in Register.objects.filter(key__in=keys)}
        self.hospital = tuple(
            Organisation(found[k].name, (found[k].her_id,)) for k in HOSPITAL_KEYS
        )
        self.municipality = tuple(
            Organisation(found[k].name, (found[k].her_id,)) for k in MUNICIPALITY_KEYS
        )
        self.danish_hospital = Organisation(
            found[DANISH_HOSPITAL_KEY].name, (found[DANISH_HOSPITAL_KEY].sor_id,)
        )
        self.danish_municipality = Organisation(
            found[DANISH_MUNICIPALITY_KEY].name, (found[DANISH_MUNICIPALITY_KEY].sor_id,)
        )


class People:
    """Fictitious patients, new to the database: the same ones for the same seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.taken = set(Patient.objects.values_list("national_id", flat=True))

    def next(self, *, danish: bool) -> Person:
        while True:
            number = danish_id(self.rng) if danish else norwegian_id(self.rng)
            if number not in self.taken:
                self.taken.add(number)
                break
        if danish:
            return Person(number, "CPR", "Nielsen", "Karen")
        return Person(number, "FNR", "Gundersen", "Roland")


def outgoing(code: str, parties: Parties, patient: Person, admitted: datetime.datetime) -> Outgoing:
    """A PLO message about `patient`, admitted at `admitted`, from the side that sends it."""
    from_municipality = code.split(":")[0] in MUNICIPALITY_SENDS
    ready = admitted + datetime.timedelta(hours=20)
    happenings = {
        "LOG_UTSKRIVNINGSKLAR": (Happening(ADMITTED, admitted), Happening(DISCHARGE_READY, ready)),
        "TILBAKEMELDING_UTSKRIVNINGSKLAR": (Happening(DISCHARGE_READY, ready),),
        "LOG_UTSKREVET": (
            Happening(ADMITTED, admitted),
            Happening(DISCHARGED, ready + datetime.timedelta(hours=1)),
        ),
    }.get(code, (Happening(ADMITTED, admitted),))
    return Outgoing(
        code=code,
        message_id=str(uuid.uuid4()),
        status=Status.NEW,
        sent_at=clock.now() - datetime.timedelta(minutes=1),
        sender=parties.municipality if from_municipality else parties.hospital,
        receiver=parties.hospital if from_municipality else parties.municipality,
        patient=patient,
        happenings=happenings,
        contact=Contact("Medisinsk sengepost", "+47 74 09 80 00"),
        sections=SECTIONS,
        can_receive=True,
        receive_at=ready + datetime.timedelta(days=1),
        service="Korttidsopphold, Levanger helsehus",
    )


def notification(
    activity: str, parties: Parties, patient: Person, admitted: datetime.datetime
) -> bytes:
    return hospital_notification(
        Notification(
            message_id=str(uuid.uuid4()),
            activity=activity,
            sent_at=clock.now() - datetime.timedelta(minutes=1),
            sender=parties.danish_hospital,
            receiver=parties.danish_municipality,
            patient=patient,
            encounter_start=admitted,
            encounter_end=None if activity.startswith("admit") else clock.now(),
        )
    )


def stays(
    count: int, people: People, parties: Parties, *, plo_codes: tuple[str, ...] = PLO_STAY
) -> Iterator[Body]:
    """The messages of `count` patients' stays, one patient after another; every
    DANISH_EVERY-th patient (but with plo_codes other than a whole stay's) is Danish."""
    danish_share = plo_codes == PLO_STAY
    for number in range(count):
        admitted = clock.now() - datetime.timedelta(hours=3)
        if danish_share and number % DANISH_EVERY == DANISH_EVERY - 1:
            patient = people.next(danish=True)
            for activity in DANISH_STAY:
                yield Body(activity, notification(activity, parties, patient, admitted))
            continue
        patient = people.next(danish=False)
        for code in plo_codes:
            yield Body(code, compose(outgoing(code, parties, patient, admitted)))
