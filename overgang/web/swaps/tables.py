"""The swap list as an export describes it (overgang.web.exports): the page's columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col

SWAPS = Table(
    name="swaps",
    title=_("Swaps"),
    columns=(
        col(_("Reported"), attr("reported_at")),
        col(_("Resident"), attr("patient.name")),
        col(_("Institution"), attr("institution.name")),
        col(_("Equipment"), attr("aid_type.name")),
        col(_("Status"), attr("status")),
    ),
    patient=lambda report: report.patient_id,
)
