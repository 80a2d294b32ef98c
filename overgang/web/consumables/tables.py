"""The consumables worklist (what runs out) as an export describes it
(overgang.web.exports): the page's columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.aids.supplies import Due
from overgang.web.exports.table import Table, attr, col


def _consumable(item: Due) -> str:
    return f"{item.plan.consumable.name} · {item.plan.loan.device.serial}"


CONSUMABLES = Table(
    name="consumables",
    title=_("Consumables"),
    columns=(
        col(_("Has enough until"), attr("plan.supplied_until")),
        col(_("Patient"), attr("plan.loan.patient.name")),
        col(_("Consumable"), _consumable),
        col(_("Need reported"), attr("reported")),
    ),
    patient=lambda item: item.plan.loan.patient_id,
)
