"""National law, kept apart from the regional routines (the agreement files).

An agreement says what its parties agreed; the law says what holds where no agreement
speaks, and what no agreement may change. Each country's file (`norway.toml`,
`denmark.toml`) names its sources once (`[sources.<key>]`); a law citation is
`"<key> <section>"`, e.g. `"utskrivningsklare § 9"`, so that an answer can say which of
its reasons is the routine and which is the law. Routine citations are `"NNN …"` (a seed's
number); law citations start with a source key, never with digits.

Pure Python, like the rest of `overgang.rules`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from overgang.rules.checklists import (
    PHYSICIAN_DECIDES,
    ChecklistItem,
    Deciders,
    names,
    read_deciders,
    read_items,
)
from overgang.rules.spec import DeadlineRule, SpecError, read_deadline

LAW_DIR = Path(__file__).parent
FILES = {"NO": LAW_DIR / "norway.toml", "DK": LAW_DIR / "denmark.toml"}
LANGUAGES = ("nb", "da", "en")


@dataclass(frozen=True)
class Source:
    key: str
    title: str  # the official title, in the law's own language
    short: Mapping[str, str]  # how a citation names it, per reader's language
    url: str


@cache
def law(country: str) -> Mapping[str, Any]:
    """The parsed law file of a country ("NO" or "DK")."""
    path = FILES.get(country)
    if path is None:
        raise SpecError(f"no law file for country {country!r}; known: {', '.join(FILES)}")
    with path.open("rb") as handle:
        return tomllib.load(handle)


@cache
def sources(country: str) -> dict[str, Source]:
    found = {}
    for key, raw in law(country).get("sources", {}).items():
        short = raw.get("short")
        if not isinstance(short, dict) or set(short) != set(LANGUAGES):
            raise SpecError(f"{FILES[country].name} [sources.{key}]: short needs nb, da and en")
        found[key] = Source(key=key, title=str(raw["title"]), short=short, url=str(raw["url"]))
    return found


ROUTINE_CITE = re.compile(r"\d{3} ")


def is_law(cite: str) -> bool:
    """Is this a citation of national law rather than of a routine?"""
    return not ROUTINE_CITE.match(cite)


def source_of(cite: str, country: str) -> Source | None:
    """The source a law citation names, or None when it names none of the country's."""
    key, _, _section = cite.partition(" ")
    return sources(country).get(key)


def render(cite: str, country: str, language: str) -> str:
    """A law citation as a reader sees it ("forskrift om utskrivningsklare pasienter § 9");
    a routine citation as it is."""
    found = source_of(cite, country) if is_law(cite) else None
    if found is None:
        return cite
    _key, _, section = cite.partition(" ")
    return f"{found.short[language]} {section}".strip()


def waiting_days_cites(country: str) -> tuple[str, ...]:
    """Where a country's law makes the municipality pay for waiting days (Norway: forskrift
    § 13); empty where it does not, and then no waiting day is counted or shown."""
    if country not in FILES:
        return ()
    raw = law(country).get("waiting_days") or {}
    cites = raw.get("cites") or ()
    if raw and not cites:
        raise SpecError(f"{FILES[country].name} [waiting_days]: needs its cites")
    return tuple(str(c) for c in cites)


def appeal_by_law(country: str) -> tuple[str, ...]:
    """Where a country's law gives the patient the right to appeal a decision on health
    care to a public body (Norway: pasient- og brukerrettighetsloven § 7-2); empty where
    the law file says nothing of it, and a letter then offers the agreed reconsideration."""
    if country not in FILES:
        return ()
    raw = law(country).get("appeal_by_law") or {}
    cites = tuple(str(c) for c in raw.get("cites") or ())
    if raw and not cites:
        raise SpecError(f"{FILES[country].name} [appeal_by_law]: needs its cites")
    if unknown := [c for c in cites if source_of(c, country) is None]:
        raise SpecError(f"{FILES[country].name} [appeal_by_law]: unknown sources {unknown}")
    return cites


def waiting_days_countries() -> tuple[str, ...]:
    """The countries whose law counts waiting days."""
    return tuple(country for country in FILES if waiting_days_cites(country))


