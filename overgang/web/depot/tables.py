"""The depot overview as an export describes it (overgang.web.exports): a column per
device status, as the page shows them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.aids.models import DeviceStatus
from overgang.web.exports.table import Column, Table, attr, col


def _count(status: str) -> Column:
    return col(DeviceStatus(status).label, lambda row: row.counts.get(status, 0))


def depot_table() -> Table:
    return Table(
        name="depot",
        title=_("Depot overview"),
        columns=(
            col(_("Unit"), attr("owner")),
            col(_("Aid type"), attr("aid_type")),
            *(_count(value) for value, _label in DeviceStatus.choices),
            col(_("Total"), attr("total")),
            col(_("Overdue"), attr("overdue")),
            col(_("Minimum"), attr("minimum")),
            col(_("Below the minimum"), attr("below_minimum")),
        ),
    )
