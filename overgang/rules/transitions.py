"""The messages of a stay (`transitions.toml`).

Pure Python. Which message starts which deadline event and fulfils which duty, and which
messages must come first (R4): the stays app asks here and knows none of it itself. The
checklists of a discharge are each agreement's (`overgang.rules.checklists`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from overgang.rules.case import EVENTS
from overgang.rules.spec import PARTIES, SpecError

TRANSITIONS_FILE = Path(__file__).with_name("transitions.toml")
SENDERS = (*PARTIES, "either")
COUNTRIES = ("NO", "DK")


@dataclass(frozen=True)
class MessageKind:
    type: str  # the standard's code: PLO MsgInfo/Type V, or the MedCom message
    variant: str  # "varsel" / "oppdatert" for Helseopplysninger; "" for most
    sender: str  # the party that sends it, or "either"
    event: str | None  # the deadline event it starts
    closes: tuple[str, ...]  # the duties it fulfils
    requires: tuple[str, ...]  # codes of messages sent before it (R4)
    requires_cites: tuple[str, ...]
    name: Mapping[str, str]

    @property
    def code(self) -> str:
        """`TYPE` or `TYPE:variant`: what a stay's messages are looked up by."""
        return f"{self.type}:{self.variant}" if self.variant else self.type


@dataclass(frozen=True)
class Transitions:
    country: str
    messages: Mapping[str, MessageKind]


def _names(raw: Mapping[str, object], key: str, where: str) -> dict[str, str]:
    found = raw.get(key)
    if not isinstance(found, dict) or set(found) != {"nb", "da", "en"}:
        raise SpecError(f"{where}: {key} needs nb, da and en")
    return {language: str(found[language]) for language in ("nb", "da", "en")}


def _message(raw: Mapping[str, object], where: str) -> MessageKind:
    where = f"{where} message {raw.get('type', '?')}"
    sender = raw.get("sender")
    if sender not in SENDERS:
        raise SpecError(f"{where}: sender must be one of {', '.join(SENDERS)}")
    event = raw.get("event")
    if event is not None and event not in EVENTS:
        raise SpecError(f"{where}: unknown event {event!r}")
    return MessageKind(
        type=str(raw["type"]),
        variant=str(raw.get("variant", "")),
        sender=str(sender),
        event=str(event) if event else None,
        closes=tuple(raw.get("closes", ())),  # type: ignore[arg-type]
        requires=tuple(raw.get("requires", ())),  # type: ignore[arg-type]
        requires_cites=tuple(raw.get("requires_cites", ())),  # type: ignore[arg-type]
        name=_names(raw, "name", where),
    )


@cache
def transitions(country: str) -> Transitions:
    """What the stays of a country's agreements exchange and check ("NO" or "DK")."""
    if country not in COUNTRIES:
        raise SpecError(f"no transitions for country {country!r}; known: {', '.join(COUNTRIES)}")
    with TRANSITIONS_FILE.open("rb") as handle:
        raw = tomllib.load(handle)[country]
    where = f"{TRANSITIONS_FILE.name} [{country}]"
    messages = [_message(m, where) for m in raw.get("message", ())]
    by_code = {m.code: m for m in messages}
    if len(by_code) != len(messages):
        raise SpecError(f"{where}: a message type and variant is listed twice")
    for message in messages:
        for needed in message.requires:
            if needed not in by_code:
                raise SpecError(f"{where} message {message.code}: requires unknown {needed!r}")
    return Transitions(country=country, messages=by_code)


@cache
def duty_names() -> dict[str, dict[str, str]]:
    """The short name of each duty in nb, da and en."""
    with TRANSITIONS_FILE.open("rb") as handle:
        raw = tomllib.load(handle)["duties"]
    return {duty: _names(raw, duty, f"{TRANSITIONS_FILE.name} [duties]") for duty in raw}


def duty_name(duty: str, language: str) -> str:
    return duty_names().get(duty, {}).get(language, duty)


def message_kind(country: str, code: str) -> MessageKind | None:
    return transitions(country).messages.get(code)


def closing_messages(country: str, duty: str) -> list[MessageKind]:
    """The messages that fulfil `duty`: what the worklist tells the party to send."""
    return [m for m in transitions(country).messages.values() if duty in m.closes]
