"""A patient who moves takes their stays along: each stay keeps a copy of the patient's
municipality and district (see overgang.stays.models.Stay), which decides who sees it."""

from __future__ import annotations

from django.contrib.auth.models import User

from overgang.audit.history import save_changed
from overgang.patients.models import Patient
from overgang.stays.models import Stay

FOLLOWED = ("municipality", "district")


def follow_patient(patient: Patient, *, actor: User, reason: str = "") -> list[Stay]:
    """Bring the stays' copy in step with the patient, each change with its history row.
    Call inside the transaction that changed the patient."""
    behind = (
        Stay.objects.select_for_update()
        .filter(patient=patient)
        .exclude(municipality_id=patient.municipality_id, district_id=patient.district_id)
        .order_by("pk")
    )
    values = {"municipality": patient.municipality, "district": patient.district}
    return [save_changed(stay, FOLLOWED, values, actor=actor, reason=reason) for stay in behind]
