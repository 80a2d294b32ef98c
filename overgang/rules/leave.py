"""Trial discharges and leave from a stay (N5): when the aids that go home for them are
handed out, and which of an ordinary discharge's duties come with them, as the agreement
says in its `[leave]` table. An agreement without one is silent: the period is recorded
and no rule is applied (the Norwegian routines say nothing of leave, "permisjon")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from overgang.rules.spec import SpecError

if TYPE_CHECKING:  # the calendar reads the registry, which reads this module
    from overgang.rules.calendar import Calendar

KINDS = ("trial-discharge", "leave")
# The hand-out rules an agreement may name.
HANDOUT_RULES = ("working-day-on-or-before",)
CARE_PLAN_RULES = ("noon-last-working-day-before",)


@dataclass(frozen=True)
class LeaveException:
    """A case the agreement takes out of its leave rules (housing changes, very specialised
    aids), and what happens instead, in its words."""

    key: str
    text: dict[str, str]
    cites: tuple[str, ...]


@dataclass(frozen=True)
class LeaveRules:
    handout: str = ""  # "" : the agreement is silent
    care_plan: str = ""
    text: dict[str, str] = field(default_factory=dict)
    care_plan_text: dict[str, str] = field(default_factory=dict)
    cites: tuple[str, ...] = ()
    exceptions: tuple[LeaveException, ...] = ()

    @property
    def said(self) -> bool:
        return bool(self.handout or self.care_plan)

    def exception(self, key: str) -> LeaveException | None:
        return next((e for e in self.exceptions if e.key == key), None)


SILENT = LeaveRules()


def _texts(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(lang in raw for lang in ("nb", "da", "en")):
        raise SpecError(f"{where}: a text in nb, da and en is required")
    return {str(k): str(v) for k, v in raw.items()}


def _cites(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise SpecError(f"{where}: cites are required")
    return tuple(str(c) for c in raw)


def read_leave_rules(raw: object, where: str) -> LeaveRules:
    """The agreement's `[leave]` table; none is SILENT."""
    if raw is None:
        return SILENT
    if not isinstance(raw, dict):
        raise SpecError(f"{where} [leave]: a table is expected")
    handout = str(raw.get("handout", ""))
    if handout and handout not in HANDOUT_RULES:
        raise SpecError(f"{where} [leave] handout: unknown rule {handout!r}")
    care_plan = str(raw.get("care_plan", ""))
    if care_plan and care_plan not in CARE_PLAN_RULES:
        raise SpecError(f"{where} [leave] care_plan: unknown rule {care_plan!r}")
    exceptions = tuple(
        LeaveException(
            key=str(e["key"]),
            text=_texts(e.get("text"), f"{where} [leave] exception"),
            cites=_cites(e.get("cites"), f"{where} [leave] exception"),
        )
        for e in raw.get("exception", [])
    )
    return LeaveRules(
        handout=handout,
        care_plan=care_plan,
        text=_texts(raw.get("text"), f"{where} [leave]"),
        care_plan_text=_texts(raw.get("care_plan_text"), f"{where} [leave] care_plan_text")
        if care_plan
        else {},
        cites=_cites(raw.get("cites"), f"{where} [leave]"),
        exceptions=exceptions,
    )


def applies(rules: LeaveRules, exception: str) -> bool:
    """Whether the agreement's leave rules hold for a period: it has some, and the period is
    not one of the cases it takes out."""
    return rules.said and not (exception and rules.exception(exception) is not None)


def handout_day(rules: LeaveRules, calendar: Calendar, starts: date) -> date | None:
    """The latest day the aids for a leave starting on `starts` may be handed out: a
    weekday, on or before the start (a weekend start means handing out before). None where
    the agreement sets no day."""
    if rules.handout == "working-day-on-or-before":
        return calendar.working_day_on_or_before(starts)
    return None


def handout_allowed(
    rules: LeaveRules, calendar: Calendar, day: date, starts: date, exception: str = ""
) -> bool:
    """May aids for the leave be handed out on `day`? On a weekday, not after the leave
    starts; any day in a case the agreement takes out, or where it is silent."""
    if not applies(rules, exception) or not rules.handout:
        return True
    return calendar.is_working_day(day) and day <= starts


def care_plan_due(rules: LeaveRules, calendar: Calendar, starts: date) -> datetime | None:
    """When the final care plan must reach the municipality before the leave: as before a
    discharge (N5: "Ved prøveudskrivninger og weekendbesøg gælder nedenstående
    udskrivningsvarsler også"). None where the agreement does not ask it."""
    if rules.care_plan == "noon-last-working-day-before":
        return calendar.noon_on_last_working_day_before(starts)
    return None
