"""A patient and an aid as a case for the rules engine: everything the aids registry asks
the agreements (may we lend it, how many units, which bundle, who provides a consumable)
goes through `decide_for`."""

from __future__ import annotations

from typing import Any

from overgang import rules
from overgang.i18n import current_language
from overgang.patients.models import Patient
from overgang.rules.registry import RulesError


def loan_case(
    patient: Patient,
    aid_type: str,
    *,
    placement: str = "home",
    purpose: str = "",
    consumable: str = "",
) -> dict[str, Any]:
    case: dict[str, Any] = {
        "patient": {
            "municipality": patient.municipality.number,
            "residence": placement,
            **({"district": patient.district.short_name} if patient.district else {}),
        },
        "aid": {"type": aid_type},
    }
    if purpose:
        case["need"] = {"purpose": purpose}
    if consumable:
        case["consumable"] = {"type": consumable}
    return case


def decide_for(patient: Patient, aid_type: str, **kwargs: Any) -> dict[str, Any] | None:
    """What the patient's agreement decides for this aid; None where no agreement covers the
    patient's address (then there is nothing to refuse or require by)."""
    try:
        return rules.decide(loan_case(patient, aid_type, **kwargs), language=current_language())
    except RulesError:
        return None
