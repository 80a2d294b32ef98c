"""What each agreement says to do when a lent device fails, read from its `[failure]`
section, and the national emergency numbers (emergency.toml), kept apart from the routines.

A step names the criticality classes it is for and, where it matters, whether a second
unit of the same aid is actually lent to the patient (`second_unit`) and whether the
failed device is a portable oxygen cylinder (`cylinder`). An agreement that says nothing
about failures is `silent`: its steps are only the general safe ones, without citation.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from overgang.rules.spec import LANGUAGES, SpecError

LIFE_SUSTAINING = "life-sustaining"
OXYGEN = "oxygen"
OTHER = "other"
CRITICALITIES = (LIFE_SUSTAINING, OXYGEN, OTHER)

EMERGENCY_FILE = Path(__file__).with_name("emergency.toml")


@dataclass(frozen=True)
class Emergency:
    number: str
    source: str  # the national source, cited where the routine does not name the number


@cache
def emergencies() -> dict[str, Emergency]:
    with EMERGENCY_FILE.open("rb") as file:
        raw = tomllib.load(file)
    return {country: Emergency(str(v["number"]), str(v["source"])) for country, v in raw.items()}


def emergency(country: str) -> Emergency:
    return emergencies()[country]


@dataclass(frozen=True)
class FailureStep:
    criticalities: frozenset[str]
    texts: Mapping[str, str]  # may hold "{day}": the unit's next working day
    cites: tuple[str, ...] = ()
    second_unit: bool | None = None
    cylinder: bool | None = None
    next_working_day: bool = False

    def applies(self, criticality: str, *, second_unit: bool, cylinder: bool) -> bool:
        return (
            criticality in self.criticalities
            and self.second_unit in (None, second_unit)
            and self.cylinder in (None, cylinder)
        )


@dataclass(frozen=True)
class FailurePlan:
    silent: bool
    steps: tuple[FailureStep, ...]
    emergency_cites: tuple[str, ...] = ()  # the routine's own words on the emergency call

    def steps_for(
        self, criticality: str, *, second_unit: bool, cylinder: bool
    ) -> tuple[FailureStep, ...]:
        return tuple(
            s
            for s in self.steps
            if s.applies(criticality, second_unit=second_unit, cylinder=cylinder)
        )

    def cites(self) -> tuple[str, ...]:
        return (*self.emergency_cites, *(c for s in self.steps for c in s.cites))


# A device on no loan has no patient and so no agreement: keep it out of use until checked.
NO_PLAN = FailurePlan(
    silent=True,
    steps=(
        FailureStep(
            criticalities=frozenset(CRITICALITIES),
            texts={
                "nb": "Utstyret er ikke utlånt: ta det ut av bruk til enheten har kontrollert, "
                "reparert eller byttet det.",
                "da": "Udstyret er ikke udlånt: tag det ud af brug, indtil enheden har "
                "kontrolleret, repareret eller byttet det.",
                "en": "The equipment is not on loan: keep it out of use until the unit has "
                "checked, repaired or replaced it.",
            },
        ),
    ),
)


def _optional_bool(raw: Mapping[str, Any], key: str, where: str) -> bool | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, bool):
        raise SpecError(f"{where}: failure.step.{key} must be true or false")
    return value


def _step(raw: Mapping[str, Any], where: str, *, silent: bool) -> FailureStep:
    classes = frozenset(raw.get("criticality") or CRITICALITIES)
    if unknown := sorted(classes - set(CRITICALITIES)):
        raise SpecError(f"{where}: unknown criticality {', '.join(unknown)}")
    texts = raw.get("text") or {}
    if missing := [lang for lang in LANGUAGES if not texts.get(lang)]:
        raise SpecError(f"{where}: failure step text missing in {', '.join(missing)}")
    cites = tuple(str(c) for c in raw.get("cites") or ())
    if not cites and not silent:
        raise SpecError(f"{where}: a failure step needs its cites unless the agreement is silent")
    return FailureStep(
        criticalities=classes,
        texts={lang: str(texts[lang]) for lang in LANGUAGES},
        cites=cites,
        second_unit=_optional_bool(raw, "second_unit", where),
        cylinder=_optional_bool(raw, "cylinder", where),
        next_working_day=bool(raw.get("next_working_day", False)),
    )


def read_failure_plan(raw: Mapping[str, Any] | None, where: str) -> FailurePlan:
    if raw is None:
        return FailurePlan(silent=True, steps=())  # `rules check` says what is missing
    silent = bool(raw.get("silent", False))
    return FailurePlan(
        silent=silent,
        steps=tuple(_step(s, where, silent=silent) for s in raw.get("step", [])),
        emergency_cites=tuple(str(c) for c in raw.get("emergency_cites") or ()),
    )


def plan_problems(plan: FailurePlan) -> list[str]:
    """Every class must have something to do, whatever is lent and whichever device failed."""
    return [
        f"failure: no step for {level} (second unit {unit}, cylinder {cylinder})"
        for level in CRITICALITIES
        for unit in (False, True)
        for cylinder in (False, True)
        if not plan.steps_for(level, second_unit=unit, cylinder=cylinder)
    ]
