"""The case catalogue of an agreement version (N1): every case it decides, readable.

A case is a kind of aid (its category, split where the agreement's rules read more of the
aid) in a situation (the purpose, where the patient lives, the phase, who started the
treatment, and whatever else the agreement's rules read: only those). Each is answered by
the engine's own `decide`, exactly as the page "Who is responsible?" answers one case;
situations with the same answer are merged into one row ("any residence"). Cases the
agreement decides nothing about are kept, marked `decides=False`: they show where the
agreement stops.

`catalogue(agreement)` is cached per agreement version object.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from overgang.rules import case as fields
from overgang.rules.engine import decide
from overgang.rules.registry import Agreement, AidType, aid_types, consumable_types
from overgang.rules.spec import DUTIES, LANGUAGES, Rule, compile_condition
from overgang.rules.words import CATEGORY_NAMES, FIELD_NAMES, GLUE, VALUE_NAMES

# The fields a situation is told by, in the order a reader meets them.
SITUATION_FIELDS = (
    "need.purpose",
    "patient.residence",
    "need.phase",
    "need.started_by",
    "patient.terminal",
    "need.duration_months",
    "need.needed_for_journey_home",
    "need.uses_institution_equipment",
    "need.treatment_started_in_specialist_care",
    "need.lymphoedema",
    "lender",
    "consumable.linked",
)
# What a reader filters by; the short names of the page's and the key's parameters.
SHORT = {
    "need.purpose": "purpose",
    "patient.residence": "residence",
    "need.phase": "phase",
    "need.started_by": "started_by",
    "patient.terminal": "terminal",
    "need.duration_months": "duration",
    "need.needed_for_journey_home": "journey_home",
    "need.uses_institution_equipment": "institution_equipment",
    "need.treatment_started_in_specialist_care": "started_in_specialist_care",
    "need.lymphoedema": "lymphoedema",
    "lender": "lender",
    "consumable.linked": "consumable",
}
AID_FIELDS = (
    "aid.category",
    "aid.life_sustaining",
    "aid.electrical_check",
    "aid.staff_unfamiliar",
    "aid.fitted",
    "aid.therapy",
)
CATEGORIES = ("treatment-aid", "technical-aid", "shared-equipment", "training-gear")
# For a treatment aid the engine reads a purpose or starter left out as these (read_case):
# the catalogue asks them as said, never as "not given".
TREATMENT_DEFAULTS = {"need.purpose": "treatment", "need.started_by": "specialist"}

Value = Any  # a field's value as the engine reads it; a duration is an interval (lo, hi)


@dataclass(frozen=True)
class DutyAnswer:
    party: str
    cites: tuple[str, ...]
    rule: str


@dataclass(frozen=True)
class CatalogueCase:
    """One row of the catalogue: the aid types and the situations it covers, and who
    carries each duty there (None: the agreement does not say)."""

    case: str  # stable key
    category: str
    aid_types: tuple[str, ...]
    whole_category: bool
    # The fields that narrow the row, with the values it covers; a field not named holds
    # any value. A duration is an interval (lo, hi) of months, None: not given.
    situation: tuple[tuple[str, tuple[Value, ...]], ...]
    duties: tuple[tuple[str, DutyAnswer | None], ...]
    lendable: bool
    decides: bool
    title: Mapping[str, str]
    aid_title: Mapping[str, str]
    situation_title: Mapping[str, str]
    # The situation's conditions one by one: (the field's name, the values covered).
    situation_parts: Mapping[str, tuple[tuple[str, str], ...]] = dataclass_field(
        default_factory=dict
    )

    def duty(self, name: str) -> DutyAnswer | None:
        return dict(self.duties)[name]

    def values(self, field: str) -> tuple[Value, ...] | None:
        """The values of `field` the row covers; None: any."""
        return dict(self.situation).get(field)

    def covers(self, case: Mapping[str, Any]) -> bool:
        """Does the row cover this case, flattened as the engine reads it (read_case)?"""
        if case.get("aid.type") not in self.aid_types:
            return False
        for field, values in self.situation:
            value = case.get(field)
            if field == "need.duration_months":
                if not any(_in_interval(value, v) for v in values):
                    return False
            elif value not in values:
                return False
        return True


def _in_interval(value: Any, interval: Any) -> bool:
    if interval is None or value is None:
        return interval is None and value is None
    lo, hi = interval
    return bool(lo <= value < hi)


@dataclass(frozen=True)
class _Answer:
    lendable: bool
    duties: tuple[tuple[str, DutyAnswer | None], ...]

    @property
    def decides(self) -> bool:
        return not self.lendable or any(d is not None for _, d in self.duties)


# --- which rules and fields matter ---------------------------------------------------------


def _duty_rules(agreement: Agreement) -> list[Rule]:
    """The rules that can change who does what, or refuse the loan, in a case that names no
    one applying (decide drops the requisition rules then)."""
    return [
        r for r in agreement.rules if r.requisition is None and (r.duties or r.lendable is False)
    ]


def _aid_values(kind: AidType) -> dict[str, Any]:
    return {
        "aid.type": kind.slug,
        "aid.category": kind.category,
        "aid.life_sustaining": kind.life_sustaining,
        "aid.electrical_check": kind.electrical_check,
        "aid.staff_unfamiliar": kind.staff_unfamiliar,
        "aid.fitted": kind.fitted,
        "aid.therapy": bool(kind.therapy),
    }


def _may_apply(rule: Rule, aid: Mapping[str, Any]) -> bool:
    """Could the rule fire for this aid, judged on the aid's own fields only?"""

    def holds(table: Mapping[str, Any]) -> bool:
        own = {k: v for k, v in table.items() if k.startswith("aid.")}
        return all(test(aid) for test in compile_condition(own, rule.id))

    when, *any_of = rule.conditions or ({},)
    return holds(when) and (not any_of or any(holds(t) for t in any_of))


