from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import ParentLinkedQuerySet


class WaitingDayRate(models.Model):
    """The daily rate a municipality pays for a discharge-ready patient it cannot receive
    (R9, forskrift om kommunal betaling for utskrivningsklare pasienter § 13), per year."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    rate = models.DecimalField(
        _("daily rate (NOK)"), max_digits=8, decimal_places=0, validators=[MinValueValidator(0)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("daily rate for waiting days")
        verbose_name_plural = _("daily rates for waiting days")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.rate} NOK"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("awaiting the hospital's answer")
    ACCEPTED = "accepted", _("accepted: the days are not billed")
    REJECTED = "rejected", _("rejected")


class ObjectionQuerySet(ParentLinkedQuerySet["WaitingDayObjection"]):
    """An objection is reached with its stay."""

    parent = "stay"


class WaitingDayObjection(models.Model):
    """The municipality objects to waiting days of a stay (R9), with its reason; the hospital
    accepts (the days leave the statement) or rejects them with its own reason."""

    stay = models.ForeignKey(
        "stays.Stay",
        verbose_name=_("stay"),
        on_delete=models.CASCADE,
        related_name="waiting_day_objections",
    )
    days = models.JSONField(_("days objected to"), default=list)  # ISO dates, sorted
    reason = models.TextField(_("the municipality's reason"))
    objected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("objected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    objected_at = models.DateTimeField(_("objected"))
    status = models.CharField(
        _("status"), max_length=12, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    answer_reason = models.TextField(_("the hospital's reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The hospital's task to answer it, on its worklist.
    task = models.ForeignKey(
        "stays.Deadline",
        verbose_name=_("task"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection to waiting days")
        verbose_name_plural = _("objections to waiting days")
        ordering = ["objected_at", "id"]

    def __str__(self) -> str:
        return f"{self.stay_id}: {len(self.days)} days ({self.status})"

    @property
    def dates(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(d) for d in self.days]
