"""Stays under way in the demo, so the worklists and the timeline have something to show:
a Levanger patient two days in at Sykehuset Levanger with the admission messages sent, a
second one discharge-ready and waiting for the municipality's answer, an Oslo patient in
the lung department, and an Aalborg patient with a planned discharge (N5). Two admissions
are planned ahead (H4, N5): a Levanger patient's, whose notice of aid needs HNT owes now,
and an Aalborg patient's hip operation, where a need for aids is foreseeable already."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from overgang import clock
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.stays import actions
from overgang.stays.models import Stay
from overgang.stays.waiting import waiting_days

SECTION_9 = [
    "admission-questions",
    "other-questions",
    "unresolved-explained",
    "diagnosis-and-plan",
    "function-assessed",
]

# What the physician writes in the record for each § 9 item (R9, forskrift § 14): the
# reasoning the municipality may ask for. Fictitious, as the patients are.
SECTION_9_TEXTS = {
    "admission-questions": "Innlagt med pneumoni. Behandlet med antibiotika i fem dager, "
    "feberfri og stabil siste to døgn.",
    "other-questions": "Lett delirium dag 2, nå klar og orientert. Ingen nye funn.",
    "unresolved-explained": "Lungefunksjon kontrolleres hos fastlege om seks uker.",
    "diagnosis-and-plan": "Diagnose J18.9. Videre plan: mobilisering, ernæring, "
    "kontroll av CRP hos fastlege.",
    "function-assessed": "Går med rullator, trenger hjelp til personlig stell. Forventes "
    "å bedres over fire til seks uker.",
}


def _patients(municipality: str, count: int, district: str = "") -> list[Patient]:
    found = Patient.objects.filter(municipality__name__istartswith=municipality, stays__isnull=True)
    if district:
        found = found.filter(district__name__icontains=district)
    return list(found.order_by("id")[:count])


def add_stays() -> list[str]:
    users = {u.username: u for u in User.objects.filter(username__contains="-")}
    unit = {
        o.key: o
        for o in Organisation.objects.filter(
            key__in=["hnt-levanger-med", "ous-lunge", "unn-lunge", "aauh-lunge"]
        )
    }
    now = clock.now().replace(second=0, microsecond=0)
    hours = datetime.timedelta(hours=1)
    made = 0
    physician, case_worker = users.get("hnt-clinician"), users.get("levanger-case")
    levanger = _patients("Levanger", 2)
    if physician and case_worker and len(levanger) == 2:
        first = actions.admit(
            levanger[0],
            actor=physician,
            unit=unit["hnt-levanger-med"],
            admission="emergency",
            admitted_at=now - 30 * hours,
            expected_stay_hours=120,
        )
        actions.record_message(first, "LOG_INNLAGT", actor=physician, sent_at=now - 29 * hours)
        actions.record_message(
            first, "INNLEGGELSESRAPPORT", actor=case_worker, sent_at=now - 27 * hours
        )
        actions.record_message(
            first, "HELSEOPPL_SOKNAD:varsel", actor=physician, sent_at=now - 8 * hours
        )
        actions.record_need(
            first,
            actor=physician,
            kind="function",
            description="Tung pust ved anstrengelse; trenger hjelp til dusj og trapper.",
            own_part="Kona hjelper morgen og kveld.",
            at=now - 7 * hours,
        )
        actions.record_need(
            first,
            actor=physician,
            kind="aid",
            aid_type="cpap",
            description="CPAP om natten for søvnapné.",
            at=now - 7 * hours,
        )
        actions.record_need(
            first,
            actor=physician,
            kind="aid",
            aid_type="wheelchair",
            description="Rullestol til lengre strekninger ute.",
            duration="long",
            at=now - 7 * hours,
        )
        actions.record_training(
            first,
            actor=physician,
            aid_type="cpap",
            trainee="relative",
            names="Kona",
            at=now - 3 * hours,
            written_procedures="Daglig rengjøring av maske og slange",
            repeat=True,
        )
        second = actions.admit(
            levanger[1],
            actor=physician,
            unit=unit["hnt-levanger-med"],
            admission="planned",
            admitted_at=now - 120 * hours,
            expected_stay_hours=120,
        )
        actions.record_message(second, "LOG_INNLAGT", actor=physician, sent_at=now - 119 * hours)
        actions.record_message(
            second, "INNLEGGELSESRAPPORT", actor=case_worker, sent_at=now - 117 * hours
        )
        actions.record_message(
            second, "HELSEOPPL_SOKNAD:varsel", actor=physician, sent_at=now - 100 * hours
        )
        actions.document(second, SECTION_9, actor=physician, texts=SECTION_9_TEXTS)
        actions.declare_discharge_ready(second, actor=physician, at=now - 2 * hours)
        actions.record_message(
            second, "HELSEOPPL_SOKNAD:oppdatert", actor=physician, sent_at=now - 2 * hours
        )
        actions.record_message(
            second, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=now - 1 * hours
        )
        made += 2
    third = _patients("Levanger", 1)
    if physician and case_worker and third:
        waiting = actions.admit(
            third[0],
            actor=physician,
            unit=unit["hnt-levanger-med"],
            admission="emergency",
            admitted_at=now - 200 * hours,
        )
        actions.record_message(waiting, "LOG_INNLAGT", actor=physician, sent_at=now - 199 * hours)
        actions.record_message(
            waiting, "INNLEGGELSESRAPPORT", actor=case_worker, sent_at=now - 197 * hours
        )
        actions.document(waiting, SECTION_9, actor=physician, texts=SECTION_9_TEXTS)
        actions.declare_discharge_ready(waiting, actor=physician, at=now - 74 * hours)
        actions.record_message(
            waiting, "HELSEOPPL_SOKNAD:oppdatert", actor=physician, sent_at=now - 74 * hours
        )
        actions.record_message(
            waiting, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=now - 73 * hours
        )
        actions.record_answer(
            waiting, actor=case_worker, can_receive=False, sent_at=now - 72 * hours
        )
        # The municipality disputes the first waiting day (R9): a task on the hospital's
        # worklist.
        first_day = waiting_days(Stay.objects.get(pk=waiting.pk)).days[:1]
        if first_day:
            actions.object_to_waiting_days(
                waiting,
                first_day,
                actor=case_worker,
                reason="Varselet kom etter kl. 15; vi kunne ikke ta imot pasienten samme dag.",
            )
        made += 1
    clinician = users.get("ous-clinician")
    oslo = _patients("Oslo", 1, district="Frogner")
    if clinician and oslo:
        actions.admit(
            oslo[0],
            actor=clinician,
            unit=unit["ous-lunge"],
            admission="emergency",
            admitted_at=now - 50 * hours,
        )
        made += 1
    ward_physician = users.get("unn-clinician")
    tromso = _patients("Tromsø", 1)
    if ward_physician and tromso:
        stay = actions.admit(
            tromso[0],
            actor=ward_physician,
            unit=unit["unn-lunge"],
            admission="emergency",
            admitted_at=now - 40 * hours,
            expected_stay_hours=144,
        )
        actions.record_message(stay, "LOG_INNLAGT", actor=ward_physician, sent_at=now - 39 * hours)
        actions.record_need(
            stay,
            actor=ward_physician,
            kind="aid",
            aid_type="oxygen-concentrator",
            description="Oksygen hjemme etter lungebetennelsen, 2 l/min i hvile.",
            duration="short",
            at=now - 6 * hours,
        )
        made += 1
    aalborg_physician = users.get("aauh-clinician")
    aalborg = _patients("Aalborg", 1)
    if aalborg_physician and aalborg:
        stay = actions.admit(
            aalborg[0],
            actor=aalborg_physician,
            unit=unit["aauh-lunge"],
            admission="planned",
            admitted_at=now - 20 * hours,
            expected_stay_hours=96,
        )
        actions.record_event(
            stay,
            "discharge-planned",
            actor=aalborg_physician,
            at=now - 2 * hours,
            discharge_at=now + 76 * hours,
        )
        made += 1
    return [f"{made} stays in hospital", f"{_add_planned(users, unit, now)} planned admissions"]


def _add_planned(
    users: dict[str, User], unit: dict[str, Organisation], now: datetime.datetime
) -> int:
    """Planned admissions ahead, their notices open before the patient arrives (H4, N5)."""
    made = 0
    days = datetime.timedelta(days=1)
    physician = users.get("hnt-clinician")
    levanger = _patients("Levanger", 1)
    if physician and levanger:
        actions.admit(
            levanger[0],
            actor=physician,
            unit=unit["hnt-levanger-med"],
            admission="planned",
            admitted_at=(now + 9 * days).replace(hour=7, minute=30),
            expected_stay_hours=120,
        )
        made += 1
    aalborg_physician = users.get("aauh-clinician")
    aalborg = _patients("Aalborg", 1)
    if aalborg_physician and aalborg:
        actions.admit(
            aalborg[0],
            actor=aalborg_physician,
            unit=unit["aauh-lunge"],
            admission="planned",
            admitted_at=(now + 12 * days).replace(hour=7, minute=0),
            expected_stay_hours=72,
            aid_need_foreseeable=True,
        )
        made += 1
    return made
