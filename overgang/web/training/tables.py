"""The staff-training list as an export describes it (overgang.web.exports): the page's
columns. Staff, not patients: nothing to log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col


def _staff(session: Any) -> str:
    return "; ".join(
        f"{person['name']} ({person['role']})" if person.get("role") else person["name"]
        for person in session.staff
    )


STAFF_TRAININGS = Table(
    name="staff-training",
    title=_("Staff training"),
    columns=(
        col(_("Date"), attr("held_on")),
        col(_("Unit"), attr("organisation.name")),
        col(_("Aid"), attr("aid_type.name")),
        col(_("Trained by"), attr("trainer")),
        col(_("Staff trained"), _staff),
    ),
)
