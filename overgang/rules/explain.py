"""A decision or a list of deadlines as text a case worker can read, with citations."""

from __future__ import annotations

from typing import Any

from overgang.rules.spec import DUTIES

DUTY_NAMES = {
    "en": {
        "assessment": "Assesses the need",
        "application": "Applies",
        "delivery": "Delivers",
        "payment": "Pays",
        "instruction": "Instructs the patient",
        "staff_training": "Trains the staff",
        "maintenance": "Maintains and repairs",
        "consumables": "Supplies consumables",
        "follow_up": "Follows up",
        "return": "Returns the aid",
    },
    "nb": {
        "assessment": "Vurderer behovet",
        "application": "Søker",
        "delivery": "Leverer",
        "payment": "Betaler",
        "instruction": "Gir pasienten opplæring",
        "staff_training": "Gir personalet opplæring",
        "maintenance": "Vedlikeholder og reparerer",
        "consumables": "Skaffer forbruksmateriell",
        "follow_up": "Følger opp",
        "return": "Leverer tilbake",
    },
    "da": {
        "assessment": "Vurderer behovet",
        "application": "Ansøger",
        "delivery": "Leverer",
        "payment": "Betaler",
        "instruction": "Instruerer borgeren",
        "staff_training": "Instruerer personalet",
        "maintenance": "Vedligeholder og reparerer",
        "consumables": "Leverer forbrugsartikler",
        "follow_up": "Følger op",
        "return": "Tilbageleverer",
    },
}
PARTY_NAMES = {
    "en": {
        "hospital": "hospital",
        "municipality": "municipality",
        "nav": "NAV",
        "citizen": "the patient",
        "private-hospital": "private hospital",
    },
    "nb": {
        "hospital": "sykehuset",
        "municipality": "kommunen",
        "nav": "NAV",
        "citizen": "pasienten selv",
        "private-hospital": "privatsykehuset",
    },
    "da": {
        "hospital": "hospitalet",
        "municipality": "kommunen",
        "nav": "NAV",
        "citizen": "borgeren selv",
        "private-hospital": "privathospitalet",
    },
}


def explain_decision(decision: dict[str, Any], *, language: str = "en") -> str:
    agreement = decision["agreement"]
    lines = [f"{agreement['title']} ({agreement['id']} {agreement['version']})"]
    if decision["responsible_hospital"]:
        lines.append(f"Responsible hospital: {decision['responsible_hospital']}")
    if not decision["lendable"]:
        lines.append("Not lent:")
        lines += [f"  - {reason}" for reason in decision["reasons"]]
    lines += _duty_lines(decision, language)
    lines += _loan_lines(decision)
    lines += _requisition_and_appeal_lines(decision)
    lines += [f"Note: {note}" for note in decision["notes"]]
    return "\n".join(lines)


def _duty_lines(decision: dict[str, Any], language: str) -> list[str]:
    """One line per duty the agreement places: who carries it, and where it says so."""
    duties, parties = DUTY_NAMES[language], PARTY_NAMES[language]
    lines: list[str] = []
    for duty in DUTIES:
        found = decision["duties"][duty]
        if found:
            party = parties[found["party"]]
            lines.append(f"  {duties[duty]:<28} {party:<18} ({', '.join(found['cites'])})")
    return lines


def _loan_lines(decision: dict[str, Any]) -> list[str]:
    """How the aid is lent: units, bundle, electrical check, swap."""
    lines: list[str] = []
    if decision["units"] > 1:
        lines.append(f"Units lent: {decision['units']}")
    if decision["bundle"]:
        lines.append(f"Lent together: {', '.join(decision['bundle'])}")
    if decision["electrical_check_required"]:
        lines.append("The electrical installation must be checked before use.")
    if decision["swap_to_hospital_equipment"] is not None:
        swap = "yes" if decision["swap_to_hospital_equipment"] else "no"
        lines.append(f"Swap to the hospital's equipment: {swap}")
    return lines


def _requisition_and_appeal_lines(decision: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if decision["requisition"]:
        req = decision["requisition"]
        verdict = "may apply" if req["allowed"] else "may not apply"
        lines.append(f"Requester {verdict}: {req['reason']} ({', '.join(req['cites'])})")
    if decision["appeal"]:
        appeal = decision["appeal"]
        lines.append(f"Appeal: {appeal['body']} ({appeal['basis']})")
    return lines
