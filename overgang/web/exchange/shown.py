"""What the pages show of messages: a stay's messages in and out with their receipt state,
the suggestions of the latest report that brings IPLOS levels and aids, and one received
message laid out for people to read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from overgang.exchange.models import Delivery, DeliveryState, Received
from overgang.exchange.outbox import receipt_overdue
from overgang.stays.models import Message, Receipt, Stay
from overgang.stays.timeline import message_name

# AppRecs answering the messages Overgang sent are received too, and point at the message
# they answer: they are not the message itself.
ANSWERS = "apprec"

STATUSES = {
    "new": gettext_lazy("new message"),
    "change": gettext_lazy("change"),
    "cancel": gettext_lazy("cancellation"),
}

# IPLOS scores (forskrift om pleie- og omsorgsregister), said plainly for the reader.
IPLOS_LEVELS = {
    "1": gettext_lazy("manages on their own"),
    "2": gettext_lazy("manages, with some difficulty"),
    "3": gettext_lazy("needs some help"),
    "4": gettext_lazy("needs much help"),
    "5": gettext_lazy("fully dependent on help"),
    "9": gettext_lazy("not relevant"),
}
NEEDS_HELP = frozenset({"3", "4", "5"})


@dataclass(frozen=True)
class MessageRow:
    """One message of the stay: `received` is the message as it arrived, when it did."""

    message: Message
    name: str
    received: Received | None
    delivery: Delivery | None = None  # how far a message Overgang sends has come

    @property
    def receipt_state(self) -> str:
        """ok, error or pending: for a received message, the receipt Overgang answered it
        with; for one sent, the receiver's."""
        if self.received is not None:
            return Receipt.OK if self.received.receipt is not None else Receipt.PENDING
        delivery = self.delivery
        if delivery is not None and delivery.state != DeliveryState.DELIVERED:
            return "not-sent" if delivery.state == DeliveryState.NOT_SENT else "queued"
        if delivery is not None and receipt_overdue(delivery):
            return "overdue"
        return self.message.receipt

    @property
    def receipt_text(self) -> str:
        if self.received is not None:
            return _("receipt sent") if self.received.receipt is not None else _("no receipt")
        state = self.receipt_state
        if state == "not-sent":
            return _("not sent electronically")
        if state == "queued":
            if self.delivery is not None and self.delivery.attempts:
                return _("queued: delivery failed, trying again")
            return _("queued for sending")
        if state == "overdue":
            return _("delivered, no receipt in time")
        if self.message.receipt == Receipt.OK:
            return _("receipt: received")
        if self.message.receipt == Receipt.ERROR:
            return _("receipt: rejected by the receiver")
        return _("delivered, waiting for receipt")


def message_rows(stay: Stay) -> list[MessageRow]:
    messages = list(Message.objects.filter(stay=stay).order_by("sent_at", "id"))
    arrived = {
        row.stay_message_id: row
        for row in Received.objects.filter(stay_message__in=messages)
        .exclude(standard=ANSWERS)
        .order_by("received_at", "id")
    }
    deliveries = {d.message_id: d for d in Delivery.objects.filter(message__in=messages)}
    return [
        MessageRow(m, message_name(stay, m), arrived.get(m.pk), deliveries.get(m.pk))
        for m in messages
    ]


@dataclass(frozen=True)
class Level:
    area: str
    level: str
    meaning: str
    text: str


@dataclass(frozen=True)
class Suggestions:
    """What a received report says of the patient's function and aids at home."""

    received: Received
    name: str
    levels: list[Level] = field(default_factory=list)
    aids: list[dict[str, str]] = field(default_factory=list)

    @property
    def needs_help(self) -> list[Level]:
        """The areas where the patient needs help (IPLOS 3-5): what the needs are about."""
        return [level for level in self.levels if level.level in NEEDS_HELP]

    @property
    def others(self) -> list[Level]:
        return [level for level in self.levels if level.level not in NEEDS_HELP]


def levels_of(content: dict[str, Any]) -> list[Level]:
    return [
        Level(
            area=str(item.get("area", "")),
            level=str(item.get("level", "")),
            meaning=str(IPLOS_LEVELS.get(str(item.get("level", "")), "")),
            text=str(item.get("text", "")),
        )
        for item in content.get("functional_levels", [])
    ]


def suggestions(stay: Stay, rows: list[MessageRow]) -> Suggestions | None:
    """The latest received message, not cancelled, that gives functional levels or aids
    (in Norway the Innleggelsesrapport)."""
    for row in reversed(rows):
        if row.received is None or row.message.cancelled_at is not None:
            continue
        content = row.received.content
        if content.get("functional_levels") or content.get("existing_aids"):
            return Suggestions(
                row.received, row.name, levels_of(content), list(content.get("existing_aids", []))
            )
    return None


def parties(levels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each level of a sender or receiver: its name and its ids."""
    return [(str(level.get("name", "")), ", ".join(level.get("ids", []))) for level in levels]


def sent_at(content: dict[str, Any]) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(str(content["sent_at"]))
    except (KeyError, ValueError):
        return None


def status_name(content: dict[str, Any]) -> str:
    status = str(content.get("status", ""))
    return str(STATUSES.get(status, status))
