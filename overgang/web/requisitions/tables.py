"""The requisition list as an export describes it (overgang.web.exports): the page's
columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col

REQUISITIONS = Table(
    name="requisitions",
    title=_("Requisitions"),
    columns=(
        col(_("Received"), attr("submitted_at")),
        col(_("no."), attr("pk")),
        col(_("Patient"), attr("patient.name")),
        col(_("Treatment aid"), attr("aid_type.name")),
        col(_("Unit"), attr("unit.name")),
        col(_("Deliver by"), attr("deliver_by")),
        col(_("Device"), attr("device.serial")),
        col(_("Status"), attr("status")),
    ),
    patient=lambda requisition: requisition.patient_id,
)
