"""The open failures list as an export describes it (overgang.web.exports): the page's
columns. Like the page it names devices, not who has them: no patient is read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col

OPEN_FAILURES = Table(
    name="open-failures",
    title=_("Open failures"),
    columns=(
        col(_("Reported"), attr("reported_at")),
        col(_("Device"), attr("device.serial")),
        col(_("Aid type"), attr("device.aid_type.name")),
        col(_("Criticality"), attr("criticality")),
        col(_("danger to life and health"), attr("danger_to_life")),
        col(_("Status"), attr("status")),
        col(_("What is wrong"), attr("description")),
    ),
)
