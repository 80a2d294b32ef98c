"""The patient list as an export describes it (overgang.web.exports): the page's columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from overgang.patients.models import Patient
from overgang.web.exports.table import Table, attr, col


def _area(patient: Patient) -> str:
    municipality = patient.municipality.name
    return municipality if patient.district is None else f"{municipality}, {patient.district.name}"


PATIENTS = Table(
    name="patients",
    title=_("Patients"),
    columns=(
        col(_("Name"), attr("sort_name")),
        col(_("National identity number"), attr("formatted_national_id")),
        col(_("Born"), attr("birth_date")),
        col(_("Municipality"), _area),
        col(_("Lives"), attr("residence")),
    ),
    patient=lambda patient: patient,
)