def _aid_groups(agreement: Agreement, rules: list[Rule]) -> list[list[AidType]]:
    """The aid types split by what the rules read of an aid (always its category); one
    group per type where a rule names a type."""
    read = {f for r in rules for f in r.fields}
    keys: tuple[str, ...] = ("aid.type",) if "aid.type" in read else ("aid.category",)
    keys += tuple(f for f in AID_FIELDS if f in read and f not in keys)
    groups: dict[tuple[Any, ...], list[AidType]] = {}
    for kind in aid_types().values():
        values = _aid_values(kind)
        groups.setdefault(tuple(values[k] for k in keys), []).append(kind)
    return list(groups.values())


def _duration_domain(rules: Iterable[Rule]) -> tuple[Value, ...]:
    """Not given, and the intervals of months between the bounds the rules set."""
    bounds: set[float] = set()
    for rule in rules:
        for table in rule.conditions:
            condition = table.get("need.duration_months")
            if isinstance(condition, Mapping):
                for operator, operand in condition.items():
                    if operator in ("min", "below"):
                        bounds.add(float(operand))
                    elif operator == "above":
                        bounds.update((float(operand), float(operand) + 1))
            elif isinstance(condition, int | float) and not isinstance(condition, bool):
                bounds.update((float(condition), float(condition) + 1))
    points = sorted({0.0, *(b for b in bounds if b > 0)})
    return (None, *zip(points, [*points[1:], math.inf], strict=True))


