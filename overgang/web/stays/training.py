"""What the stay's page shows of training (O10, N7): each training with what was shown and
understood, its written procedures, and what the patient's agreement says about training
(nothing where it says nothing)."""

from __future__ import annotations

from typing import Any

from overgang.rules.clock import day_at
from overgang.rules.registry import training_notes
from overgang.stays.models import Stay, Training
from overgang.web.stays.training_forms import ProcedureForm


def training_context(stay: Stay, language: str) -> dict[str, Any]:
    notes = training_notes(stay.agreement, "patient", on=day_at(stay.admitted_at, stay.time_zone))
    return {
        "trainings": Training.objects.filter(stay=stay)
        .select_related("aid_type", "trainer", "trainer_organisation")
        .prefetch_related("procedures"),
        "training_notes": [
            {"text": n.text.get(language) or n.text["en"], "cites": ", ".join(n.cites)}
            for n in notes
        ],
        "procedure_form": ProcedureForm(),
    }
