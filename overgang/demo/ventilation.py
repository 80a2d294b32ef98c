"""A home-ventilation (LTMV) agreement in Oslo (O11): a Frogner patient in OUS's lung
department who will need a home ventilator; the hospital drafted the agreement, Frogner
completed it with the hospital, the hospital signed, and Frogner has yet to sign.
Only Oslo's routine provides for it (docs/agreements.md), so the other areas have none."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from overgang import clock
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.stays import actions as stay_actions
from overgang.ventilation import actions


def add_ventilation() -> list[str]:
    clinician = User.objects.filter(username="ous-clinician").first()
    district = User.objects.filter(username="oslo-frogner").first()
    unit = Organisation.objects.filter(key="ous-lunge").first()
    patient = (
        Patient.objects.filter(
            municipality__name__istartswith="Oslo",
            district__name__icontains="Frogner",
            stays__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if clinician is None or district is None or unit is None or patient is None:
        return []
    now = clock.now().replace(second=0, microsecond=0)
    hours = datetime.timedelta(hours=1)
    stay = stay_actions.admit(
        patient, actor=clinician, unit=unit, admission="emergency", admitted_at=now - 96 * hours
    )
    stay_actions.record_need(
        stay,
        actor=clinician,
        kind="aid",
        aid_type="home-ventilator",
        description="Nattlig non-invasiv respiratorbehandling hjemme (LTMV).",
        duration="long",
        purpose="treatment",
        at=now - 90 * hours,
    )
    agreement = actions.draft(stay, actor=clinician)
    version = agreement.current
    actions.update(
        agreement,
        actions.Content(
            assessment_date=(now - 48 * hours).date(),
            participants=[
                {"name": "Lise Lungelege", "role": "overlege", "organisation": "OUS, lunge"},
                {"name": "Per Fysio", "role": "fysioterapeut", "organisation": "OUS, lunge"},
                {
                    "name": "Frida Frognersen",
                    "role": "saksbehandler",
                    "organisation": "Bydel Frogner",
                },
            ],
            responsibilities=[
                {
                    "duty": row["duty"],
                    "party": "municipality" if row["duty"] == "consumables" else row["party"],
                    "reason": "Bydelen har rammeavtale på filtre og slanger."
                    if row["duty"] == "consumables" and row["party"] != "municipality"
                    else "",
                }
                for row in version.responsibilities
            ],
            staffing_plan="Hjemmesykepleie morgen og kveld; nattevakt med respiratoropplæring.",
            training=[
                {
                    "trainer": "OUS, Avdeling for behandlingshjelpemidler",
                    "trainees": "Hjemmesykepleien i Bydel Frogner",
                    "by": (now + 72 * hours).date().isoformat(),
                }
            ],
            follow_up_days=list(version.follow_up_days),
        ),
        actor=district,
    )
    actions.sign(agreement, actor=clinician)
    return ["1 home-ventilation agreement (Oslo, Frogner to sign)"]
