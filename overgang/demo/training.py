"""Training in the demo (O10, N7): trainings on the Oslo and Aalborg stays that say what was
shown and whether it was understood, an Oslo nutrition plan printed from its steps, and
staff-training sessions the hospitals gave and recorded: OUS for Bydel Frogner's home
nursing, UNN for Tromsø's, Aalborg University Hospital for Aalborg's (000 9.0/9.2, 001
Ansvar, 003 3.2); each municipality sees them and is told."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from overgang import clock
from overgang.organisations.models import Organisation
from overgang.stays import actions
from overgang.stays.models import Stay


def add_training() -> list[str]:
    users = {u.username: u for u in User.objects.filter(username__contains="-")}
    now = clock.now().replace(second=0, microsecond=0)
    hours = datetime.timedelta(hours=1)
    trainings = sessions = 0
    clinician = users.get("ous-clinician")
    oslo = Stay.objects.filter(department__key="ous-lunge").order_by("pk").first()
    if clinician and oslo:
        # Where the patient needs an interpreter, the evening's training went without one,
        # and says why (000 9.1: "evt. vurdere behov for tolk").
        without = oslo.patient.interpreter_needed
        training = actions.record_training(
            oslo,
            actor=clinician,
            aid_type="enteral-feeding-pump",
            trainee="relative",
            names="Datteren",
            at=now - 4 * hours,
            no_interpreter_reason="Tolken kunne ikke komme på kveldstid; datteren oversatte, "
            "og moren viste selv tilbake."
            if without
            else "",
            items=[
                {"item": "Koble sonde til pumpen", "understood": "yes"},
                {"item": "Skylle sonden før og etter måltid", "understood": "yes"},
                {"item": "Alarm ved tett slange", "understood": "partly"},
            ],
            teach_back="Viste selv oppkobling og skylling; usikker på hva alarmen betyr.",
            written_procedures="Ernæringsplan",
            repeat=True,
            repeat_on=(now + 48 * hours).date(),
        )
        actions.attach_procedure(
            training,
            actor=clinician,
            title="Ernæringsplan",
            steps=[
                "Vask hendene før du kobler til.",
                "Skyll sonden med 30 ml vann.",
                "Start pumpen: 80 ml i timen, 10 timer om natten.",
                "Skyll sonden med 30 ml vann etterpå.",
                "Ring avdelingen ved alarm som ikke går over.",
            ],
        )
        trainings += 1
    physician = users.get("aauh-clinician")
    aalborg = Stay.objects.filter(department__key="aauh-lunge").order_by("pk").first()
    if physician and aalborg:
        actions.record_training(
            aalborg,
            actor=physician,
            aid_type="wrist-splint",
            trainee="patient",
            names="Borgeren selv",
            at=now - 3 * hours,
            interpreter=aalborg.patient.interpreter_needed,
            items=[
                {"item": "Tage skinnen på og af", "understood": "yes"},
                {"item": "Tjekke huden for tryk", "understood": "partly"},
            ],
            teach_back="Tog selv skinnen på; skal vises hudtjek igen.",
        )
        trainings += 1
    sessions += _session(
        users.get("ous-clinician"),
        "oslo-frogner-hjemmesykepleie",
        aid_type="enteral-feeding-pump",
        trainer="Lise Lungelege, OUS lungeavdelingen",
        staff=[
            {"name": "Kari Nordmann", "role": "sykepleier"},
            {"name": "Ola Hansen", "role": "helsefagarbeider"},
        ],
        covered="Oppkobling, skylling, alarmer og rengjøring av ernæringspumpe.",
        held_on=(now - 72 * hours).date(),
    )
    sessions += _session(
        users.get("unn-clinician"),
        "tromso-hjemmesykepleie",
        aid_type="cpap",
        trainer="Ulrik Ulvang, UNN lungeavdelingen",
        staff=[
            {"name": "Inga Eriksen", "role": "sykepleier"},
            {"name": "Mats Isaksen", "role": "helsefagarbeider"},
        ],
        covered="Maske, slange og filter; rengjøring; hva som gjøres ved lekkasje og alarm.",
        held_on=(now - 48 * hours).date(),
    )
    sessions += _session(
        users.get("aauh-clinician"),
        "aalborg-hjemmepleje",
        aid_type="rom-bandage",
        trainer="Anders Aalund, Aalborg Universitetshospital",
        staff=[
            {"name": "Mette Jensen", "role": "sygeplejerske"},
            {"name": "Lars Nielsen", "role": "social- og sundhedsassistent"},
        ],
        covered="Anlæggelse og kontrol af ROM-bandage; hvornår hospitalet kontaktes.",
        held_on=(now - 96 * hours).date(),
    )
    return [f"{trainings} trainings with what was understood, {sessions} staff trainings"]


def _session(actor: User | None, unit_key: str, **fields: object) -> int:
    unit = Organisation.objects.filter(key=unit_key).first()
    if actor is None or unit is None:
        return 0
    actions.record_staff_training(unit, actor=actor, **fields)  # type: ignore[arg-type]
    return 1
