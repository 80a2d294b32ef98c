"""What arrived: every message received, whatever became of it.

A row is the proof of receipt and what makes receiving idempotent (by message id), the
rejected-messages inbox an integration admin works from, and the document a stay shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Received(models.Model):
    """A message as it arrived, the outcome, and the receipt it was answered with."""

    message_id = models.CharField(_("message id"), max_length=200, blank=True)
    # Another id the message is known by (MedCom: MessageHeader.id, which a revise-/cancel-
    # names; the message id is Bundle.id).
    header_id = models.CharField(_("header id"), max_length=200, blank=True)
    digest = models.CharField(_("checksum"), max_length=64)  # sha256 of the document
    standard = models.CharField(_("standard"), max_length=20, blank=True)
    type = models.CharField(_("type"), max_length=60, blank=True)
    version = models.CharField(_("version"), max_length=10, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # [{"code": "E21", "text": "..."}]: why it was rejected, as the receipt says.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # The deadline events it started ("admission-notified", …), as the result reports them.
    events = models.JSONField(_("events"), default=list, blank=True)
    content_type = models.CharField(_("content type"), max_length=60)
    document = models.BinaryField(_("document"))
    receipt = models.BinaryField(_("receipt"), null=True, blank=True)
    receipt_type = models.CharField(_("receipt type"), max_length=40, blank=True)
    # What the message says for people to read, kept as data (sections, IPLOS, aids).
    content = models.JSONField(_("content"), default=dict, blank=True)
    receiver = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("receiver"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stay = models.ForeignKey(
        "stays.Stay",
        verbose_name=_("stay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received",
    )
    stay_message = models.ForeignKey(
        "stays.Message",
        verbose_name=_("message on the stay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received",
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A rejected message tried again once the register was fixed: the later attempt.
    retried_as = models.ForeignKey(
        "self",
        verbose_name=_("tried again as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("received message")
        verbose_name_plural = _("received messages")
        ordering = ["-received_at", "-id"]
        constraints = [
            # Idempotent by message id: one accepted message per id.
            models.UniqueConstraint(
                fields=["message_id"],
                condition=Q(outcome="accepted") & ~Q(message_id=""),
                name="received_accepted_once",
            )
        ]
        indexes = [
            models.Index(fields=["message_id"], name="received_message_id"),
            models.Index(fields=["header_id"], name="received_header_id"),
            models.Index(fields=["outcome", "-received_at"], name="received_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.type or '?'} {self.message_id or '(no id)'}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("queued")
    DELIVERED = "delivered", _("delivered")
    # Recorded here, but with no standard document or address to send it with.
    NOT_SENT = "not-sent", _("not sent electronically")


class Delivery(models.Model):
    """A message Overgang sends: its standard document and how far delivery has come. The
    receiver's answer (AppRec) is on the message itself (`Message.receipt`)."""

    message = models.OneToOneField(
        "stays.Message",
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="delivery",
    )
    stay = models.ForeignKey(
        "stays.Stay", verbose_name=_("stay"), on_delete=models.CASCADE, related_name="+"
    )
    document = models.BinaryField(_("document"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=60, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    # Why a message is not sent electronically, or what the last attempt met.
    problem = models.TextField(_("problem"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.message} ({self.state})"
