"""Relatives and coordinated services on a stay (R10; HNT's routine: 004 2.1, 2.2 and 5)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import save_changed
from overgang.errors import InvalidInput
from overgang.stays.actions.admission import lock
from overgang.stays.checklist import cited
from overgang.stays.models import IndividualPlan, Stay

FIELDS = (
    "relatives_assessed_at",
    "relatives_need_support",
    "minor_children",
    "relatives_note",
    "individual_plan",
    "coordinator",
    "responsibility_group",
)


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
) -> Stay:
    """Whether relatives need support and whether minor children are relatives is assessed
    and documented, with what is done for them; an individual plan and a coordinator noted."""
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
        return save_changed(
            stay,
            FIELDS,
            {
                "relatives_assessed_at": clock.now(),
                "relatives_need_support": relatives_need_support,
                "minor_children": minor_children,
                "relatives_note": note.strip(),
                "individual_plan": individual_plan,
                "coordinator": coordinator.strip(),
                "responsibility_group": responsibility_group,
            },
            actor=actor,
        )
