"""Rules as read from the agreement files: conditions, effects, citations and texts.

A condition is a table of field → expected value: a value (equal), a list (any of),
or a table with one of `not` (none of), `min` (at least), `above` (more than),
`below` (less than), `missing` (true: the case leaves the field out). A rule fires
when all of `when` hold and, if it has `when_any`, at least one of those tables holds
too. A field the case leaves out holds only for `not` and `missing`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

DUTIES = (
    "assessment",
    "application",
    "delivery",
    "payment",
    "instruction",
    "staff_training",
    "maintenance",
    "consumables",
    "follow_up",
    "return",
)
PARTIES = ("hospital", "municipality", "nav", "citizen", "private-hospital")
LANGUAGES = ("nb", "da", "en")

Test = Callable[[Mapping[str, Any]], bool]


class SpecError(ValueError):
    """An agreement file that cannot be right; the message names the file and the rule."""


def _test(key: str, expected: Any, where: str) -> Test:
    if isinstance(expected, list):
        options = frozenset(expected)
        return lambda case: case.get(key) in options
    if isinstance(expected, dict):
        if len(expected) != 1:
            raise SpecError(f"{where}: condition on {key} needs exactly one operator")
        ((operator, operand),) = expected.items()
        if operator == "missing":
            wanted = bool(operand)
            return lambda case: (case.get(key) is None) == wanted
        if operator == "not":
            excluded = frozenset(operand if isinstance(operand, list) else [operand])
            return lambda case: case.get(key) not in excluded
        bound = float(operand)
        if operator == "min":
            return lambda case: case.get(key) is not None and case[key] >= bound
        if operator == "above":
            return lambda case: case.get(key) is not None and case[key] > bound
        if operator == "below":
            return lambda case: case.get(key) is not None and case[key] < bound
        raise SpecError(f"{where}: unknown operator {operator!r} on {key}")
    return lambda case: case.get(key) == expected


def compile_condition(table: Mapping[str, Any], where: str) -> tuple[Test, ...]:
    return tuple(_test(key, expected, where) for key, expected in table.items())


# What a requisition rule may ask to be on record first: a conference with the
# specialist service (a GP's palliative oxygen, 001 Beskrivelse 9).
REQUISITION_NEEDS = ("specialist-conference",)


@dataclass(frozen=True)
class Duty:
    party: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    cites: tuple[str, ...]
    text: Mapping[str, str]
    when: tuple[Test, ...]
    when_any: tuple[tuple[Test, ...], ...]
    fields: frozenset[str]  # the case fields the conditions read (for `rules check`)
    conditions: tuple[Mapping[str, Any], ...] = ()  # as written, for `rules check`
    duties: Mapping[str, Duty] = field(default_factory=dict)
    overrides: frozenset[str] = frozenset()
    lendable: bool | None = None
    units: int | None = None
    bundle: tuple[str, ...] | None = None
    electrical_check: bool | None = None
    swap: bool | None = None
    requisition: bool | None = None
    # What must be on record before such a requisition counts (REQUISITION_NEEDS).
    requisition_needs: tuple[str, ...] = ()
    appeal: Mapping[str, str] | None = None
    note: bool = False

    def applies(self, case: Mapping[str, Any]) -> bool:
        if not all(test(case) for test in self.when):
            return False
        return not self.when_any or any(all(t(case) for t in tests) for tests in self.when_any)


@dataclass(frozen=True)
class Due:
    kind: str  # one of DUE_KINDS
    hours: float = 0
    days: int = 0


DUE_KINDS = (
    "none",  # a duty the routine sets without a time: on the worklist, with no clock
    "at-once",
    "after",
    "end-of-day",
    "noon-last-working-day-before",
    "working-day-on-or-before",
)
# The number each kind needs (the others take none): `after` real hours after the event,
# `end-of-day` the days after the event's local day (0: that day itself).
DUE_NUMBERS = {"after": "hours", "end-of-day": "days"}
# A year: no routine sets a longer time, and a bound keeps the engine's date arithmetic
# from overflowing (10^22 hours is past the year 9999).
MAX_DUE_HOURS = 24 * 365
MAX_DUE_DAYS = 365
# An `after` due is given to the whole minute (1.5 is 1 hour 30 minutes), so its words can
# say it exactly; a float is let off the noise of decimal fractions (0.1 * 60 ≈ 6).
MINUTES_SLACK = 1e-6


def due_minutes(hours: float) -> int:
    """The whole minutes an `after` due's hours make (due_problem refuses the others)."""
    return round(hours * 60)


def due_problem(due: Any) -> tuple[str, str] | None:
    """What is wrong with a deadline's `due` table, as (field, message); None: sound. The
    agreement files and the draft editor (overgang.revisions) ask the same question."""
    if not isinstance(due, Mapping):
        return "kind", "due must be a table with a kind"
    kind = due.get("kind")
    if kind not in DUE_KINDS:
        return "kind", f"must be one of {', '.join(DUE_KINDS)}"
    if unknown := sorted(set(due) - {"kind", "hours", "days"}):
        return str(unknown[0]), "unknown key; a due has kind, hours or days"
    needed = DUE_NUMBERS.get(kind)
    for name in ("hours", "days"):
        if name != needed and name in due:
            return name, f"a deadline of kind {kind} takes no {name}"
    if needed == "hours":
        return _hours_problem(due.get("hours"))
    if needed == "days":
        return _days_problem(due.get("days"))
    return None


