"""Outpatient episodes and coordination in the demo (R10, R11, U1), one per area where it
fits: a Levanger outpatient whose needs changed (the municipality's task, 004 4) and who
needs an individual plan (the coordinating unit's task, 004 5); a Frogner outpatient whose
coordinator is reported under the law; a Tromsø outpatient with a requisition on U1's
outpatient route; and an Aalborg ambulant episode, closed."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from overgang import clock
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.requisitions import actions as requisitions
from overgang.stays import actions


def _free_patient(municipality: str, district: str = "") -> Patient | None:
    """A patient of the municipality with no stay and no requisition yet."""
    found = Patient.objects.filter(
        municipality__name__istartswith=municipality,
        stays__isnull=True,
        requisitions__isnull=True,
    )
    if district:
        found = found.filter(district__name__icontains=district)
    return found.order_by("-id").first()


def add_episodes() -> list[str]:
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
    places = (
        ("hnt-clinician", "Levanger", "", "hnt-levanger-med"),
        ("ous-clinician", "Oslo", "Frogner", "ous-lunge"),
        ("unn-clinician", "Tromsø", "", "unn-lunge"),
        ("aauh-clinician", "Aalborg", "", "aauh-lunge"),
    )
    for username, municipality, district, key in places:
        physician, patient = users.get(username), _free_patient(municipality, district)
        if physician is None or patient is None or key not in unit:
            continue
        episode = actions.admit(
            patient,
            actor=physician,
            unit=unit[key],
            admission="outpatient",
            admitted_at=now - 3 * hours,
        )
        made += 1
        if municipality == "Levanger":
            actions.record_need(
                episode,
                actor=physician,
                kind="function",
                description="Dagbehandling: klarer ikke å dusje alene, trenger hjelp hjemme.",
                at=now - 2 * hours,
            )
            actions.assess_relatives(
                episode,
                actor=physician,
                relatives_need_support=True,
                minor_children=True,
                note="Barneansvarlig i avdelingen har snakket med barna (8 og 12 år) og mor.",
                individual_plan="requested",
            )
        elif municipality == "Oslo":
            actions.assess_relatives(
                episode,
                actor=physician,
                relatives_need_support=False,
                minor_children=False,
                individual_plan="not-needed",
                coordinator_needed=True,
            )
        elif municipality == "Tromsø":
            requisitions.submit_requisition(
                requisitions.RequisitionInput(
                    patient=patient,
                    aid_type="oxygen-concentrator",
                    justification="KOLS grad IV, pO2 7,1 kPa i hvile. 2 l/min over 16 t/døgn.",
                    requester_role="specialist-physician",
                    requester_name=physician.get_full_name(),
                    department=unit[key],
                    route="outpatient",
                    referred_by="Fastlege Per Hansen, Tromsø legesenter",
                    referred_on=clock.today() - datetime.timedelta(days=14),
                ),
                actor=physician,
            )
        else:
            actions.end_episode(
                episode, actor=physician, at=now - 1 * hours, note="Ambulant kontrol afsluttet."
            )
    return [f"{made} outpatient episodes"]
