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
from functools import cache
from pathlib import Path
from typing import Any

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
