"""The consumables worklist as an export describes it (overgang.web.exports): both of the
page's lists in one file, the needs reported first, then what runs out, each row saying
which list it is on."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from overgang.aids.models import ConsumableOrder
from overgang.aids.supplies import Due
from overgang.web.exports.table import Cell, Table, col

# A row: the page's list it stands in, and its item there.
Row = tuple[str, ConsumableOrder | Due]

NEED, RUNNING_OUT = "need", "running-out"
_LISTS = {NEED: _("Needs reported"), RUNNING_OUT: _("Running out")}


def needs_and_due(needs: Any, due: Any) -> list[Row]:
    return [*((NEED, order) for order in needs), *((RUNNING_OUT, item) for item in due)]


def _list(row: Row) -> Cell:
    return _LISTS[row[0]]


def _supplied_until(row: Row) -> Cell:
    return row[1].plan.supplied_until


def _patient(row: Row) -> Cell:
    return row[1].plan.loan.patient.name


def _consumable(row: Row) -> Cell:
    plan = row[1].plan
    return f"{plan.consumable.name} · {plan.loan.device.serial}"


def _reported(row: Row) -> Cell:
    _list_name, item = row
    if isinstance(item, ConsumableOrder):
        return item.requested_at
    return item.reported


CONSUMABLES = Table(
    name="consumables",
    title=_("Consumables"),
    columns=(
        col(_("Has enough until"), _supplied_until),
        col(_("List"), _list),
        col(_("Patient"), _patient),
        col(_("Consumable"), _consumable),
        col(_("Need reported"), _reported),
    ),
    patient=lambda row: row[1].plan.loan.patient_id,
)
