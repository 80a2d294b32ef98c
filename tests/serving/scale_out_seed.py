"""What the scale-out test's own database holds before its servers start: the organisations
and the catalogue, two people with e-mail addresses, Frogner patients to lend devices to,
and a Levanger patient to admit. Run inside an
`overgang shell` against that database (tests/serving/cluster.py); prints one JSON line.

Everything else (devices, loans, the stay whose deadlines fall due) is made through the
servers, as users make it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from stdnum.no import fodselsnummer

from overgang.aids.actions import sync_catalogue
from overgang.audit.history import system_actor
from overgang.organisations.actions import add_membership, create_user, load_organisations
from overgang.organisations.models import Organisation, Role
from overgang.patients import actions as patient_actions
from tests.stays.conftest import LEVANGER_FNR

MARK = "SEEDED "
FROGNER_PATIENTS = 13  # two for each raced device, and three more
PASSWORD = "scale-out-test-password"
# (username, organisation, role): lends OUS's devices; admits to Sykehuset Levanger.
PEOPLE = [
    ("ous-bhm", "ous-bhm", Role.AIDS_STAFF),
    ("hnt-clinician", "hnt-levanger-med", Role.CLINICIAN),
]


def email_of(username: str) -> str:
    return f"{username}@scale-out.example"


def national_id_numbers() -> Iterator[str]:
    """Fictitious Norwegians born 15 August 1986, with valid check digits."""
    for individual in range(100, 500):
        start = f"150886{individual:03d}"
        first = fodselsnummer.calc_check_digit1(start)
        second = fodselsnummer.calc_check_digit2(start + first)
        if len(first + second) == 2:
            yield start + first + second


def seed() -> None:
    system = system_actor()
    load_organisations(actor=system)
    sync_catalogue()
    for username, organisation, role in PEOPLE:
        user = create_user(
            actor=system, username=username, password=PASSWORD, email=email_of(username)
        )
        add_membership(user, Organisation.objects.get(key=organisation), role, actor=system)
    numbers = national_id_numbers()
    frogner = [
        patient_actions.create_patient(
            actor=system,
            national_id_number=next(numbers),
            name=f"Frogner Patient {n}",
            municipality="Oslo",
            district="Frogner",
            address=f"Skovveien {n}",
        ).pk
        for n in range(1, FROGNER_PATIENTS + 1)
    ]
    levanger = patient_actions.create_patient(
        actor=system,
        national_id_number=LEVANGER_FNR,
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
    )
    print(MARK + json.dumps({"frogner": frogner, "levanger": levanger.pk}), flush=True)