def _domain(
    field: str, category: str, rules: list[Rule], kinds: list[AidType]
) -> tuple[Value, ...]:
    if field == "need.duration_months":
        return _duration_domain(rules)
    if field == "consumable.linked":
        supplies = consumable_types().values()
        linked = {s.linked(k.slug) for s in supplies for k in kinds}
        return (None, *(v for v in (False, True) if v in linked))
    if field == "patient.residence":
        return fields.RESIDENCES
    if field == "lender":
        return fields.LENDERS
    if field == "need.lymphoedema":
        return (None, *fields.LYMPHOEDEMA)
    named = {
        "need.purpose": fields.PURPOSES,
        "need.started_by": fields.STARTED_BY,
        "need.phase": fields.PHASES,
    }
    if field in named:
        if category == "treatment-aid" and field in TREATMENT_DEFAULTS:
            return named[field]
        return (None, *named[field])
    return (False, True)


# --- asking the engine -----------------------------------------------------------------------


def _raw_case(
    agreement: Agreement, kinds: list[AidType], situation: Mapping[str, Value]
) -> dict[str, Any]:
    """The case as `decide` takes it (docs/contracts/rules.md), on the version's first day."""
    linked = situation.get("consumable.linked")
    kind = kinds[0]
    consumable = None
    if linked is not None:
        kind, consumable = next(
            (k, s.slug)
            for k in kinds
            for s in consumable_types().values()
            if s.linked(k.slug) is linked
        )
    need: dict[str, Any] = {}
    patient: dict[str, Any] = {}
    raw: dict[str, Any] = {
        "agreement": agreement.id,
        "date": agreement.valid_from.isoformat(),
        "aid": {"type": kind.slug},
        "need": need,
        "patient": patient,
    }
    for field, value in situation.items():
        if field == "consumable.linked":
            if consumable is not None:
                raw["consumable"] = {"type": consumable}
            continue
        if field == "need.duration_months":
            value = None if value is None else value[0]
        if value is None:
            continue
        section, _, key = field.rpartition(".")
        if not section:
            raw[key] = value
        else:
            {"need": need, "patient": patient}[section][key] = value
    return raw


def _answer(agreement: Agreement, raw: Mapping[str, Any]) -> _Answer:
    decision = decide(raw)
    if (decision["agreement"]["id"], decision["agreement"]["version"]) != (
        agreement.id,
        agreement.version,
    ):
        raise LookupError(f"the engine answered {decision['agreement']}, not {agreement.id}")
    duties = tuple(
        (
            duty,
            DutyAnswer(found["party"], tuple(found["cites"]), found["rule"])
            if (found := decision["duties"][duty])
            else None,
        )
        for duty in DUTIES
    )
    return _Answer(lendable=decision["lendable"], duties=duties)


# --- merging situations with one answer ------------------------------------------------------

Cube = tuple[frozenset[Value], ...]


def _merge(table: Mapping[tuple[Value, ...], _Answer], width: int) -> dict[Cube, _Answer]:
    """Situations with the same answer merged into as few rows as the fields allow: rows
    that differ in one field only and answer alike become one, until none do."""
    rows: dict[Cube, _Answer] = {
        tuple(frozenset([v]) for v in key): answer for key, answer in table.items()
    }
    changed = True
    while changed:
        changed = False
        for i in range(width):
            grouped: dict[tuple[Any, ...], list[Cube]] = {}
            for cube, answer in rows.items():
                grouped.setdefault((cube[:i], cube[i + 1 :], answer), []).append(cube)
            if all(len(cubes) == 1 for cubes in grouped.values()):
                continue
            changed = True
            merged: dict[Cube, _Answer] = {}
            for (before, after, answer), cubes in grouped.items():
                union = frozenset().union(*(c[i] for c in cubes))
                merged[(*before, union, *after)] = answer
            rows = merged
    return rows


# --- words -------------------------------------------------------------------------------


