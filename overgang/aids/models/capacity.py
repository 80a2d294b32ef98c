"""Shared capacity (N11): a day's counts per unit and aid type, kept for the trend, and the
times a unit fell below its minimum, kept so it is told once per fall."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from overgang.aids.models.catalogue import AidType
from overgang.organisations.models import Organisation


class StockSnapshot(models.Model):
    """How many devices of a type a unit had in each status on a day (its first count of
    the day); one row per unit, type and day. Counts only: no device, no borrower."""

    owner = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    aid_type = models.ForeignKey(
        AidType, verbose_name=_("aid type"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    available = models.PositiveIntegerField(_("available"), default=0)
    on_loan = models.PositiveIntegerField(_("on loan"), default=0)
    reprocessing = models.PositiveIntegerField(_("reprocessing"), default=0)
    in_repair = models.PositiveIntegerField(_("in repair"), default=0)
    minimum = models.PositiveIntegerField(_("minimum available"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock snapshot")
        verbose_name_plural = _("stock snapshots")
        # The day first: the worker asks every minute what today's snapshot lacks, and the
        # trend reads the last weeks.
        constraints = [
            models.UniqueConstraint(
                fields=["day", "owner", "aid_type"], name="one_snapshot_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} · {self.aid_type_id} · {self.day}"


class StockShortfall(models.Model):
    """A unit had fewer devices of a type available than its minimum, from `since` until
    `recovered_at` (None: still short). At most one open per unit and type: falling below
    opens one and tells; recovering closes it, so the next fall tells again."""

    owner = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    aid_type = models.ForeignKey(
        AidType, verbose_name=_("aid type"), on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField(_("below the minimum since"))
    available = models.PositiveIntegerField(_("available"))
    minimum = models.PositiveIntegerField(_("minimum available"))
    recovered_at = models.DateTimeField(_("recovered"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock shortfall")
        verbose_name_plural = _("stock shortfalls")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "aid_type"],
                condition=Q(recovered_at__isnull=True),
                name="one_open_shortfall",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} · {self.aid_type_id} since {self.since:%Y-%m-%d %H:%M}"
