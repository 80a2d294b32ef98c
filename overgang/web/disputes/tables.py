"""The dispute list as an export describes it (overgang.web.exports): the page's columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col

DISPUTES = Table(
    name="disputes",
    title=_("Disputes"),
    columns=(
        col(_("Registered"), attr("raised_at")),
        col(_("Citizen"), attr("patient.name")),
        col(_("Aid"), attr("aid_type.name")),
        col(_("Disagreement about"), attr("question")),
        col(_("Delivers at once"), attr("closest")),
        col(_("Level"), attr("level")),
        col(_("Status"), attr("status")),
    ),
    patient=lambda dispute: dispute.patient_id,
)
