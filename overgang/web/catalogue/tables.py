"""The catalogue's aid types as an export describes them (overgang.web.exports)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Cell, Table, attr, col


def _consumables(kind: Any) -> str:
    return ", ".join(c.name for c in kind.consumables.all())


def _manual(kind: Any) -> Cell:
    if kind.is_therapy:
        return _("lent as its parts")
    return kind.current_manual.title if kind.current_manual is not None else _("missing")


CATALOGUE = Table(
    name="catalogue",
    title=_("Catalogue"),
    columns=(
        col(_("Aid type"), attr("name")),
        col(_("Category"), attr("category")),
        col(_("ISO 9999"), attr("iso9999")),
        col(_("Consumables"), _consumables),
        col(_("User manual"), _manual),
    ),
)
