"""A working day already under way in the demo: returns reported, a device back for
reprocessing, a failure, a consumable need, a loan still waiting for its manual, and a
nursing-home resident reported for a swap. All through the ordinary writers."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.models import User

from overgang import clock
from overgang.aids import actions, failures
from overgang.aids.models import ConsumptionPlan, Device, DeviceStatus, Loan
from overgang.errors import Conflict, InvalidInput
from overgang.patients.models import Patient, Residence
from overgang.requisitions import actions as requisitions

UNIT = "ous-bhm"


def add_activity(rng: random.Random, *, actor: User) -> list[str]:
    """What happened; a line each."""
    done: list[str] = []
    loans = list(
        Loan.objects.active()
        .filter(device__owner__key=UNIT, main__isnull=True)
        .select_related("device__owner")
        .order_by("id")
    )
    rng.shuffle(loans)
    if len(loans) >= 3:
        pickup = actions.request_return(
            [loans[0]],
            actor=actor,
            method="pickup",
            reported_for="relative",
            contact_name="Pårørende (datter)",
            contact_phone="412 34 567",
            note="Ring på forhånd; portkode 2580.",
        )
        tomorrow = clock.local_now() + datetime.timedelta(days=1)
        actions.schedule_pickup(
            pickup, actor=actor, at=tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
        )
        actions.request_return([loans[1]], actor=actor, method="drop-off", reported_for="patient")
        actions.return_loan(loans[2], actor=actor)
        done.append("2 returns reported (one pickup agreed), 1 device back for reprocessing")
    on_loan = (
        Device.objects.filter(owner__key=UNIT, status=DeviceStatus.ON_LOAN)
        .order_by("serial")
        .first()
    )
    if on_loan is not None:
        failures.report_failure(
            on_loan, actor=actor, description="Alarm «lavt trykk», starter ikke etter omstart."
        )
        done.append(f"1 failure reported ({on_loan.serial})")
    plan = ConsumptionPlan.objects.filter(loan__device__owner__key=UNIT).first()
    if plan is not None:
        try:
            actions.report_need(plan, actor=actor, note="Meldt av hjemmesykepleien.")
            done.append("1 consumable need reported")
        except (Conflict, InvalidInput):
            pass
    spare = Device.objects.filter(
        owner__key=UNIT, status=DeviceStatus.AVAILABLE, aid_type__slug="cpap"
    ).first()
    borrower = Patient.objects.filter(responsible_hospital__key="ous").order_by("id").last()
    if spare is not None and borrower is not None:
        actions.lend_device(spare, borrower, actor=actor, delivery="handed-out")
        done.append(f"1 loan waiting for its manual ({spare.serial})")
    resident = Patient.objects.filter(
        responsible_hospital__key="ous", residence=Residence.INSTITUTION
    ).first()
    if resident is not None:
        requisitions.report_swap(
            resident,
            actor=actor,
            aid_type="oxygen-concentrator",
            started_by="specialist",
            documentation="Epikrise fra Lungemedisinsk avdeling, OUS, 12.10.2026.",
        )
        done.append("1 nursing-home resident reported for a swap")
    return done
