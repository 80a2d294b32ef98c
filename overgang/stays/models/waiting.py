from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
