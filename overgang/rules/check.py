"""`overgang rules check`: is every agreement file sound?

- every citation names a seed file that exists and a section that stands in it;
- every condition reads a known field and expects a value that field can have;
- every criticality class has failure advice, whatever is lent;
- no two rules claim one duty (or the requisition, swap, bundle or appeal) for the
  same case, unless one overrides the other: checked pair by pair over every
  combination of the values the two rules read.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from overgang.rules import case as fields
from overgang.rules.citations import locate, seed
from overgang.rules.failures import plan_problems
from overgang.rules.law import FILES as LAW_FILES
from overgang.rules.law import is_law, source_of
from overgang.rules.registry import Agreement, aid_types, all_agreements
from overgang.rules.spec import DUTIES, DeadlineRule, Rule

DOMAINS: dict[str, tuple[Any, ...]] = {
    "agreement": (),
    "patient.residence": fields.RESIDENCES,
    "patient.terminal": (False, True),
    "need.purpose": (None, *fields.PURPOSES),
    "need.duration_months": (None, 0.0, 12.0, 23.9, 24.0, 36.0),
    "need.started_by": (None, *fields.STARTED_BY),
    "need.phase": (None, *fields.PHASES),
    "need.needed_for_journey_home": (False, True),
    "need.uses_institution_equipment": (False, True),
    "need.treatment_started_in_specialist_care": (False, True),
    "need.lymphoedema": (None, *fields.LYMPHOEDEMA),
    "requester.role": fields.REQUESTER_ROLES,
    "lender": fields.LENDERS,
    "consumable.linked": (None, False, True),
    "context.admission": (None, *fields.ADMISSIONS),
    "context.expected_stay_hours": (None, 0.0, 24.0, 48.0),
}
AID_FIELDS = {
    "aid.type",
    "aid.category",
    "aid.life_sustaining",
    "aid.electrical_check",
    "aid.staff_unfamiliar",
    "aid.fitted",
    "aid.therapy",
}
EFFECTS = (*DUTIES, "requisition", "swap", "bundle", "appeal")


def cite_problem(cite: str, country: str = "") -> str | None:
    """What is wrong with a citation: a routine's must stand in its seed; a law citation
    ("serviceloven § 112") must name a source of the agreement's country's law file."""
    if is_law(cite):
        countries = (country,) if country else tuple(LAW_FILES)
        if any(source_of(cite, c) for c in countries):
            return None
        return f"{cite!r}: no such source in the law of {country or 'any country'}"
    prefix = cite.partition(" ")[0]
    if seed(prefix) is None:
        return f"{cite!r}: no seed file {prefix}_*.txt"
    if locate(cite) is None:
        return f"{cite!r}: no such section in seed {prefix}"
    return None


def _aid_values() -> Iterator[dict[str, Any]]:
    for slug, kind in aid_types().items():
        yield {
            "aid.type": slug,
            "aid.category": kind.category,
            "aid.life_sustaining": kind.life_sustaining,
            "aid.electrical_check": kind.electrical_check,
            "aid.staff_unfamiliar": kind.staff_unfamiliar,
            "aid.fitted": kind.fitted,
            "aid.therapy": bool(kind.therapy),
        }


def cases(read: set[str], agreement: Agreement) -> Iterator[dict[str, Any]]:
    """Every combination of the values of the fields in `read`."""
    plain = sorted(read - AID_FIELDS)
    aids = list(_aid_values()) if read & AID_FIELDS else [{}]
    domains = [DOMAINS[name] or (agreement.id,) for name in plain]
    for values in itertools.product(*domains):
        for aid in aids:
            yield {"agreement": agreement.id, **dict(zip(plain, values, strict=True)), **aid}


def _claims(rule: Rule) -> set[str]:
    claims = set(rule.duties)
    for effect in ("requisition", "swap", "bundle", "appeal"):
        if getattr(rule, effect) is not None:
            claims.add(effect)
    return claims


def condition_problems(rule: Rule | DeadlineRule) -> list[str]:
    problems = []
    known_aids = aid_types()
    for table in rule.conditions:
        for key, expected in table.items():
            if key not in DOMAINS and key not in AID_FIELDS:
                problems.append(f"rule {rule.id}: unknown field {key!r}")
                continue
            if isinstance(expected, Mapping):
                # Only `not` names values; min/above/below/missing take numbers or flags.
                named = expected.get("not", [])
                values = named if isinstance(named, list) else [named]
            else:
                values = expected if isinstance(expected, list) else [expected]
            if key == "aid.type":
                problems += [
                    f"rule {rule.id}: unknown aid type {v!r}" for v in values if v not in known_aids
                ]
            elif key in DOMAINS and DOMAINS[key] and not isinstance(expected, bool):
                domain = DOMAINS[key]
                problems += [
                    f"rule {rule.id}: {key} cannot be {v!r}" for v in values if v not in domain
                ]
    return problems


def overlap_problems(agreement: Agreement) -> list[str]:
    problems = []
    for first, second in itertools.combinations(agreement.rules, 2):
        shared = _claims(first) & _claims(second)
        if not shared or first.id in second.overrides or second.id in first.overrides:
            continue
        read = set(first.fields | second.fields)
        if read - set(DOMAINS) - AID_FIELDS:
            continue  # an unknown field: condition_problems reports it
        for case in cases(read, agreement):
            if first.applies(case) and second.applies(case):
                what = ", ".join(sorted(shared))
                shown = {k: v for k, v in sorted(case.items()) if k in read or k == "aid.type"}
                problems.append(
                    f"{agreement.id}: rules {first.id} and {second.id} both claim {what} "
                    f"for {shown}"
                )
                break
    return problems


def check() -> list[str]:
    """Everything wrong with the agreement files; empty when they are sound."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for agreement in all_agreements():
        problems += agreement_problems(agreement)
        if (agreement.id, agreement.version) in seen:
            problems.append(f"{agreement.id}: version {agreement.version} is there twice")
        seen.add((agreement.id, agreement.version))
    problems += coverage_problems()
    return problems


