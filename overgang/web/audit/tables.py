"""A patient's access log as an export describes it (overgang.web.exports): each read as
the auditor's page shows it (`views._entries`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, col

PATIENT_READS = Table(
    name="access-log",
    title=_("Access log"),
    columns=(
        col(_("When"), lambda entry: entry["read"].at),
        col(_("Who"), lambda entry: entry["reader"]),
        col(_("Username"), lambda entry: entry["read"].user.username),
        col(_("Organisation"), lambda entry: entry["organisation"]),
        col(_("Through"), lambda entry: entry["read"].channel),
        col(_("Purpose"), lambda entry: entry["purpose"]),
        col(_("What"), lambda entry: entry["read"].what),
    ),
)
# No `patient`: the log is one patient's, and its view logs exporting it as one read of
# them, also when the filter keeps no row (the file still names the patient).