@dataclass(frozen=True)
class Section9:
    """What the law makes a condition of discharge-ready, and who decides (R3)."""

    items: tuple[ChecklistItem, ...]
    deciders: Deciders
    cites: tuple[str, ...]


NO_SECTION_9 = Section9(items=(), deciders=PHYSICIAN_DECIDES, cites=())


@cache
def section_9(country: str) -> Section9:
    """The country's law on discharge-ready (Norway's § 9); empty where it has none."""
    raw = law(country).get("section_9")
    if raw is None:
        return NO_SECTION_9
    where = f"{FILES[country].name} [section_9]"
    return Section9(
        items=read_items(raw.get("item"), where),
        deciders=read_deciders(raw.get("deciders"), f"{where} deciders"),
        cites=tuple(raw.get("cites", ())),
    )


@dataclass(frozen=True)
class Statement:
    """A rule of law where a routine may be silent, in the reader's languages, with its
    citations (law citations, never a routine's)."""

    text: Mapping[str, str]
    cites: tuple[str, ...]


def _statement(country: str, key: str) -> Statement | None:
    raw = law(country).get(key)
    if raw is None:
        return None
    where = f"{FILES[country].name} [{key}]"
    return Statement(text=names(raw, "text", where), cites=tuple(raw["cites"]))


@cache
def treatment_aids(country: str) -> Statement | None:
    """Who provides and pays for treatment aids, by law (Norway: the specialist service)."""
    return _statement(country, "treatment_aids")


@cache
def payment_scope(country: str) -> Statement | None:
    """Which municipality pays for a discharge-ready patient, and for which care."""
    return _statement(country, "payment_scope")


@cache
def relatives_cites(country: str) -> tuple[str, ...]:
    """The law that has the hospital see to a patient's relatives, minor children above all
    (Norway: helsepersonelloven § 10 a); () where the country's law file says nothing."""
    if country not in FILES:
        return ()
    return tuple(law(country).get("relatives", {}).get("cites", ()))


@dataclass(frozen=True)
class DailyRates:
    rates: Mapping[int, Decimal]
    currency: str
    cites: tuple[str, ...]

    def for_year(self, year: int) -> Decimal | None:
        """The year's rate; None when the law's data has none for it (say so, never guess)."""
        return self.rates.get(year)


@cache
def waiting_day_rates(country: str) -> DailyRates | None:
    """The daily rate a municipality pays per waiting day, per year, with its sources."""
    raw = law(country).get("waiting_day_rate")
    if raw is None:
        return None
    return DailyRates(
        rates={int(year): Decimal(str(rate)) for year, rate in raw["rates"].items()},
        currency=str(raw["currency"]),
        cites=tuple(raw["cites"]),
    )


def render_all(cites: tuple[str, ...] | list[str], country: str, language: str) -> str:
    """Citations as a reader sees them, law rendered by its source's name."""
    return ", ".join(render(c, country, language) for c in cites)


@cache
def deadline_rules(country: str) -> tuple[DeadlineRule, ...]:
    """The deadlines the law sets in every agreement of the country (`[[deadline]]`), each
    citing the law. An agreement's own deadline for the same event, duty and party takes
    precedence (see `overgang.rules.registry`)."""
    where = FILES[country].name if country in FILES else country
    found = []
    for raw in law(country).get("deadline", []):
        rule = read_deadline(raw, where)
        if unknown := [c for c in rule.cites if not is_law(c) or source_of(c, country) is None]:
            raise SpecError(f"{where} deadline {rule.id}: not a law of {country}: {unknown}")
        found.append(rule)
    return tuple(found)


def with_law(country: str, own: tuple[DeadlineRule, ...]) -> tuple[DeadlineRule, ...]:
    """An agreement's deadlines and, after them, the law's it does not set itself."""
    if country not in FILES:
        return own
    set_by_agreement = {(r.event, r.duty, r.party) for r in own}
    national = [
        r for r in deadline_rules(country) if (r.event, r.duty, r.party) not in set_by_agreement
    ]
    return (*own, *national)
