"""The returns list as an export describes it (overgang.web.exports): the page's columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.aids.models import ReturnRequest
from overgang.web.exports.table import Table, attr, col


def _devices(item: ReturnRequest) -> str:
    return ", ".join(loan.device.serial for loan in item.loans.all())


RETURNS = Table(
    name="returns",
    title=_("Returns"),
    columns=(
        col(_("Next pickup"), attr("appointment")),
        col(_("Status"), attr("status")),
        col(_("Patient"), attr("patient.name")),
        col(_("Devices"), _devices),
        col(_("How"), attr("method")),
        col(_("Address"), attr("address")),
        col(_("Contact"), attr("contact_name")),
        col(_("Phone"), attr("contact_phone")),
        col(_("Reported"), attr("requested_at")),
    ),
    patient=lambda item: item.patient_id,
)
