"""The monthly figures table: each indicator's numerator and denominator by agreement,
month (in the agreement's time zone), hospital, trust, municipality, aid group (where the
indicator has one) and kind of duty (for the notices). Sums that add up across the keys,
so a page reads any scope's figures with one grouped query. Derived from what was
recorded, by `overgang.indicators.actions.refresh_figures` alone; never edited by hand."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthlyFigure(models.Model):
    agreement = models.CharField(_("agreement"), max_length=40)
    month = models.DateField(_("month"))  # the first day, in the agreement's time zone
    indicator = models.CharField(_("indicator"), max_length=60)
    hospital = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("hospital"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    trust = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("trust"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    aid_group = models.CharField(_("aid group"), max_length=40, blank=True)
    duty = models.CharField(_("duty"), max_length=60, blank=True)
    numerator = models.FloatField(_("numerator"))
    denominator = models.IntegerField(_("denominator"))

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        indexes = [models.Index(fields=["agreement", "month", "indicator"])]

    def __str__(self) -> str:
        return f"{self.agreement} {self.month:%Y-%m} {self.indicator}"


class FiguresRefresh(models.Model):
    """One refresh of an agreement's months in the table: when, and which months."""

    agreement = models.CharField(_("agreement"), max_length=40)
    at = models.DateTimeField(_("time"), default=timezone.now)
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    rows = models.IntegerField(_("rows"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("figures refresh")
        verbose_name_plural = _("figures refreshes")
        indexes = [models.Index(fields=["agreement", "at"])]

    def __str__(self) -> str:
        return f"{self.agreement} {self.first_month:%Y-%m}–{self.last_month:%Y-%m} {self.at}"
