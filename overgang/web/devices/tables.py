"""The device list as an export describes it (overgang.web.exports): the page's columns."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from overgang.aids.models import DeviceStatus
from overgang.web.exports.table import Cell, Table, attr, col


def _lent_to(device: Any) -> Cell:
    """The borrower the user may see; a loan to a patient outside the user's area unnamed."""
    if device.borrower is not None:
        return device.borrower.name  # type: ignore[no-any-return]
    return _("a patient outside your area") if device.status == DeviceStatus.ON_LOAN else None


DEVICES = Table(
    name="devices",
    title=_("Devices"),
    columns=(
        col(_("Serial number"), attr("serial")),
        col(_("Type"), attr("aid_type.name")),
        col(_("Status"), attr("status")),
        col(_("Location"), attr("location")),
        col(_("Lent to"), _lent_to),
    ),
    patient=lambda device: device.borrower,
)


def _shown_patient(loan: Any) -> Cell:
    """The borrower where the user may see them (set by the view), else unnamed."""
    shown = loan.shown_patient
    return shown.name if shown is not None else _("a patient outside your area")


LOANS_WITHOUT_MANUAL = Table(
    name="loans-without-manual",
    title=_("Loans without the manual"),
    columns=(
        col(_("Device"), attr("device.serial")),
        col(_("Type"), attr("device.aid_type.name")),
        col(_("Lent to"), _shown_patient),
        col(_("Since"), attr("started_at")),
        col(_("Lent as"), attr("role")),
    ),
    patient=lambda loan: loan.shown_patient,
)
