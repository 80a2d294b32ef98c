"""What is due of consumables (O6): plans whose patient runs out within the agreement's notice
window (000 5.0: report 1–2 weeks before), soonest first. Read-only; the writers are in
overgang.aids.actions.consumables."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet

from overgang.aids.models import ConsumptionPlan, OrderStatus, Provider
from overgang.patients.models import Patient
from overgang.rules.registry import (
    DEFAULT_CONSUMABLES_NOTICE,
    ConsumablesNotice,
    RulesError,
    agreement_for_municipality,
    all_agreements,
)


class SupplyState(models.TextChoices):
    """How urgent a plan's next supply is; worked out each time, never stored."""

    OUT = "out"  # the supply has run out
    NOW = "now"  # at or past the latest day: the patient runs out within the week
    UNKNOWN = "unknown"  # no supply recorded yet
    SOON = "soon"  # within the window: time to report or send


@dataclass(frozen=True)
class Due:
    plan: ConsumptionPlan
    state: SupplyState
    days_left: int | None
    notice: ConsumablesNotice
    reported: bool  # a need is reported and waits for the unit


def notice_for_patient(patient: Patient, today: datetime.date) -> ConsumablesNotice:
    """When the patient's agreement wants consumables reported before they run out."""
    try:
        agreement = agreement_for_municipality(patient.municipality.number, on=today)
    except RulesError:
        return DEFAULT_CONSUMABLES_NOTICE
    return agreement.consumables_notice


def _widest_window() -> int:
    return max(
        [a.consumables_notice.earliest for a in all_agreements()]
        + [DEFAULT_CONSUMABLES_NOTICE.earliest]
    )


def open_plans(plans: QuerySet[ConsumptionPlan]) -> QuerySet[ConsumptionPlan]:
    """Plans still running: not ended, their loan not returned."""
    return plans.filter(ended_at__isnull=True, loan__returned_at__isnull=True)


def due(plans: QuerySet[ConsumptionPlan], today: datetime.date) -> list[Due]:
    """The plans the lending unit supplies whose patient runs out within the notice window
    of their agreement (or has no supply recorded), soonest first."""
    horizon = today + datetime.timedelta(days=_widest_window())
    candidates = (
        open_plans(plans)
        .filter(Q(supplied_until__isnull=True) | Q(supplied_until__lte=horizon))
        .exclude(provider__in=[Provider.MUNICIPALITY, Provider.CITIZEN, Provider.NAV])
        .select_related("consumable", "loan__device__aid_type", "loan__patient__municipality")
        .prefetch_related("orders")
    )
    found = []
    for plan in candidates:
        notice = notice_for_patient(plan.loan.patient, today)
        reported = any(o.status == OrderStatus.REQUESTED for o in plan.orders.all())
        if plan.supplied_until is None:
            found.append(Due(plan, SupplyState.UNKNOWN, None, notice, reported))
            continue
        left = (plan.supplied_until - today).days
        if left > notice.earliest:
            continue
        if left < 0:
            state = SupplyState.OUT
        elif left <= notice.latest:
            state = SupplyState.NOW
        else:
            state = SupplyState.SOON
        found.append(Due(plan, state, left, notice, reported))
    order = {state: rank for rank, state in enumerate(SupplyState)}
    return sorted(
        found, key=lambda d: (order[d.state], d.days_left if d.days_left is not None else 0)
    )
