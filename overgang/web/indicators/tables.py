"""The indicators' figures as a list for the exports: one row per indicator and month."""

from django.utils.translation import gettext_lazy as _

from overgang.web.exports.table import Table, col

INDICATORS = Table(
    name="indicators",
    title=_("Indicators"),
    columns=(
        col(_("Indicator"), lambda row: row["title"]),
        col(_("Month"), lambda row: row["month"]),
        col(_("Numerator"), lambda row: row["numerator"]),
        col(_("Denominator"), lambda row: row["denominator"]),
        col(_("Value"), lambda row: row["value"]),
        col(_("Citations"), lambda row: row["cites"]),
    ),
)
