"""The capacity overview as an export describes it (overgang.web.exports): counts only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col


def capacity_table() -> Table:
    return Table(
        name="capacity",
        title=_("Shared capacity"),
        columns=(
            col(_("Unit"), attr("owner")),
            col(_("Under"), attr("under")),
            col(_("Side"), lambda row: _("municipal") if row.municipal else _("regional")),
            col(_("Aid type"), attr("aid_type")),
            col(_("available"), attr("available")),
            col(_("on loan"), attr("on_loan")),
            col(_("reprocessing"), attr("reprocessing")),
            col(_("in repair"), attr("in_repair")),
            col(_("Minimum"), attr("minimum")),
            col(_("Below the minimum"), attr("below_minimum")),
        ),
    )
