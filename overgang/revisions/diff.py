"""What changed between two versions of an agreement, rule by rule, for people to read;
and the agreement files' own unified diff."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from overgang.rules.registry import Agreement
from overgang.rules.spec import DUTIES, LANGUAGES, Due
from overgang.rules.words import due_words


@dataclass(frozen=True)
class DutyChange:
    duty: str
    party_before: str | None
    party_after: str | None
    cites_before: tuple[str, ...]
    cites_after: tuple[str, ...]


@dataclass(frozen=True)
class RuleChange:
    rule: str
    duties: tuple[DutyChange, ...]
    texts: tuple[tuple[str, str, str], ...]  # language, before, after
    cites: tuple[tuple[str, ...], tuple[str, ...]] | None


@dataclass(frozen=True)
class DeadlineChange:
    """A deadline that falls due otherwise ("4 hours after" → "24 hours after"), or whose
    words changed."""

    rule: str
    event: str
    duty: str
    before: Due
    after: Due
    texts: tuple[tuple[str, str, str], ...] = ()  # language, before, after


@dataclass(frozen=True)
class VersionDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[RuleChange, ...]
    valid_from: tuple[datetime.date, datetime.date] | None
    deadlines: tuple[DeadlineChange, ...] = ()


def compare(before: Agreement, after: Agreement) -> VersionDiff:
    old = {r.id: r for r in before.rules}
    new = {r.id: r for r in after.rules}
    changed = []
    for rule_id in [r for r in new if r in old]:
        a, b = old[rule_id], new[rule_id]
        duties = []
        for duty in DUTIES:
            x, y = a.duties.get(duty), b.duties.get(duty)
            if x != y:
                duties.append(
                    DutyChange(
                        duty=duty,
                        party_before=x.party if x else None,
                        party_after=y.party if y else None,
                        cites_before=x.cites if x else (),
                        cites_after=y.cites if y else (),
                    )
                )
        texts = _texts(a.text, b.text)
        cites = (a.cites, b.cites) if a.cites != b.cites else None
        if duties or texts or cites:
            changed.append(RuleChange(rule_id, tuple(duties), texts, cites))
    old_deadlines = {d.id: d for d in before.deadline_rules}
    deadlines = []
    for d in after.deadline_rules:
        was = old_deadlines.get(d.id)
        if was is not None and (was.due != d.due or was.text != d.text):
            deadlines.append(
                DeadlineChange(d.id, d.event, d.duty, was.due, d.due, _texts(was.text, d.text))
            )
    return VersionDiff(
        added=tuple(r for r in new if r not in old),
        removed=tuple(r for r in old if r not in new),
        changed=tuple(changed),
        valid_from=(before.valid_from, after.valid_from)
        if before.valid_from != after.valid_from
        else None,
        deadlines=tuple(deadlines),
    )


def due_change_words(before: Due, after: Due, language: str) -> tuple[str, str]:
    """A changed due in words, before and after; where the words come out the same though
    the dues differ, the values themselves follow, so a change never reads as none."""
    said = tuple(due_words(d.kind, d.hours, d.days, language) for d in (before, after))
    if said[0] == said[1] and before != after:
        return (f"{said[0]} ({_raw(before)})", f"{said[1]} ({_raw(after)})")
    return said[0], said[1]


def _raw(due: Due) -> str:
    return f"kind = {due.kind}, hours = {due.hours!r}, days = {due.days!r}"


def _texts(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (lang, before[lang], after[lang]) for lang in LANGUAGES if before[lang] != after[lang]
    )


def unified(before: str, after: str, before_name: str, after_name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=before_name,
            tofile=after_name,
        )
    )
