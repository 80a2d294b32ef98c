"""How records read in a list to choose from: as people write them, in the reader's language
and date format, not as the model's debugging text."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from overgang.rules.clock import day_at
from overgang.stays.models import Stay
from overgang.stays.states import StayStatus


def stay_label(stay: Stay) -> str:
    """ "Turid Lie – Ullevål sykehus, innlagt 03.12.2026": who, where, and since when (the day
    on the hospital's own clock)."""
    values = {
        "patient": stay.patient.name,
        "hospital": stay.hospital.name,
        "date": date_format(day_at(stay.admitted_at, stay.time_zone), "SHORT_DATE_FORMAT"),
    }
    if stay.is_outpatient:
        return _("%(patient)s – %(hospital)s, outpatient since %(date)s") % values
    if stay.status == StayStatus.PLANNED:
        return _("%(patient)s – %(hospital)s, expected %(date)s") % values
    return _("%(patient)s – %(hospital)s, admitted %(date)s") % values
