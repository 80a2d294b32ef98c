"""What makes a patient discharge-ready and ready to leave, per agreement (R3, R6, O9).

Each agreement says what its own routine makes a condition (its `[discharge]` table: a
notice window, the answer before departure, the aids in place before discharge-ready, its
departure checklist); the national law of its country adds what holds for every agreement
there (Norway: forskrift om kommunal betaling for utskrivningsklare pasienter § 9, in
`law/norway.toml` `[section_9]`). A checklist item says which care types it is for.

Pure Python, like the rest of `overgang.rules`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from overgang.rules.spec import SpecError

CARE_TYPES = ("somatic", "mental-health", "tsb")
PROFESSIONS = ("physician", "psychologist")


@dataclass(frozen=True)
class ChecklistItem:
    item: str
    cites: tuple[str, ...]
    text: Mapping[str, str]
    message: str | None = None  # the item is done when this message is sent
    care: tuple[str, ...] = CARE_TYPES  # the care types it is a condition for

    def applies(self, care: str) -> bool:
        return care in self.care


@dataclass(frozen=True)
class NoticeWindow:
    start: datetime.time
    end: datetime.time
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Hint:
    """A routine's advice, in nb, da and en, with where it says so."""

    text: Mapping[str, str]
    cites: tuple[str, ...]


@dataclass(frozen=True)
class MessageOrder:
    """An agreement's rule that a message waits for others on the stay (R4: HNT's 004
    Vedlegg 3.1.1 b, Helseopplysninger – oppdatert before the notice of a discharge-ready
    patient). Codes are those of `transitions.toml` (`TYPE` or `TYPE:variant`)."""

    message: str
    after: tuple[str, ...]
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Deciders:
    """Who decides that a patient is discharge-ready, per care type, and where it says so."""

    by_care: Mapping[str, tuple[str, ...]]
    cites: tuple[str, ...]

    def professions(self, care: str) -> tuple[str, ...]:
        return self.by_care.get(care, ("physician",))


PHYSICIAN_DECIDES = Deciders(by_care={}, cites=())


@dataclass(frozen=True)
class AgreementDischarge:
    """What an agreement's own routine says of discharge (its `[discharge]` table); empty
    where the routine is silent."""

    notice_window: NoticeWindow | None = None
    answer_first: tuple[str, ...] = ()  # departure waits for the municipality's answer
    aids_in_place: tuple[str, ...] = ()  # O9: open aid tasks block discharge-ready
    message_order: tuple[MessageOrder, ...] = ()  # messages that wait for others (R4)
    relatives: tuple[str, ...] = ()  # relatives' needs assessed and documented
    own_responsibility: tuple[str, ...] = ()  # leaving before the municipality can receive
    # R7: leaving the day of the notice, medicines and equipment go along until the next
    # working day, at the municipality's request.
    same_day_supplies: tuple[str, ...] = ()
    discharge_ready: tuple[ChecklistItem, ...] = ()
    departure_ready: tuple[ChecklistItem, ...] = ()
    # When and how the hospital describes the patient's needs, in the routine's words; None
    # where the routine says nothing of it.
    needs_hint: Hint | None = None

    def order_of(self, code: str) -> MessageOrder | None:
        """What the message `code` waits for under this routine; None where it waits for
        nothing."""
        return next((o for o in self.message_order if o.message == code), None)


NOTHING_SAID = AgreementDischarge()


@dataclass(frozen=True)
class Checklists:
    """An agreement's discharge rules with its country's law: what a stay is checked by."""

    agreement: str
    country: str
    routine: AgreementDischarge
    law_items: tuple[ChecklistItem, ...]  # § 9 where the country has it
    deciders: Deciders
    law_cites: tuple[str, ...] = field(default=())  # the law the decision rests on

    @property
    def all_discharge_ready(self) -> tuple[ChecklistItem, ...]:
        return self.law_items + self.routine.discharge_ready

    def discharge_ready(self, care: str) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.all_discharge_ready if i.applies(care))

    def departure_ready(self, care: str) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.routine.departure_ready if i.applies(care))

    @property
    def notice_window(self) -> NoticeWindow | None:
        return self.routine.notice_window

    @property
    def has_section_9(self) -> bool:
        return bool(self.law_items)


