"""The demo's requisitions (U1–U3): one waiting at each unit, one granted with its device
reserved for the discharge, and one refused and appealed, so the unit's lists are not
empty when someone first logs in."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db.models import Q

from overgang import clock
from overgang.aids.models import Device, DeviceStatus
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.requisitions import actions
from overgang.stays.models import Stay
from overgang.stays.states import StayStatus


def _outpatient(trust_key: str, skip: set[int]) -> Patient | None:
    found = Patient.objects.filter(responsible_hospital__key=trust_key, stays__isnull=True)
    return found.exclude(pk__in=skip).exclude(Q(requisitions__isnull=False)).order_by("id").first()


def add_requisitions() -> list[str]:
    users = {u.username: u for u in User.objects.filter(username__contains="-")}
    places = {o.key: o for o in Organisation.objects.filter(key__in=["ous-lunge", "aauh-lunge"])}
    physician, unit = users.get("ous-clinician"), users.get("ous-bhm")
    made: list[str] = []
    if physician is None or unit is None or "ous-lunge" not in places:
        return made
    used: set[int] = set()
    waiting = _outpatient("ous", used)
    if waiting is not None:
        used.add(waiting.pk)
        actions.submit_requisition(
            actions.RequisitionInput(
                patient=waiting,
                aid_type="cpap",
                justification="Obstruktiv søvnapné, AHI 38 ved polygrafi. CPAP 8–12 cmH2O.",
                requester_role="specialist-physician",
                requester_name=physician.get_full_name(),
                department=places["ous-lunge"],
                route="outpatient",
                referred_by="Fastlege Anne Berg, Majorstuen legesenter",
                referred_on=clock.today() - datetime.timedelta(days=20),
            ),
            actor=physician,
        )
        made.append("requisition to assess")
    stay = (
        Stay.objects.filter(trust__key="ous", status__in=StayStatus.OPEN)
        .order_by("admitted_at")
        .first()
    )
    device = Device.objects.filter(
        owner__key="ous-bhm", aid_type__slug="oxygen-concentrator", status=DeviceStatus.AVAILABLE
    ).first()
    if stay is not None and device is not None:
        granted = actions.submit_requisition(
            actions.RequisitionInput(
                patient=stay.patient,
                aid_type="oxygen-concentrator",
                justification="KOLS grad IV, pO2 7,1 kPa i hvile. 2 l/min minst 16 timer i døgnet.",
                requester_role="specialist-physician",
                requester_name=physician.get_full_name(),
                department=places["ous-lunge"],
                route="inpatient",
                stay=stay,
            ),
            actor=physician,
        )
        actions.start_assessment(granted, actor=unit)
        actions.decide_requisition(
            granted,
            actor=unit,
            approved=True,
            reason="Oppfyller kriteriene for langtids oksygenbehandling.",
            device=device,
        )
        made.append("requisition granted, device reserved for discharge")
    refused_for = _outpatient("ous", used)
    if refused_for is not None:
        refused = actions.submit_requisition(
            actions.RequisitionInput(
                patient=refused_for,
                aid_type="nebuliser",
                justification="Astma, hyppige forverringer.",
                requester_role="specialist-physician",
                requester_name=physician.get_full_name(),
                department=places["ous-lunge"],
                route="outpatient",
                referred_by="Fastlege Ola Dahl",
            ),
            actor=physician,
        )
        actions.decide_requisition(
            refused,
            actor=unit,
            approved=False,
            reason="Inhalasjon med spacer er ikke prøvd; prøv det først.",
        )
        actions.register_appeal(
            refused,
            actor=unit,
            appellant="relative",
            appellant_name="Eva Dahl",
            grounds="Spacer er prøvd hjemme uten bedring.",
        )
        made.append("requisition refused and appealed")
    danish, depot = users.get("aauh-clinician"), _outpatient("rn", set())
    if danish is not None and depot is not None and "aauh-lunge" in places:
        actions.submit_requisition(
            actions.RequisitionInput(
                patient=depot,
                aid_type="wrist-splint",
                justification="Distal radiusfraktur, konservativ behandling i 5 uger.",
                requester_role="specialist-physician",
                requester_name=danish.get_full_name(),
                department=places["aauh-lunge"],
                route="outpatient",
                referred_by="Egen læge Hans Hansen",
            ),
            actor=danish,
        )
        made.append("ordination to assess (Region Nordjylland)")
    lines = [f"{len(made)} requisitions: {', '.join(made)}"]
    lines += _nav_and_disputes(users)
    return lines


def _nav_and_disputes(users: dict[str, User]) -> list[str]:
    """A NAV application waiting for the signature and one sent (Levanger, H5); a dispute
    about a splint between Aalborg University Hospital and Aalborg's visitation (N13)."""
    lines: list[str] = []
    office, levanger = (
        users.get("levanger-case"),
        Organisation.objects.filter(key="levanger-tildeling").first(),
    )
    residents = list(
        Patient.objects.filter(municipality__key="levanger", nav_applications__isnull=True)
        .exclude(stays__status__in=StayStatus.OPEN)
        .order_by("id")[:2]
    )
    if office is not None and levanger is not None and len(residents) == 2:
        actions.register_application(
            actions.NavApplicationInput(
                patient=residents[0],
                municipality=levanger,
                aid_type="care-bed",
                duration_months=60,
                description="Elektrisk seng med løftefunksjon; brukeren reiser seg ikke selv.",
            ),
            actor=office,
        )
        sent = actions.register_application(
            actions.NavApplicationInput(
                patient=residents[1],
                municipality=levanger,
                aid_type="fitted-wheelchair",
                duration_months=120,
                description="Individuelt tilpasset rullestol etter hjerneslag.",
            ),
            actor=office,
        )
        actions.record_signature(
            sent, actor=office, signed_by="relative", signer_name="Ingrid Levangsen"
        )
        actions.record_sent(sent, actor=office, nav_reference="HMS-50-2026-0412")
        lines.append("2 NAV applications (one waiting for the signature, one sent)")
    visitator = users.get("aalborg-case")
    places = {
        o.key: o for o in Organisation.objects.filter(key__in=["aauh-lunge", "aalborg-visitation"])
    }
    citizen = (
        Patient.objects.filter(municipality__key="aalborg", disputes__isnull=True)
        .exclude(stays__status__in=StayStatus.OPEN)
        .order_by("id")
        .first()
    )
    if visitator is not None and citizen is not None and len(places) == 2:
        actions.raise_dispute(
            citizen,
            actor=visitator,
            aid_type="wrist-splint",
            question="who-pays",
            description=(
                "Hospitalet anser skinnen som et hjælpemiddel efter serviceloven; visitationen "
                "anser den som et behandlingsredskab, da den indgår i frakturbehandlingen."
            ),
            hospital=places["aauh-lunge"],
            municipality=places["aalborg-visitation"],
        )
        lines.append("1 dispute (Aalborg: who pays for a splint)")
    return lines
