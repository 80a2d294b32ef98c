"""What to do when a lent device fails (000 4.0, O5).

Pure Python, no Django: the advice is the same on the page, in the API and in a test.
The preparedness rests on what the patient already has at home: two units of
life-sustaining equipment, and both a mains concentrator and portable cylinders for
long-term oxygen. Anything less critical waits for the unit's next working day. Danger
to life and health always comes first: call the emergency number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from overgang.rules.calendar import Calendar

CITATION = "000 4.0"

LIFE_SUSTAINING = "life-sustaining"
OXYGEN = "oxygen"
OTHER = "other"
CRITICALITIES = (LIFE_SUSTAINING, OXYGEN, OTHER)

# The seed says 113 (Norway); Denmark's emergency number is 112.
EMERGENCY_NUMBERS = {"NO": "113", "DK": "112"}

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
    """One thing to do, in each language, with the passage of the agreement behind it."""

    texts: Mapping[str, str]
    citation: str = CITATION
    emergency: bool = False

    def text(self, language: str | None) -> str:
        """The text in `language` ("nb", "da", "en", or a regional variant); else English."""
        return self.texts.get((language or "")[:2]) or self.texts["en"]


@dataclass(frozen=True)
class Advice:
    criticality: str
    emergency_number: str | None  # set when the reporter says there is danger to life
    steps: tuple[Step, ...]  # the emergency call first, when there is one
    service_on: date | None = None  # the less critical: the unit's next working day

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
    life_sustaining: bool,
    aid_type: str,
    danger_to_life: bool,
    country: Country,
    reported_on: date,
) -> Advice:
    """What the patient, relatives or staff should do now about a failed device."""
    level = criticality(life_sustaining=life_sustaining, aid_type=aid_type)
    steps: list[Step] = []
    number = EMERGENCY_NUMBERS[country] if danger_to_life else None
    if number is not None:
        steps.append(_call(number))
    service_on = None
    if level == LIFE_SUSTAINING:
        steps.append(_SECOND_UNIT)
    elif level == OXYGEN:
        steps.append(_CONCENTRATOR if aid_type == PORTABLE_CYLINDER else _CYLINDERS)
    else:
        service_on = Calendar.for_country(country).next_working_day(reported_on)
        steps.append(_next_working_day(service_on))
    return Advice(
        criticality=level, emergency_number=number, steps=tuple(steps), service_on=service_on
    )


def _call(number: str) -> Step:
    return Step(
        {
            "nb": f"Fare for liv og helse: ring {number} nå.",
            "da": f"Fare for liv og helbred: ring {number} nu.",
            "en": f"Danger to life and health: call {number} now.",
        },
        emergency=True,
    )


_SECOND_UNIT = Step(
    {
        "nb": (
            "Bytt til det andre apparatet nå: pasienter med livsopprettholdende utstyr låner "
            "to. Kontakt så enheten som lånte ut utstyret, slik at det defekte blir reparert "
            "eller byttet."
        ),
        "da": (
            "Skift til det andet apparat nu: patienter med livsopretholdende udstyr låner to. "
            "Kontakt derefter enheden, der har udlånt udstyret, så det defekte bliver "
            "repareret eller byttet."
        ),
        "en": (
            "Switch to the second unit now: patients with life-sustaining equipment borrow "
            "two. Then contact the unit that lent the equipment so that the failed one is "
            "repaired or replaced."
        ),
    }
)

_CYLINDERS = Step(
    {
        "nb": (
            "Bruk de bærbare oksygenflaskene til konsentratoren er reparert eller byttet, og "
            "kontakt enheten som lånte ut utstyret."
        ),
        "da": (
            "Brug de bærbare iltflasker, indtil koncentratoren er repareret eller byttet, og "
            "kontakt enheden, der har udlånt udstyret."
        ),
        "en": (
            "Use the portable oxygen cylinders until the concentrator is repaired or replaced, "
            "and contact the unit that lent the equipment."
        ),
    }
)

# When a cylinder itself fails, the other source at home is the concentrator on mains.
_CONCENTRATOR = Step(
    {
        "nb": (
            "Bruk oksygenkonsentratoren som står på strøm, og kontakt enheten som lånte ut "
            "utstyret for å få nye flasker."
        ),
        "da": (
            "Brug iltkoncentratoren, der er tilsluttet strøm, og kontakt enheden, der har "
            "udlånt udstyret, for at få nye flasker."
        ),
        "en": (
            "Use the oxygen concentrator on mains, and contact the unit that lent the "
            "equipment for new cylinders."
        ),
    }
)


def _next_working_day(day: date) -> Step:
    on = {lang: f"{_WEEKDAYS[lang][day.weekday()]} {day:%d.%m.%Y}" for lang in LANGUAGES}
    return Step(
        {
            "nb": (
                "Det er som regel forsvarlig å vente: lever utstyret til kontroll, reparasjon "
                f"eller bytte hos enheten som lånte det ut neste virkedag, {on['nb']}."
            ),
            "da": (
                "Det er som regel forsvarligt at vente: aflever udstyret til kontrol, "
                f"reparation eller ombytning hos enheden, der har udlånt det, næste hverdag, "
                f"{on['da']}."
            ),
            "en": (
                "It is usually safe to wait: bring the equipment to the unit that lent it for "
                f"checking, repair or exchange on the next working day, {on['en']}."
            ),
        }
    )