def _value_words(agreement: Agreement, field: str, value: Value, language: str) -> str:
    glue = GLUE[language]
    if field == "need.duration_months":
        if value is None:
            return glue["not-given"]
        lo, hi = value
        number = {"lo": f"{lo:g}", "hi": f"{hi:g}"}
        if hi == math.inf:
            return glue["months-from"].format(**number)
        if lo == 0:
            return glue["months-under"].format(**number)
        if hi == lo + 1:
            return glue["months-exactly"].format(**number)
        return glue["months-between"].format(**number)
    if value is None:
        return glue["none-asked" if field == "consumable.linked" else "not-given"]
    if field == "need.purpose" and (own := agreement.purpose(value)) is not None:
        return own.text[language]
    named: Mapping[Any, str] = VALUE_NAMES[language].get(field, {})  # type: ignore[assignment]
    if value in named:
        return str(named[value])
    if isinstance(value, bool):
        return glue["yes" if value else "no"]
    return str(value)


def _set_words(
    agreement: Agreement,
    field: str,
    values: Iterable[Value],
    domain: tuple[Value, ...],
    language: str,
) -> str:
    chosen = [v for v in domain if v in set(values)]
    left = [v for v in domain if v not in set(values)]
    glue = GLUE[language]
    words = [_value_words(agreement, field, v, language) for v in chosen]
    if len(domain) >= 4 and len(left) < len(chosen) and len(left) <= 2:
        others = f" {glue['or']} ".join(_value_words(agreement, field, v, language) for v in left)
        return f"{glue['not']} {others}"
    return f" {glue['or']} ".join(words)


def _aid_words(
    category: str,
    kinds: list[AidType],
    whole: bool,
    language: str,
    flags: tuple[tuple[str, bool], ...] = (),
) -> str:
    """The kind of aid: its category, and where the row holds only some of its aid types,
    what sets them apart (the aid's flags the rules read) and their names."""
    name = CATEGORY_NAMES[language][category]
    if whole:
        return name
    if flags:
        said = ", ".join(
            f"{FIELD_NAMES[language][f]}: {GLUE[language]['yes' if v else 'no']}" for f, v in flags
        )
        name = f"{name} ({said})"
    names = ", ".join(k.names.get(language, k.names["en"]) for k in kinds)
    return f"{name}: {names}"


def _flags(
    kinds: list[AidType], category: list[AidType], read: set[str]
) -> tuple[tuple[str, bool], ...]:
    """The aid flags the rules read that all `kinds` share and the rest of the category
    does not all share: what sets these aid types apart."""
    found = []
    for name in AID_FIELDS[1:]:
        if name not in read:
            continue
        values = {_aid_values(k)[name] for k in kinds}
        if len(values) == 1 and len({_aid_values(k)[name] for k in category}) > 1:
            found.append((name, values.pop()))
    return tuple(found)


