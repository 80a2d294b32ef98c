"""Trial discharges and leave (weekend visits) from a stay (N5): periods the patient is home
while the stay goes on, and the aids that went home for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import ParentLinkedQuerySet
from overgang.stays.models.stays import StayLinkedQuerySet


class LeaveKind(models.TextChoices):
    TRIAL_DISCHARGE = "trial-discharge", _("trial discharge")
    LEAVE = "leave", _("leave (weekend visit)")


class LeaveStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    STARTED = "started", _("at home")
    ENDED = "ended", _("back in hospital")
    CANCELLED = "cancelled", _("cancelled")


class LeaveException(models.TextChoices):
    """The cases N5 takes out of the weekday and notice rules (003 3); the agreement says
    which it has, the period records which applies and why."""

    NONE = "", _("none")
    HOUSING_CHANGE = "housing-change", _("housing change")
    VERY_SPECIALISED_AID = "very-specialised-aid", _("very specialised aid needing special fitting")


class LeavePeriodQuerySet(StayLinkedQuerySet["LeavePeriod"]):
    """A leave is reached with its stay."""


class LeavePeriod(models.Model):
    stay = models.ForeignKey(
        "stays.Stay",
        verbose_name=_("stay"),
        on_delete=models.CASCADE,
        related_name="leave_periods",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LeaveKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PLANNED
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    exception = models.CharField(
        _("exception"), max_length=24, choices=LeaveException.choices, blank=True
    )
    exception_reason = models.TextField(_("reason for the exception"), blank=True)
    # The hospital notifications that started and ended it (MedCom start-/end-leave-*).
    start_message = models.ForeignKey(
        "stays.Message",
        verbose_name=_("start message"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    end_message = models.ForeignKey(
        "stays.Message",
        verbose_name=_("end message"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    # Opened by a received start-leave for which no planned period was waiting: its cancel
    # takes the period away again, where for a planned one it only undoes the start.
    from_message = models.BooleanField(_("opened by a message"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))

    objects = LeavePeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["planned_start", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.planned_start:%Y-%m-%d} ({self.status})"


class LeaveAidQuerySet(ParentLinkedQuerySet["LeaveAid"]):
    parent = "period"


class LeaveAid(models.Model):
    """An aid that went home for the leave: a loan of the patient's, or a need on the stay."""

    period = models.ForeignKey(
        LeavePeriod, verbose_name=_("leave"), on_delete=models.CASCADE, related_name="aids"
    )
    loan = models.ForeignKey(
        "aids.Loan",
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    need = models.ForeignKey(
        "stays.Need",
        verbose_name=_("need"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    handed_out_on = models.DateField(_("handed out on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))

    objects = LeaveAidQuerySet.as_manager()

    class Meta:
        verbose_name = _("aid for a leave")
        verbose_name_plural = _("aids for leaves")
        ordering = ["handed_out_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(loan__isnull=False) | models.Q(need__isnull=False),
                name="leave_aid_names_loan_or_need",
            )
        ]

    def __str__(self) -> str:
        return f"{self.loan_id or self.need_id} for leave {self.period_id} on {self.handed_out_on}"
