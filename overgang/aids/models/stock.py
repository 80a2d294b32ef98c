from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang.aids.models.catalogue import AidType
from overgang.organisations.models import Organisation


class StockMinimum(models.Model):
    """How many units of a type a unit wants available on its shelves (N11)."""

    owner = models.ForeignKey(
        Organisation, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="minimums"
    )
    aid_type = models.ForeignKey(AidType, verbose_name=_("aid type"), on_delete=models.CASCADE)
    minimum = models.PositiveIntegerField(_("minimum available"))

    class Meta:
        verbose_name = _("stock minimum")
        verbose_name_plural = _("stock minimums")
        constraints = [
            models.UniqueConstraint(fields=["owner", "aid_type"], name="one_minimum_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.owner} · {self.aid_type}: {self.minimum}"
