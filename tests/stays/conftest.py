"""A Levanger patient at Sykehuset Levanger (HNT), and an Aalborg patient at Aalborg
Universitetshospital, with the people who work on their stays."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.stays import actions

OSLO = ZoneInfo("Europe/Oslo")
LEVANGER_FNR = "12035610039"  # fictitious, valid check digits


@pytest.fixture
def levanger_patient(system, areas):
    return patient_actions.create_patient(
        actor=system,
        national_id_number=LEVANGER_FNR,
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
    )


@pytest.fixture
def hnt_physician(make_user):
    return make_user("hnt-clinician", ("hnt-levanger-med", Role.CLINICIAN))


@pytest.fixture
def hnt_coordinator(make_user):
    return make_user("hnt-coordinator", ("hnt-levanger-med", Role.DISCHARGE_COORDINATOR))


@pytest.fixture
def levanger_case_worker(make_user):
    return make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))


@pytest.fixture
def aalborg_physician(make_user):
    return make_user("aauh-clinician", ("aauh-lunge", Role.CLINICIAN))


# The points of § 9 every Norwegian stay documents (forskrift om utskrivningsklare pasienter).
SECTION_9 = [
    "admission-questions",
    "other-questions",
    "unresolved-explained",
    "diagnosis-and-plan",
    "function-assessed",
]


def written(items: object) -> dict[str, str]:
    """What the physician writes for each documented § 9 item (R9, § 14): a text per item."""
    return {item: f"Assessed and written in the record: {item}." for item in items}  # type: ignore[attr-defined]


def at(text: str) -> datetime.datetime:
    """A wall-clock time in Norway, e.g. "2026-03-27 10:00"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=OSLO)


@pytest.fixture
def levanger_stay(levanger_patient, hnt_physician, areas):
    return admitted_that_morning(
        levanger_patient, hnt_physician, areas["hnt-levanger-med"], expected_stay_hours=96
    )


# One stay in each of the four areas, admitted the same morning (issue 14: every region runs
# its own routine).
@pytest.fixture
def unn_physician(make_user):
    return make_user("unn-clinician", ("unn-lunge", Role.CLINICIAN))


def admitted_that_morning(patient, physician, unit, **fields):
    """An emergency admission at 10:00 on Friday 27 March 2026, unless `fields` say more."""
    return actions.admit(
        patient,
        actor=physician,
        unit=unit,
        **{"admission": "emergency", "admitted_at": at("2026-03-27 10:00"), **fields},
    )


@pytest.fixture
def oslo_stay(frogner_patient, ous_clinician, areas):
    return admitted_that_morning(frogner_patient, ous_clinician, areas["ous-lunge"])


@pytest.fixture
def tromso_stay(tromso_patient, unn_physician, areas):
    return admitted_that_morning(tromso_patient, unn_physician, areas["unn-lunge"])


@pytest.fixture
def aalborg_stay(aalborg_patient, aalborg_physician, areas):
    return admitted_that_morning(aalborg_patient, aalborg_physician, areas["aauh-lunge"])


@pytest.fixture
def planned_aalborg_stay(aalborg_patient, aalborg_physician, areas):
    """A planned Aalborg admission expected to last four days (a first care plan is due)."""
    return admitted_that_morning(
        aalborg_patient,
        aalborg_physician,
        areas["aauh-lunge"],
        admission="planned",
        expected_stay_hours=96,
    )


@pytest.fixture
def stays_of(
    levanger_stay,
    oslo_stay,
    tromso_stay,
    aalborg_stay,
    hnt_physician,
    ous_clinician,
    unn_physician,
    aalborg_physician,
):
    """area -> (stay, its physician)."""
    return {
        "oslo": (oslo_stay, ous_clinician),
        "tromso": (tromso_stay, unn_physician),
        "levanger": (levanger_stay, hnt_physician),
        "aalborg": (aalborg_stay, aalborg_physician),
    }


@pytest.fixture
def asked_stay(levanger_stay, hnt_physician):
    """The Levanger stay, where the hospital asked for supplementary information at the
    admission (R1 "ved behov"): the municipality then holds a duty from the start."""
    actions.request_supplementary_information(
        levanger_stay, actor=hnt_physician, at=levanger_stay.admitted_at
    )
    return levanger_stay
