"""The organisation list as an export describes it (overgang.web.exports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, attr, col

ORGANISATIONS = Table(
    name="organisations",
    title=_("Organisations"),
    columns=(
        col(_("Name"), attr("name")),
        col(_("Kind"), attr("kind")),
        col(_("Part of"), attr("parent.name")),
        col(_("Phone"), attr("phone")),
        col(_("HER-id / SOR-id"), lambda org: org.her_id or org.sor_id),
    ),
)
