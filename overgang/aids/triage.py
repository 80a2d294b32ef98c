"""What to do when a lent device fails, as the patient's agreement says (O5; Oslo: 000 4.0).

Pure Python, no Django: the advice is the same on the page, in the API and in a test.
The steps are the agreement's data (`[failure]` in its file, see rules/failures.py); the
emergency number is national (rules/emergency.toml). "Switch to the second unit" is only
given when a second unit of the same aid is actually lent to the patient. Danger to life
and health always comes first: call the emergency number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from overgang.rules.calendar import Calendar
from overgang.rules.failures import (
    CRITICALITIES,
    LIFE_SUSTAINING,
    NO_PLAN,
    OTHER,
    OXYGEN,
    FailurePlan,
    FailureStep,
    emergency,
)
from overgang.rules.registry import Agreement

__all__ = ["CRITICALITIES", "LIFE_SUSTAINING", "OTHER", "OXYGEN"]

PORTABLE_CYLINDER = "portable-oxygen-cylinder"
OXYGEN_TYPES = frozenset({"long-term-oxygen", "oxygen-concentrator", PORTABLE_CYLINDER})

LANGUAGES = ("nb", "da", "en")

Country = Literal["NO", "DK"]

_WEEKDAYS = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


@dataclass(frozen=True)
class Step:
    """One thing to do, in each language, with the passage behind it ("" where the
    agreement is silent and the step is only general good sense)."""

    texts: Mapping[str, str]
    citation: str = ""
    emergency: bool = False

    def text(self, language: str | None) -> str:
        """The text in `language` ("nb", "da", "en", or a regional variant); else English."""
        return self.texts.get((language or "")[:2]) or self.texts["en"]


@dataclass(frozen=True)
class Advice:
    criticality: str
    emergency_number: str | None  # set when the reporter says there is danger to life
    steps: tuple[Step, ...]  # the emergency call first, when there is one
    service_on: date | None = None  # where the agreement says it can wait: the next working day
    agreement: str | None = None  # the patient's agreement the steps come from
    silent: bool = True  # the agreement says nothing about failed devices

    def texts(self, language: str | None) -> list[str]:
        return [step.text(language) for step in self.steps]


def criticality(*, life_sustaining: bool, aid_type: str) -> str:
    if life_sustaining:
        return LIFE_SUSTAINING
    if aid_type in OXYGEN_TYPES:
        return OXYGEN
    return OTHER


def triage(
    *,
    agreement: Agreement | None,
    life_sustaining: bool,
    aid_type: str,
    danger_to_life: bool,
    country: str,  # "NO" or "DK": the emergency number and the calendar
    reported_on: date,
    second_unit_lent: bool,
) -> Advice:
    """What the patient, relatives or staff should do now about a failed device, under the
    patient's `agreement` (None: no patient, so only the general steps)."""
    plan: FailurePlan = agreement.failure if agreement else NO_PLAN
    level = criticality(life_sustaining=life_sustaining, aid_type=aid_type)
    steps: list[Step] = []
    number = emergency(country).number if danger_to_life else None
    if number is not None:
        cites = plan.emergency_cites or (emergency(country).source,)
        steps.append(_call(number, ", ".join(cites)))
    service_on = None
    for found in plan.steps_for(
        level, second_unit=second_unit_lent, cylinder=aid_type == PORTABLE_CYLINDER
    ):
        if found.next_working_day:
            service_on = Calendar.for_country(country).next_working_day(reported_on)
        steps.append(_step(found, service_on))
    return Advice(
        criticality=level,
        emergency_number=number,
        steps=tuple(steps),
        service_on=service_on,
        agreement=agreement.id if agreement else None,
        silent=plan.silent,
    )


def _step(found: FailureStep, day: date | None) -> Step:
    texts = dict(found.texts)
    if day is not None:
        texts = {
            lang: text.replace("{day}", f"{_WEEKDAYS[lang][day.weekday()]} {day:%d.%m.%Y}")
            for lang, text in texts.items()
        }
    return Step(texts, citation=", ".join(found.cites))


def _call(number: str, citation: str) -> Step:
    return Step(
        {
            "nb": f"Fare for liv og helse: ring {number} nå.",
            "da": f"Fare for liv og helbred: ring {number} nu.",
            "en": f"Danger to life and health: call {number} now.",
        },
        citation=citation,
        emergency=True,
    )
