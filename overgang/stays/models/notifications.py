from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SOON = "soon", _("due soon")
    DUE = "due", _("due now")


class Notification(models.Model):
    """The worker told a deadline's holder that it is due soon, or due now: once per
    deadline and kind, however many workers sweep."""

    deadline = models.ForeignKey(
        "stays.Deadline",
        verbose_name=_("deadline"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=NotificationKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # Which worker's claim sent it (see overgang.stays.notify).
    email_claim = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="notification_inbox"),
            models.Index(
                fields=["created_at"],
                name="notification_to_email",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind"], name="one_notification_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.deadline}"