def _key_value(value: Value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return f"{value[0]:g}-" if value[1] == math.inf else f"{value[0]:g}-{value[1]:g}"
    return str(value)


# --- the catalogue -----------------------------------------------------------------------

_CACHE: dict[tuple[str, str, str], tuple[Agreement, tuple[CatalogueCase, ...]]] = {}


def catalogue(agreement: Agreement) -> tuple[CatalogueCase, ...]:
    """Every case the agreement version decides (and, marked, those it does not)."""
    key = (agreement.id, agreement.version, agreement.valid_from.isoformat())
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is agreement:
        return cached[1]
    found = tuple(_build(agreement))
    _CACHE[key] = (agreement, found)
    return found


@dataclass
class _Row:
    category: str
    kinds: list[AidType]
    situation: tuple[tuple[str, frozenset[Value]], ...]  # only the narrowing fields
    domains: dict[str, tuple[Value, ...]]
    answer: _Answer


def _rows(agreement: Agreement) -> Iterator[_Row]:
    rules = _duty_rules(agreement)
    for kinds in _aid_groups(agreement, rules):
        aid = _aid_values(kinds[0])
        relevant = [r for r in rules if _may_apply(r, aid)]
        read = [f for f in SITUATION_FIELDS if any(f in r.fields for r in relevant)]
        category = kinds[0].category
        domains = {f: _domain(f, category, relevant, kinds) for f in read}
        table = {
            values: _answer(
                agreement, _raw_case(agreement, kinds, dict(zip(read, values, strict=True)))
            )
            for values in itertools.product(*(domains[f] for f in read))
        }
        for cube, answer in _merge(table, len(read)).items():
            narrowing = tuple(
                (f, values)
                for f, values in zip(read, cube, strict=True)
                if len(values) < len(domains[f])
            )
            yield _Row(category, list(kinds), narrowing, domains, answer)


def _order(row: _Row) -> tuple[Any, ...]:
    position = []
    for field in SITUATION_FIELDS:
        values = dict(row.situation).get(field)
        domain = row.domains.get(field, ())
        position.append(min((domain.index(v) for v in values), default=-1) if values else -1)
    every = list(aid_types())
    # One kind of aid together (the whole category first), its decided cases before those
    # the agreement leaves open, then in the order of the fields' values.
    return (
        CATEGORIES.index(row.category) if row.category in CATEGORIES else len(CATEGORIES),
        len(row.kinds) != sum(1 for k in aid_types().values() if k.category == row.category),
        sorted(every.index(k.slug) for k in row.kinds),
        not row.answer.decides,
        position,
    )


def _build(agreement: Agreement) -> Iterator[CatalogueCase]:
    # Rows of one category with the same situations and answer cover their aid types together.
    joined: dict[tuple[Any, ...], _Row] = {}
    for row in _rows(agreement):
        key = (row.category, row.situation, row.answer)
        if key in joined:
            joined[key].kinds.extend(row.kinds)
        else:
            joined[key] = row
    every = {c: [k for k in aid_types().values() if k.category == c] for c in CATEGORIES}
    read = {f for r in _duty_rules(agreement) for f in r.fields}
    for row in sorted(joined.values(), key=_order):
        kinds = sorted(row.kinds, key=lambda k: list(aid_types()).index(k.slug))
        whole = {k.slug for k in kinds} == {k.slug for k in every.get(row.category, [])}
        aid_title, situation_title, title = {}, {}, {}
        situation_parts: dict[str, tuple[tuple[str, str], ...]] = {}
        for language in LANGUAGES:
            flags = _flags(kinds, every.get(row.category, kinds), read)
            aid_title[language] = _aid_words(row.category, kinds, whole, language, flags)
            situation_parts[language] = tuple(
                (
                    FIELD_NAMES[language][f],
                    _set_words(agreement, f, values, row.domains[f], language),
                )
                for f, values in row.situation
            )
            parts = [f"{name}: {words}" for name, words in situation_parts[language]]
            said = "; ".join(parts) or GLUE[language]["any"]
            if not row.answer.decides:
                said += f" ({GLUE[language]['undecided']})"
            situation_title[language] = said
            title[language] = f"{aid_title[language]} – {said}"
        aid_key = row.category if whole else f"{row.category}:{'+'.join(k.slug for k in kinds)}"
        situation_key = "/".join(
            f"{SHORT[f]}={','.join(_key_value(v) for v in row.domains[f] if v in values)}"
            for f, values in row.situation
        )
        yield CatalogueCase(
            case=f"{aid_key}/{situation_key}" if situation_key else aid_key,
            category=row.category,
            aid_types=tuple(k.slug for k in kinds),
            whole_category=whole,
            situation=tuple(
                (f, tuple(v for v in row.domains[f] if v in values)) for f, values in row.situation
            ),
            duties=row.answer.duties,
            lendable=row.answer.lendable,
            decides=row.answer.decides,
            title=title,
            aid_title=aid_title,
            situation_title=situation_title,
            situation_parts=situation_parts,
        )


def covering(rows: Iterable[CatalogueCase], case: Mapping[str, Any]) -> CatalogueCase | None:
    """The row that covers the case (flattened as the engine reads it), if any."""
    return next((row for row in rows if row.covers(case)), None)