def agreement_problems(agreement: Agreement) -> list[str]:
    """Everything wrong with one agreement version on its own (its citations, conditions,
    overlapping rules and failure plan); empty when it is sound."""
    problems: list[str] = []
    every_cite = [c for r in agreement.rules for c in r.cites]
    every_cite += [c for r in agreement.rules for d in r.duties.values() for c in d.cites]
    every_cite += [c for d in agreement.deadline_rules for c in d.cites]
    every_cite += list(agreement.hospital.cites)
    every_cite += [c for e in agreement.exceptions for c in e.hospital.cites]
    every_cite += list(agreement.consumables_notice.cites)
    every_cite += list(agreement.failure.cites())
    every_cite += [c for _, cites in agreement.points for c in cites]
    if agreement.dispute is not None:
        every_cite += list(agreement.dispute.cites)
        every_cite += [c for cites in agreement.dispute.level_cites.values() for c in cites]
    every_cite += [c for p in agreement.purposes for c in p.cites]
    problems += [
        f"{agreement.id}: {p}"
        for c in sorted(set(every_cite))
        if (p := cite_problem(c, agreement.country))
    ]
    for rule in agreement.rules:
        problems += [f"{agreement.id}: {p}" for p in condition_problems(rule)]
    for deadline in agreement.deadline_rules:
        if deadline.event not in fields.EVENTS:
            problems.append(f"{agreement.id}: deadline {deadline.id}: unknown event")
        problems += [f"{agreement.id}: {p}" for p in condition_problems(deadline)]
    problems += overlap_problems(agreement)
    problems += [f"{agreement.id}: {p}" for p in plan_problems(agreement.failure)]
    return problems


def candidate_problems(
    candidate: Agreement, replaces: Agreement | None, others: tuple[Agreement, ...]
) -> list[str]:
    """Everything wrong with a new version of an agreement (revised in the app) among all
    the others: its own problems, an id and version label already taken, a `valid_from`
    not after that of the version it replaces, and a municipality another agreement covers
    at the same time."""
    problems = agreement_problems(candidate)
    if any((a.id, a.version) == (candidate.id, candidate.version) for a in others):
        problems.append(f"{candidate.id}: version {candidate.version} exists already")
    # The newest version of the agreement, in force or still to come: a candidate comes after
    # it and builds on it, or it would undo what the group approved last without the diff
    # ever showing it.
    newest = max(
        (a for a in others if a.id == candidate.id), key=lambda a: a.valid_from, default=None
    )
    if newest is not None and candidate.valid_from <= newest.valid_from:
        problems.append(
            f"{candidate.id}: valid_from {candidate.valid_from.isoformat()} is not after"
            f" {newest.valid_from.isoformat()}, when version {newest.version} takes effect"
        )
    if newest is not None and replaces is not None and replaces.version != newest.version:
        problems.append(
            f"{candidate.id}: it builds on version {replaces.version}, but version"
            f" {newest.version} came after it; make a new draft from {newest.version}"
        )
    if replaces is not None:
        if replaces.id != candidate.id:
            problems.append(f"{candidate.id}: it replaces a version of {replaces.id}")
        elif candidate.valid_from <= replaces.valid_from:
            problems.append(
                f"{candidate.id}: valid_from {candidate.valid_from.isoformat()} is not after"
                f" {replaces.valid_from.isoformat()}, when version {replaces.version} took effect"
            )
    for other in others:
        if other.id == candidate.id or not _overlap_in_time(candidate, other):
            continue
        both = {m.number for m in candidate.municipalities} & {
            m.number for m in other.municipalities
        }
        problems += [
            f"municipality {number} is covered by both {candidate.id} and {other.id}"
            for number in sorted(both)
        ]
    return problems


def coverage_problems() -> list[str]:
    """A municipality covered by two agreements in force at the same time is ambiguous."""
    problems = []
    agreements = all_agreements()
    for first, second in itertools.combinations(agreements, 2):
        if first.id == second.id or not _overlap_in_time(first, second):
            continue
        both = {m.number for m in first.municipalities} & {m.number for m in second.municipalities}
        problems += [
            f"municipality {number} is covered by both {first.id} and {second.id}"
            for number in sorted(both)
        ]
    return problems


def _overlap_in_time(first: Agreement, second: Agreement) -> bool:
    first_end = first.valid_to or datetime.date.max
    second_end = second.valid_to or datetime.date.max
    return first.valid_from <= second_end and second.valid_from <= first_end
