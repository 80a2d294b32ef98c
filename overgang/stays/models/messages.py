from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.stays.models.stays import StayLinkedQuerySet


class Receipt(models.TextChoices):
    # The application receipt (AppRec) that proves the receiver's system took the message.
    PENDING = "pending", _("no receipt yet")
    OK = "ok", _("received")
    ERROR = "error", _("rejected")


class MessageQuerySet(StayLinkedQuerySet["Message"]):
    """A message is reached with its stay."""


class Message(models.Model):
    """A message of the agreement on a stay: PLO (Norway) or MedCom (Denmark).

    Kept ready for exchange with other systems: the message id of the envelope, its type
    and version, and the payload as sent or received."""

    stay = models.ForeignKey(
        "stays.Stay", verbose_name=_("stay"), on_delete=models.CASCADE, related_name="messages"
    )
    message_id = models.UUIDField(_("message id"), default=uuid.uuid4, unique=True)
    type = models.CharField(_("type"), max_length=40)
    variant = models.CharField(_("variant"), max_length=20, blank=True)
    version = models.CharField(_("version"), max_length=10, blank=True)
    sender = models.CharField(_("sent by"), max_length=20)  # hospital | municipality
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    receipt = models.CharField(
        _("receipt"), max_length=8, choices=Receipt.choices, default=Receipt.PENDING
    )
    payload = models.TextField(_("content"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # A message its sender cancelled (PLO Kansellering, MedCom cancel-*): kept, marked, and
    # its effects undone.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    amended_at = models.DateTimeField(_("changed"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["stay", "type", "variant"], name="message_stay_type")]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return code_of(self.type, self.variant)


def code_of(type_: str, variant: str) -> str:
    """A message's type and variant as the checklists name it: `type:variant`, or the type."""
    return f"{type_}:{variant}" if variant else type_


class StayEventQuerySet(StayLinkedQuerySet["StayEvent"]):
    """An event is reached with its stay."""


class StayEvent(models.Model):
    """Something that happened on a stay: a deadline event of the rules (admitted,
    discharge-ready-notified …) or a step of the stay itself (discharge-ready, discharged)."""

    stay = models.ForeignKey(
        "stays.Stay", verbose_name=_("stay"), on_delete=models.CASCADE, related_name="events"
    )
    name = models.CharField(_("event"), max_length=40)
    at = models.DateTimeField(_("time"))
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
    )
    # For a planned discharge: when it is planned for, the time N5's deadlines count back from.
    planned_for = models.DateTimeField(_("planned for"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = StayEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["stay", "at"], name="event_stay_at")]

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M}"
