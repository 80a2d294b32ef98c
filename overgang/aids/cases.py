"""A patient and an aid as a case for the rules engine: everything the aids registry asks
the agreements (may we lend it, how many units, which bundle, who provides a consumable)
goes through `decide_for`."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import Any

from overgang import clock, rules
from overgang.i18n import current_language
from overgang.patients.models import Patient
from overgang.rules.registry import RulesError


def _case(
    municipality: str, district: str, aid_type: str, placement: str, purpose: str, consumable: str
) -> dict[str, Any]:
    case: dict[str, Any] = {
        "patient": {
            "municipality": municipality,
            "residence": placement,
            **({"district": district} if district else {}),
        },
        "aid": {"type": aid_type},
    }
    if purpose:
        case["need"] = {"purpose": purpose}
    if consumable:
        case["consumable"] = {"type": consumable}
    return case


def _address(patient: Patient) -> tuple[str, str]:
    """The patient's municipality (by number) and district, as the agreements name them."""
    return patient.municipality.number, patient.district.short_name if patient.district else ""


def loan_case(
    patient: Patient,
    aid_type: str,
    *,
    placement: str = "home",
    purpose: str = "",
    consumable: str = "",
) -> dict[str, Any]:
    case = _case(*_address(patient), aid_type, placement, purpose, consumable)
    # Decided as of today on the clock of the patient's country; a caller may set another day.
    case["date"] = clock.today_in(patient.municipality.country).isoformat()
    return case


def decide_for(
    patient: Patient,
    aid_type: str,
    *,
    placement: str = "home",
    purpose: str = "",
    consumable: str = "",
) -> Mapping[str, Any] | None:
    """What the patient's agreement decides for this aid; None where no agreement covers the
    patient's address (then there is nothing to refuse or require by)."""
    return _decided_once(
        *_address(patient),
        aid_type,
        placement,
        purpose,
        consumable,
        current_language(),
        clock.today_in(patient.municipality.country),
    )


# The engine is pure and its agreements are read once, so the same case gives the same
# answer all day: one lending asks the same question three times. The answer is shared
# between callers: read it, never change it (hence Mapping).
@functools.lru_cache(maxsize=4096)
def _decided_once(
    municipality: str,
    district: str,
    aid_type: str,
    placement: str,
    purpose: str,
    consumable: str,
    language: str,
    day: datetime.date,
) -> Mapping[str, Any] | None:
    case = _case(municipality, district, aid_type, placement, purpose, consumable)
    case["date"] = day.isoformat()
    try:
        return rules.decide(case, language=language)
    except RulesError:
        return None


def routine_cites(patient: Patient, point: str) -> tuple[str, ...]:
    """The sections of the patient's own routine that say `point` (an agreement's [points]);
    none where the routine is silent or no agreement covers the address. A message cites
    these, never another region's routine."""
    try:
        agreement = patient.agreement_today()
    except RulesError:
        return ()
    return agreement.cites_for(point)
