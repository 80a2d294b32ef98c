"""Relatives and coordinated services on a stay (R10; HNT's routine: 004 2.1, 2.2 and 5)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import save_changed
from overgang.errors import InvalidInput
from overgang.rules.clock import day_at
from overgang.rules.registry import agreement_by_id
from overgang.stays import news
from overgang.stays.access import holder_for, sides
from overgang.stays.actions.admission import lock
from overgang.stays.actions.deadlines import open_deadlines
from overgang.stays.checklist import cited
from overgang.stays.models import Deadline, IndividualPlan, News, Stay, StayEvent

FIELDS = (
    "relatives_assessed_at",
    "relatives_need_support",
    "minor_children",
    "relatives_note",
    "individual_plan",
    "coordinator",
    "coordinator_needed",
    "responsibility_group",
)
COORDINATION_REQUESTED = "coordination-requested"


def coordination_rule_cites(stay: Stay) -> tuple[str, ...]:
    """Where the stay's agreement or its country's law has the municipality make the
    individual plan and offer a coordinator when the hospital reports the need (R10: HNT's
    004 5; Norway's helse- og omsorgstjenesteloven § 7-1, § 7-2); () where neither does."""
    # The version the stay was admitted under, as its deadlines are (actions/deadlines.py).
    agreement = agreement_by_id(stay.agreement, on=day_at(stay.admitted_at, stay.time_zone))
    for rule in agreement.deadline_rules:
        if rule.event == COORDINATION_REQUESTED:
            return rule.cites
    return ()


def assess_relatives(
    stay: Stay,
    *,
    actor: User,
    relatives_need_support: bool,
    minor_children: bool,
    note: str = "",
    individual_plan: str = "",
    coordinator: str = "",
    responsibility_group: bool = False,
    coordinator_needed: bool = False,
) -> Stay:
    """Whether relatives need support and whether minor children are relatives is assessed
    and documented, with what is done for them; an individual plan and a coordinator noted.
    When the hospital reports the need of an individual plan or a coordinator, the
    municipality's coordinating unit gets it as a task on its worklist, where the agreement
    or the law says so (R10)."""
    errors: dict[str, str] = {}
    if (relatives_need_support or minor_children) and not note.strip():
        errors["note"] = cited(
            stay,
            _("Say what is done for the relatives, and who was told."),
            stay.checklists.routine.relatives,
        )
    if individual_plan and individual_plan not in IndividualPlan.values:
        errors["individual_plan"] = _(
            "Choose: not needed, reported to the coordinating unit, or exists."
        )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        stay = lock(stay)
        asked_before = _asks_coordination(stay.individual_plan, stay.coordinator_needed)
        stay = save_changed(
            stay,
            FIELDS,
            {
                "relatives_assessed_at": clock.now(),
                "relatives_need_support": relatives_need_support,
                "minor_children": minor_children,
                "relatives_note": note.strip(),
                "individual_plan": individual_plan,
                "coordinator": coordinator.strip(),
                "coordinator_needed": coordinator_needed,
                "responsibility_group": responsibility_group,
            },
            actor=actor,
        )
        if (
            _asks_coordination(individual_plan, coordinator_needed)
            and not asked_before
            and "hospital" in sides(actor)
        ):
            _report_to_coordinating_unit(stay, actor=actor)
        return stay


def _asks_coordination(individual_plan: str, coordinator_needed: bool) -> bool:
    return individual_plan == IndividualPlan.REQUESTED or coordinator_needed


def _report_to_coordinating_unit(stay: Stay, *, actor: User) -> list[Deadline]:
    """004 5.1 b: "Melde fra til koordinerende enhet i kommunen ved behov for individuell
    plan og/eller kommunal koordinator". The task is the municipality's until it marks it
    done; the hospital is then told (`complete_deadline`)."""
    if not coordination_rule_cites(stay):
        return []
    at = clock.now()
    event = StayEvent.objects.create(stay=stay, name=COORDINATION_REQUESTED, at=at, actor=actor)
    opened, _answer = open_deadlines(event, actor=actor)
    news.tell(
        News.COORDINATION_REQUESTED,
        to=holder_for(stay, "municipality"),
        patient=stay.patient,
        link=reverse("stay-detail", args=[stay.pk]),
    )
    return opened