def names(raw: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
    found = raw.get(key)
    if not isinstance(found, dict) or set(found) != {"nb", "da", "en"}:
        raise SpecError(f"{where}: {key} needs nb, da and en")
    return {language: str(found[language]) for language in ("nb", "da", "en")}


def _cites(raw: object, where: str, *, required: bool = False) -> tuple[str, ...]:
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        raise SpecError(f"{where}: cites must be a non-empty list of citations")
    return tuple(raw)


def read_items(raws: object, where: str) -> tuple[ChecklistItem, ...]:
    if raws is None:
        return ()
    if not isinstance(raws, list):
        raise SpecError(f"{where}: must be a list of items")
    items = []
    for raw in raws:
        name = raw.get("item")
        if not isinstance(name, str) or not name:
            raise SpecError(f"{where}: an item needs its name")
        care = tuple(raw.get("care", CARE_TYPES))
        unknown = [c for c in care if c not in CARE_TYPES]
        if unknown or not care:
            raise SpecError(f"{where} {name}: care must be some of {', '.join(CARE_TYPES)}")
        items.append(
            ChecklistItem(
                item=name,
                cites=_cites(raw.get("cites"), f"{where} {name}", required=True),
                text=names(raw, "text", f"{where} {name}"),
                message=raw.get("message"),
                care=care,
            )
        )
    if len({i.item for i in items}) != len(items):
        raise SpecError(f"{where}: an item is listed twice")
    return tuple(items)


def _hint(raw: object, where: str) -> Hint | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be a table with text and cites")
    cites = _cites(raw.get("cites"), where, required=True)
    return Hint(text=names(raw, "text", where), cites=cites)


def read_message_order(raws: object, where: str) -> tuple[MessageOrder, ...]:
    if raws is None:
        return ()
    if not isinstance(raws, list):
        raise SpecError(f"{where}: must be a list of tables")
    found = []
    for raw in raws:
        message = raw.get("message") if isinstance(raw, dict) else None
        after = raw.get("after") if isinstance(raw, dict) else None
        if not isinstance(message, str) or not message:
            raise SpecError(f"{where}: an entry needs its message")
        if not isinstance(after, list) or not after or not all(isinstance(a, str) for a in after):
            raise SpecError(f"{where} {message}: after must be a non-empty list of messages")
        found.append(
            MessageOrder(
                message=message,
                after=tuple(after),
                cites=_cites(raw.get("cites"), f"{where} {message}", required=True),
            )
        )
    if len({o.message for o in found}) != len(found):
        raise SpecError(f"{where}: a message is listed twice")
    return tuple(found)


def read_agreement_discharge(raw: object, where: str) -> AgreementDischarge:
    """An agreement file's `[discharge]` table."""
    if raw is None:
        return NOTHING_SAID
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: discharge must be a table")
    where = f"{where} [discharge]"
    known = {
        "notice_window",
        "answer_first",
        "aids_in_place",
        "message_order",
        "needs_hint",
        "relatives",
        "own_responsibility",
        "same_day_supplies",
        "discharge_ready",
        "departure_ready",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SpecError(f"{where}: unknown keys {', '.join(unknown)}")
    window = raw.get("notice_window")
    return AgreementDischarge(
        notice_window=NoticeWindow(
            start=datetime.time.fromisoformat(window["start"]),
            end=datetime.time.fromisoformat(window["end"]),
            cites=_cites(window.get("cites"), f"{where} notice_window", required=True),
        )
        if window
        else None,
        answer_first=_cites(raw.get("answer_first"), f"{where} answer_first"),
        aids_in_place=_cites(raw.get("aids_in_place"), f"{where} aids_in_place"),
        message_order=read_message_order(raw.get("message_order"), f"{where} message_order"),
        needs_hint=_hint(raw.get("needs_hint"), f"{where} needs_hint"),
        relatives=_cites(raw.get("relatives"), f"{where} relatives"),
        own_responsibility=_cites(raw.get("own_responsibility"), f"{where} own_responsibility"),
        same_day_supplies=_cites(raw.get("same_day_supplies"), f"{where} same_day_supplies"),
        discharge_ready=read_items(raw.get("discharge_ready"), f"{where} discharge_ready"),
        departure_ready=read_items(raw.get("departure_ready"), f"{where} departure_ready"),
    )


def read_deciders(raw: object, where: str) -> Deciders:
    if raw is None:
        return PHYSICIAN_DECIDES
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: deciders must be a table")
    by_care = {}
    for care, professions in raw.items():
        if care == "cites":
            continue
        if care not in CARE_TYPES:
            raise SpecError(f"{where}: unknown care type {care!r}")
        if not professions or any(p not in PROFESSIONS for p in professions):
            raise SpecError(f"{where}: {care} must name some of {', '.join(PROFESSIONS)}")
        by_care[care] = tuple(professions)
    return Deciders(by_care=by_care, cites=_cites(raw.get("cites"), where, required=True))
