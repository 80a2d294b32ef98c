"""The responsibility and deadline engine: `decide(case)` and `deadlines(event)`.

Both take and give JSON-like dicts exactly as docs/contracts/rules.md fixes them.
The same input always gives the same output: rules fire in file order, and every
duty, deadline and refusal carries the rules and citations it comes from.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from overgang.rules import case as fields
from overgang.rules.calendar import Calendar
from overgang.rules.case import InvalidField
from overgang.rules.registry import (
    Agreement,
    UnknownAgreement,
    UnknownDistrict,
    UnknownMunicipality,
    agreement_by_id,
    agreement_for_municipality,
    aid_types,
    consumable_types,
    fold,
    responsible_hospital,
)
from overgang.rules.spec import DUTIES, DeadlineRule, Rule


class ConflictingRules(RuntimeError):
    """Two rules claim one duty for the same case: the agreement file needs mending."""


def _agreement(raw: Mapping[str, Any], municipality: str | None, on: datetime.date) -> Agreement:
    agreement_id = fields.text(raw, "agreement", "agreement")
    try:
        if agreement_id:
            agreement = agreement_by_id(agreement_id, on=on)
            if municipality and agreement.municipality(municipality) is None:
                raise InvalidField(
                    "patient.municipality",
                    f"{municipality!r} is not covered by the agreement {agreement_id!r}",
                    reason="not-covered",
                    value=municipality,
                    agreement=agreement_id,
                )
            return agreement
        if municipality:
            return agreement_for_municipality(municipality, on=on)
    except UnknownAgreement as error:
        raise InvalidField(
            "agreement",
            str(error).removeprefix("agreement: "),
            reason=error.reason,
            value=error.value,
        ) from None
    except UnknownMunicipality as error:
        raise InvalidField(
            "patient.municipality",
            str(error).removeprefix("municipality: "),
            reason=error.reason,
            value=error.value,
        ) from None
    raise InvalidField(
        "agreement",
        "give the agreement or patient.municipality",
        reason="agreement-or-municipality",
    )


def read_case(raw_input: Any) -> tuple[Agreement, dict[str, Any], datetime.date]:
    """Check a case and flatten it to the fields rules read ("aid.type", "need.purpose" …)."""
    raw = fields.require_object(raw_input)
    on = fields.day(raw)
    patient, aid, need, requester, consumable = fields.sections(
        raw, "patient", "aid", "need", "requester", "consumable"
    )
    fields.known_keys(patient, "patient", fields.PATIENT_KEYS)
    fields.known_keys(consumable, "consumable", fields.CONSUMABLE_KEYS)
    fields.known_keys(aid, "aid", ("type",))
    fields.known_keys(need, "need", fields.NEED_KEYS)
    fields.known_keys(requester, "requester", ("role",))
    municipality = fields.text(patient, "municipality", "patient.municipality")
    district = fields.text(patient, "district", "patient.district")
    agreement = _agreement(raw, municipality, on)
    if district and not municipality:
        # A district names its municipality when only one in the agreement has it.
        homes = [m for m in agreement.municipalities if fold(district) in map(fold, m.districts)]
        if not homes:
            raise InvalidField(
                "patient.district",
                f"{district!r} is not a district in the agreement {agreement.id!r}",
                reason="district-not-in-agreement",
                value=district,
                agreement=agreement.id,
            )
        if len(homes) > 1:
            raise InvalidField(
                "patient.municipality",
                "is needed to place the district",
                reason="district-needs-municipality",
            )
        municipality = homes[0].name
    aid_type = fields.text(aid, "type", "aid.type")
    if aid_type is None:
        raise InvalidField("aid.type", "is required")
    known = aid_types()
    if aid_type not in known:
        raise InvalidField("aid.type", f"unknown aid type {aid_type!r}; known: {', '.join(known)}")
    kind = known[aid_type]
    treatment = kind.category == "treatment-aid"
    consumable_type = fields.text(consumable, "type", "consumable.type")
    linked = None
    if consumable_type is not None:
        supplies = consumable_types()
        if consumable_type not in supplies:
            raise InvalidField(
                "consumable.type",
                f"unknown consumable {consumable_type!r}; known: {', '.join(supplies)}",
            )
        linked = supplies[consumable_type].linked(aid_type)
    case: dict[str, Any] = {
        "agreement": agreement.id,
        "patient.municipality": municipality,
        "patient.district": district,
        "patient.residence": fields.choice(
            patient, "residence", "patient.residence", fields.RESIDENCES
        )
        or "home",
        "patient.terminal": fields.flag(patient, "terminal", "patient.terminal"),
        "aid.type": aid_type,
        "aid.category": kind.category,
        "aid.life_sustaining": kind.life_sustaining,
        "aid.electrical_check": kind.electrical_check,
        "aid.staff_unfamiliar": kind.staff_unfamiliar,
        "aid.fitted": kind.fitted,
        "aid.therapy": bool(kind.therapy),
        # A treatment aid is, unless the case says otherwise, for treatment started in
        # specialist care: that is what the word means in every routine.
        "need.purpose": fields.choice(need, "purpose", "need.purpose", fields.PURPOSES)
        or ("treatment" if treatment else None),
        "need.duration_months": fields.number(need, "duration_months", "need.duration_months"),
        "need.started_by": fields.choice(need, "started_by", "need.started_by", fields.STARTED_BY)
        or ("specialist" if treatment else None),
        "need.phase": fields.choice(need, "phase", "need.phase", fields.PHASES),
        "need.needed_for_journey_home": fields.flag(
            need, "needed_for_journey_home", "need.needed_for_journey_home"
        ),
        "need.uses_institution_equipment": fields.flag(
            need, "uses_institution_equipment", "need.uses_institution_equipment"
        ),
        "need.treatment_started_in_specialist_care": fields.flag(
            need,
            "treatment_started_in_specialist_care",
            "need.treatment_started_in_specialist_care",
            default=True,
        ),
        "need.lymphoedema": fields.choice(
            need, "lymphoedema", "need.lymphoedema", fields.LYMPHOEDEMA
        ),
        "requester.role": fields.choice(
            requester, "role", "requester.role", fields.REQUESTER_ROLES
        ),
        "lender": fields.choice(raw, "lender", "lender", fields.LENDERS) or "hospital",
        # Is the consumable asked about directly linked to the aid (U5)? None: none asked.
        "consumable.linked": linked,
    }
    return agreement, case, on


def _hospital_name(agreement: Agreement, case: Mapping[str, Any], on: datetime.date) -> str | None:
    """The hospital that serves the address; None where the address given does not settle it
    (in Oslo the district decides, O1)."""
    municipality = case["patient.municipality"]
    if municipality is None:
        return None if agreement.exceptions else agreement.hospital.name
    covered = agreement.municipality(municipality)
    if case["patient.district"] is None and covered and covered.districts and agreement.exceptions:
        return None
    try:
        return responsible_hospital(municipality, case["patient.district"], on=on).name
    except UnknownDistrict as error:
        raise InvalidField(
            "patient.district",
            str(error).removeprefix("district: "),
            reason=error.reason,
            value=error.value,
        ) from None


def _winners(rules: list[Rule]) -> list[Rule]:
    """Rules left once those overridden by another of them are set aside."""
    return [r for r in rules if not any(r.id in other.overrides for other in rules)]


def _one(rules: list[Rule], what: str, case: Mapping[str, Any]) -> Rule | None:
    winners = _winners(rules)
    if len(winners) > 1:
        ids = ", ".join(r.id for r in winners)
        raise ConflictingRules(f"{what}: rules {ids} all claim it for the case {dict(case)}")
    return winners[0] if winners else None


def cited(rule: Rule, language: str) -> str:
    return f"{rule.text[language]} ({', '.join(rule.cites)})"


def evaluate(agreement: Agreement, case: Mapping[str, Any]) -> list[Rule]:
    return [rule for rule in agreement.rules if rule.applies(case)]


def decide(raw: Any, *, language: str = "en") -> dict[str, Any]:
    """Who does what for this case under its agreement, and why."""
    agreement, case, on = read_case(raw)
    fired = evaluate(agreement, case)
    if case["requester.role"] is None:
        # Who may apply is only asked when the case names who applies.
        fired = [r for r in fired if r.requisition is None]
    duties: dict[str, Any] = {}
    for duty in DUTIES:
        rule = _one([r for r in fired if duty in r.duties], duty, case)
        if rule is None:
            duties[duty] = None
        else:
            found = rule.duties[duty]
            duties[duty] = {"party": found.party, "cites": list(found.cites), "rule": rule.id}
    refusals = [r for r in fired if r.lendable is False]
    requisition = None
    if case["requester.role"] is not None:
        rule = _one([r for r in fired if r.requisition is not None], "requisition", case)
        if rule is not None:
            requisition = {
                "allowed": rule.requisition,
                "reason": rule.text[language],
                "cites": list(rule.cites),
                "rule": rule.id,
                "needs": list(rule.requisition_needs),
            }
    swap_rule = _one([r for r in fired if r.swap is not None], "swap", case)
    bundle_rule = _one([r for r in fired if r.bundle is not None], "bundle", case)
    appeal_rule = _one([r for r in fired if r.appeal is not None], "appeal", case)
    notes = [cited(r, language) for r in fired if r.note]
    units = [r.units for r in fired if r.units is not None]
    if all(value is None for value in duties.values()) and not refusals:
        notes.append(
            "The agreement does not decide who is responsible in this case."
            if language == "en"
            else NO_DECISION[language]
        )
    return {
        "agreement": {"id": agreement.id, "version": agreement.version, "title": agreement.title},
        "responsible_hospital": _hospital_name(agreement, case, on),
        "lendable": not refusals,
        "reasons": [cited(r, language) for r in refusals],
        "duties": duties,
        "requisition": requisition,
        "units": max(units, default=1),
        "units_cites": sorted({c for r in fired if r.units is not None for c in r.cites}),
        "bundle": list(bundle_rule.bundle or ()) if bundle_rule else [],
        "bundle_cites": list(bundle_rule.cites) if bundle_rule else [],
        "electrical_check_required": any(r.electrical_check for r in fired),
        "electrical_check_cites": sorted({c for r in fired if r.electrical_check for c in r.cites}),
        "swap_to_hospital_equipment": swap_rule.swap if swap_rule else None,
        "swap_reason": swap_rule.text[language] if swap_rule else None,
        "swap_cites": list(swap_rule.cites) if swap_rule else [],
        "appeal": dict(appeal_rule.appeal or {}, cites=list(appeal_rule.cites))
        if appeal_rule
        else None,
        "notes": notes,
        "rules": [r.id for r in fired],
    }


NO_DECISION = {
    "nb": "Avtalen avgjør ikke hvem som har ansvaret i dette tilfellet.",
    "da": "Aftalen afgør ikke, hvem der har ansvaret i dette tilfælde.",
}


def read_event(raw_input: Any) -> tuple[Agreement, dict[str, Any], datetime.datetime]:
    raw = fields.require_object(raw_input)
    at = fields.instant(raw, "at")
    (context,) = fields.sections(raw, "context")
    fields.known_keys(context, "context", ("admission", "expected_stay_hours"))
    municipality = fields.text(raw, "municipality", "municipality")
    # The version: the one in force on `date` where given (a stay asks with its admission
    # day, and keeps the version it was admitted under), else on the day of `at`.
    on = fields.day(raw) if raw.get("date") is not None else at.date()
    agreement = _agreement(raw, municipality, on)
    event = fields.choice(raw, "event", "event", fields.EVENTS)
    if event is None:
        raise InvalidField("event", f"is required; one of: {', '.join(fields.EVENTS)}")
    facts = {
        "event": event,
        "context.admission": fields.choice(
            context, "admission", "context.admission", fields.ADMISSIONS
        ),
        "context.expected_stay_hours": fields.number(
            context, "expected_stay_hours", "context.expected_stay_hours"
        ),
    }
    return agreement, facts, at


def due_at(
    rule: DeadlineRule, at: datetime.datetime, calendar: Calendar
) -> datetime.datetime | None:
    """When the duty falls due; None where neither the routine nor the law sets a time."""
    kind = rule.due.kind
    if kind == "none":
        return None
    if kind == "at-once":
        return calendar.local(at)
    if kind == "after":
        return calendar.after_hours(at, rule.due.hours)
    if kind == "end-of-day":
        return calendar.end_of_day(at, rule.due.days)
    local = calendar.local(at)
    if kind == "noon-last-working-day-before":
        return calendar.noon_on_last_working_day_before(local.date())
    # working-day-on-or-before: by the same time of day on the last working day.
    return calendar.at_local(calendar.working_day_on_or_before(local.date()), local.time())


# A stay's length is counted from its admission: a deadline for stays over N hours whose
# length was not given opens once the stay has lasted N hours (003 3: "Ved
# indlæggelsesforløb over 24 timer").
STAY_LENGTH = "context.expected_stay_hours"


def opens_once_stayed(
    rule: DeadlineRule, facts: Mapping[str, Any], at: datetime.datetime, calendar: Calendar
) -> datetime.datetime | None:
    """When a deadline that turns on the stay's length opens, if the admission gave no
    expected length: once the stay has lasted as long as the rule asks (`above` or `min`
    hours), should it still be open then. None where the rule does not wait on that."""
    if facts["event"] != "admitted" or facts[STAY_LENGTH] is not None:
        return None
    for table in rule.conditions:
        bound = table.get(STAY_LENGTH)
        if not isinstance(bound, Mapping) or len(bound) != 1:
            continue
        ((operator, hours),) = bound.items()
        if operator not in ("above", "min"):
            continue
        # The stay has then lasted the hours, and a moment more where `above` asks so.
        lasted = float(hours) + (1 if operator == "above" else 0)
        if rule.applies({**facts, STAY_LENGTH: lasted}):
            return calendar.after_hours(at, float(hours))
    return None


def deadlines(raw: Any, *, language: str = "en") -> dict[str, Any]:
    """The deadlines an event starts under its agreement, in the agreement's time zone: the
    agreement's own, and the national law's where the agreement sets none for that duty
    (see `Agreement.deadline_rules`). A duty without a time has "due": null and comes last."""
    agreement, facts, at = read_event(raw)
    calendar = Calendar.for_country(agreement.country, agreement.time_zone)
    found = []
    for rule in agreement.deadline_rules:
        if rule.event == facts["event"] and rule.applies(facts):
            due = due_at(rule, at, calendar)
            found.append(
                {
                    "duty": rule.duty,
                    "party": rule.party,
                    "due": due.isoformat() if due is not None else None,
                    "cites": list(rule.cites),
                    "rule": rule.id,
                    "text": rule.text[language],
                    "_sort": due,
                }
            )
    found.sort(
        key=lambda d: (d["_sort"] is None, d["_sort"] or at, d["duty"], d["party"], d["rule"])
    )
    for item in found:
        del item["_sort"]
    later = []
    for rule in agreement.deadline_rules:
        if rule.event != facts["event"] or rule.applies(facts):
            continue
        opens = opens_once_stayed(rule, facts, at, calendar)
        later_due = due_at(rule, at, calendar)
        if opens is not None:
            later.append(
                {
                    "duty": rule.duty,
                    "party": rule.party,
                    "opens": opens.isoformat(),
                    "due": later_due.isoformat() if later_due is not None else None,
                    "cites": list(rule.cites),
                    "rule": rule.id,
                    "text": rule.text[language],
                }
            )
    window = same_day = None
    notice_window = agreement.checklists.notice_window
    if facts["event"] == "discharge-ready-notified" and notice_window is not None:
        # R4/R5, only where the agreement has a notice window (HNT's 004 Vedlegg 3.1 a,
        # 3.2 b: 08:00–15:00 on working days; then the municipality normally receives the
        # patient the same day, day 0). Elsewhere no routine says so: both stay null.
        window = calendar.in_window(at, notice_window.start, notice_window.end)
        same_day = window
    return {
        "agreement": {"id": agreement.id, "version": agreement.version},
        "deadlines": found,
        "opens_later": later,
        "in_notice_window": window,
        "same_day_reception_expected": same_day,
    }
