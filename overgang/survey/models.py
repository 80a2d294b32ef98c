"""An invitation to answer the survey of one stay, and its answer.

The link carries a random token and nothing else: no name, no national ID, no stay number.
Only the token's SHA-256 is stored, so the table cannot be read back into working links;
the token is shown once, to the person who prints it for the patient."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang.stays.models import Stay


class Reply(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Don't know")


class Invitation(models.Model):
    stay = models.ForeignKey(
        Stay, verbose_name=_("stay"), on_delete=models.CASCADE, related_name="survey_invitations"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"))
    expires_at = models.DateTimeField(_("expires"))
    # A newer link for the same stay replaces an unanswered one.
    withdrawn_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"survey link #{self.pk} · stay {self.stay_id}"


class Answer(models.Model):
    """What the citizen or a relative answered; one per invitation."""

    invitation = models.OneToOneField(
        Invitation, verbose_name=_("survey link"), on_delete=models.CASCADE, related_name="answer"
    )
    stay = models.ForeignKey(
        Stay, verbose_name=_("stay"), on_delete=models.CASCADE, related_name="survey_answers"
    )
    delivered_on_time = models.CharField(
        _("The aid was delivered on time"), max_length=8, choices=Reply.choices
    )
    instruction_given = models.CharField(
        _("I was shown how to use it"), max_length=8, choices=Reply.choices
    )
    works = models.CharField(_("It works"), max_length=8, choices=Reply.choices)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["answered_at"], name="survey_answered")]

    def __str__(self) -> str:
        return f"survey answer · stay {self.stay_id}"
