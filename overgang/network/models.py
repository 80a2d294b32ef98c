"""The network group's records: chairs, meetings with their decisions, and delimitation
questions. Keyed by agreement id (the group is the agreement's); none names a patient."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.network import states


class Chair(models.Model):
    """A member who chairs the agreement's group (a shared chair: one from each side)."""

    agreement = models.CharField(_("agreement"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("chair")
        verbose_name_plural = _("chairs")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user"], name="one_chair_row_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.user_id}"


class Meeting(models.Model):
    """A meeting of the agreement's network group (about four a year)."""

    agreement = models.CharField(_("agreement"), max_length=40)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), help_text=_("One item a line."))
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["agreement", "starts_at"], name="meeting_by_agreement")]

    def __str__(self) -> str:
        return f"{self.agreement} {self.starts_at:%Y-%m-%d}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Decision(models.Model):
    """What the group decided at a meeting; optionally the agreement version it made (a
    plain reference: the agreement's id and the version's label)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    agreement_ref = models.CharField(_("agreement id"), max_length=40, blank=True)
    version_label = models.CharField(_("version"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def version_href(self) -> str:
        """Where the version's page would be: /agreements/<id>/versions/<version>/."""
        if not (self.agreement_ref and self.version_label):
            return ""
        return f"/agreements/{self.agreement_ref}/versions/{self.version_label}/"


class Source(models.TextChoices):
    DIRECT = "direct", _("asked directly")
    RULES = "rules", _("from “Who is responsible?”")
    NEED = "need", _("from a need on a stay")
    DISPUTE = "dispute", _("from a dispute")


class Status(models.TextChoices):
    OPEN = states.OPEN, _("open")
    ANSWERED = states.ANSWERED, _("answered")


class Question(models.Model):
    """A delimitation question the agreement does not decide, for its network group. It holds
    the case as the rules page states it (municipality, aid type, purpose…), never a patient;
    one from a dispute names the dispute and its subject only."""

    agreement = models.CharField(_("agreement"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("question"))
    case = models.JSONField(_("the case"), default=dict, blank=True)
    source = models.CharField(
        _("raised"), max_length=12, choices=Source.choices, default=Source.DIRECT
    )
    dispute = models.ForeignKey(
        "requisitions.Dispute",
        verbose_name=_("dispute"),
        on_delete=models.PROTECT,
        related_name="network_questions",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        related_name="questions",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("delimitation question")
        verbose_name_plural = _("delimitation questions")
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["agreement", "status", "asked_at"], name="question_queue")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        """Waiting for the group's answer (asked, or reopened after one)."""
        return self.status == Status.OPEN


class AlertsRead(models.Model):
    """How far a member has read the agreement's stock alerts (N11): the shortfalls of its
    units opened or recovered after `read_until` are new to them. One row per member and
    agreement, moved forward only, by the member's own "mark as read"."""

    agreement = models.CharField(_("agreement"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    read_until = models.DateTimeField(_("read until"))

    class Meta:
        verbose_name = _("stock alerts read")
        verbose_name_plural = _("stock alerts read")
        constraints = [
            models.UniqueConstraint(fields=["user", "agreement"], name="one_alerts_mark_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.user_id} until {self.read_until:%Y-%m-%d %H:%M}"
