from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language
from overgang.stays.models.stays import StayLinkedQuerySet


class NeedKind(models.TextChoices):
    FUNCTION = "function", _("functional difficulty")
    AID = "aid", _("aid")


class Duration(models.TextChoices):
    # H4: whether the need is long-term (over two years) decides who provides it (H5).
    SHORT = "short", _("short-term (under two years)")
    LONG = "long", _("long-term (over two years)")
    UNKNOWN = "unknown", _("not known yet")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("open")
    MET = "met", _("in place")
    CANCELLED = "cancelled", _("no longer needed")


class NeedQuerySet(StayLinkedQuerySet["Need"]):
    """A need is reached with its stay (not with the loan that meets it)."""


class Need(models.Model):
    """What the patient will need after the stay (H1, H4, O9): a functional difficulty the
    hospital describes to the municipality, or an aid. An aid need asks the agreement who
    assesses, applies, delivers and trains, and gives each of them a task."""

    stay = models.ForeignKey(
        "stays.Stay", verbose_name=_("stay"), on_delete=models.CASCADE, related_name="needs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NeedKind.choices)
    description = models.TextField(_("description"))
    # H1: how much the patient and relatives take on themselves.
    own_part = models.TextField(_("what the patient and relatives do themselves"), blank=True)
    aid_type = models.ForeignKey(
        "aids.AidType",
        verbose_name=_("aid"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    duration = models.CharField(
        _("duration"), max_length=8, choices=Duration.choices, default=Duration.UNKNOWN
    )
    needed_for_journey_home = models.BooleanField(_("needed for the journey home"), default=False)
    # What the aid is for, in the agreement's terms (need.purpose of the rules, N2); blank
    # where the agreement asks no purpose.
    purpose = models.CharField(_("purpose"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    # The agreement's answer when the need was recorded: duties with parties and citations.
    decision = models.JSONField(_("what the agreement says"), default=dict, blank=True)
    loan = models.ForeignKey(
        "aids.Loan",
        verbose_name=_("lent"),
        on_delete=models.SET_NULL,
        related_name="needs",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.aid_type.name if self.aid_type else self.description[:60]

    @property
    def agreement_notes(self) -> list[str]:
        """What the agreement says of the need, in the reader's language."""
        return self.said("notes")

    def said(self, key: str, language: str | None = None) -> list[str]:
        """The agreement's `notes` or `reasons`, kept in nb, da and en, in `language` (the
        reader's when not given)."""
        language = language or current_language()
        return [text.get(language) or text.get("en", "") for text in self.decision.get(key) or []]


class TraineeKind(models.TextChoices):
    PATIENT = "patient", _("the patient")
    RELATIVE = "relative", _("relatives")
    STAFF = "staff", _("municipal staff")


class TrainingQuerySet(StayLinkedQuerySet["Training"]):
    """A training is reached with its stay."""


class Training(models.Model):
    """Who trained whom on which aid, when, and how (O10, N7): with an interpreter or not,
    with written procedures, and whether it must be repeated."""

    stay = models.ForeignKey(
        "stays.Stay", verbose_name=_("stay"), on_delete=models.CASCADE, related_name="trainings"
    )
    aid_type = models.ForeignKey(
        "aids.AidType", verbose_name=_("aid"), on_delete=models.PROTECT, related_name="+"
    )
    trainee = models.CharField(_("who was trained"), max_length=10, choices=TraineeKind.choices)
    names = models.CharField(_("names"), max_length=300)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trained by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    trainer_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("trainer's organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    interpreter = models.BooleanField(_("with an interpreter"), default=False)
    # O10 (000 9.1): a patient who needs an interpreter trained without one: why.
    no_interpreter_reason = models.TextField(_("why without an interpreter"), blank=True)
    # What was shown and whether it was understood: [{"item": ..., "understood": yes|partly|no}].
    items = models.JSONField(_("what was demonstrated"), default=list, blank=True)
    teach_back = models.TextField(_("teach-back: what the trainee showed or said back"), blank=True)
    written_procedures = models.CharField(
        _("written procedures given"),
        max_length=300,
        blank=True,
        help_text=_("For example: nutrition plan, cleaning routine."),
    )
    repeat = models.BooleanField(_("to be repeated"), default=False)
    repeat_on = models.DateField(_("repeat by"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.aid_type} → {self.names}"

    @property
    def not_understood(self) -> list[str]:
        """The items shown that were not fully understood."""
        return [i["item"] for i in self.items if i.get("understood") != "yes"]