def _hours_problem(value: Any) -> tuple[str, str] | None:
    if value is None:
        return "hours", "give the hours after the event"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "hours", "must be a number"
    # An int past a float's range (TOML takes any) is compared as it is: isfinite would
    # overflow converting it.
    if (isinstance(value, float) and not math.isfinite(value)) or not 0 < value <= MAX_DUE_HOURS:
        return "hours", f"must be more than 0 and at most {MAX_DUE_HOURS}"
    if abs(value * 60 - due_minutes(value)) > MINUTES_SLACK or due_minutes(value) < 1:
        return "hours", "must be whole minutes: hours × 60 a whole number (1.5 is 90 minutes)"
    return None


def _days_problem(value: Any) -> tuple[str, str] | None:
    if value is None:
        return "days", "give the days after the event's day"
    if isinstance(value, bool) or not isinstance(value, int):
        return "days", "must be a whole number"
    if not 0 <= value <= MAX_DUE_DAYS:
        return "days", f"must be from 0 to {MAX_DUE_DAYS}"
    return None


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    event: str
    duty: str
    party: str
    due: Due
    cites: tuple[str, ...]
    text: Mapping[str, str]
    when: tuple[Test, ...]
    conditions: tuple[Mapping[str, Any], ...] = ()

    def applies(self, event: Mapping[str, Any]) -> bool:
        return all(test(event) for test in self.when)


def _texts(raw: Mapping[str, Any], where: str) -> dict[str, str]:
    texts = raw.get("text") or {}
    missing = [lang for lang in LANGUAGES if not texts.get(lang)]
    if missing:
        raise SpecError(f"{where}: text missing in {', '.join(missing)}")
    return {lang: texts[lang] for lang in LANGUAGES}


def _cites(raw: Any, where: str) -> tuple[str, ...]:
    cites = tuple(raw or ())
    if not cites:
        raise SpecError(f"{where}: every rule needs at least one citation")
    return cites


def _fields(*tables: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(key for table in tables for key in table)


def read_rule(raw: Mapping[str, Any], where: str) -> Rule:
    where = f"{where} rule {raw.get('id', '?')}"
    cites = _cites(raw.get("cites"), where)
    duties: dict[str, Duty] = {}
    for name, value in (raw.get("duties") or {}).items():
        if name not in DUTIES:
            raise SpecError(f"{where}: unknown duty {name!r}")
        party, duty_cites = (
            (value, cites)
            if isinstance(value, str)
            else (
                value["party"],
                tuple(value.get("cites") or cites),
            )
        )
        if party not in PARTIES:
            raise SpecError(f"{where}: unknown party {party!r} for {name}")
        duties[name] = Duty(party=party, cites=duty_cites)
    needs = tuple(raw.get("requisition_needs") or ())
    if unknown := [n for n in needs if n not in REQUISITION_NEEDS]:
        raise SpecError(f"{where}: unknown requisition_needs {', '.join(unknown)}")
    if needs and raw.get("requisition") is not True:
        raise SpecError(f"{where}: requisition_needs belongs to a rule that allows one")
    when = raw.get("when") or {}
    when_any = raw.get("when_any") or []
    return Rule(
        id=raw["id"],
        cites=cites,
        text=_texts(raw, where),
        when=compile_condition(when, where),
        when_any=tuple(compile_condition(t, where) for t in when_any),
        fields=_fields(when, *when_any),
        conditions=(when, *when_any),
        duties=duties,
        overrides=frozenset(raw.get("overrides", [])),
        lendable=raw.get("lendable"),
        units=raw.get("units"),
        bundle=tuple(raw["bundle"]) if "bundle" in raw else None,
        electrical_check=raw.get("electrical_check"),
        swap=raw.get("swap"),
        requisition=raw.get("requisition"),
        requisition_needs=needs,
        appeal=raw.get("appeal"),
        note=bool(raw.get("note", False)),
    )


def read_deadline(raw: Mapping[str, Any], where: str) -> DeadlineRule:
    where = f"{where} deadline {raw.get('id', '?')}"
    due = raw.get("due") or {}
    if problem := due_problem(due):
        field_name, message = problem
        raise SpecError(f"{where}: due.{field_name}: {message}")
    if raw.get("party") not in PARTIES:
        raise SpecError(f"{where}: unknown party {raw.get('party')!r}")
    return DeadlineRule(
        id=raw["id"],
        event=raw["event"],
        duty=raw["duty"],
        party=raw["party"],
        due=Due(kind=due["kind"], hours=float(due.get("hours", 0)), days=int(due.get("days", 0))),
        cites=_cites(raw.get("cites"), where),
        text=_texts(raw, where),
        when=compile_condition(raw.get("when") or {}, where),
        conditions=(raw.get("when") or {},),
    )
