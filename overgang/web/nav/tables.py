"""The NAV applications' list as an export describes it (overgang.web.exports): the
page's columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col

NAV_APPLICATIONS = Table(
    name="nav-applications",
    title=_("NAV applications"),
    columns=(
        col(_("Registered"), attr("created_at")),
        col(_("User"), attr("patient.name")),
        col(_("Technical aid"), attr("aid_type.name")),
        col(_("urgent"), attr("urgent")),
        col(_("Applying office"), attr("municipality.name")),
        col(_("Status"), attr("status")),
    ),
    patient=lambda application: application.patient_id,
)
