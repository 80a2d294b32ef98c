from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.patients.access import PatientLinkedQuerySet, patient_scope, units_for


class CheckResult(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed: remedy needed")


class RemedyStatus(models.TextChoices):
    NONE_NEEDED = "none-needed", _("nothing to remedy")
    OPEN = "open", _("remedy pending")
    REMEDIED = "remedied", _("remedied")


class ElectricalCheckQuerySet(PatientLinkedQuerySet["ElectricalCheck"]):
    """A check is reached with its patient. The hospital's device staff record and remedy
    them before placing a device (MANAGE_DEVICES): for the patients they see, as long as
    they manage devices for some unit (the check is of the address, not of a device)."""

    def scope(self, user: Any, action: str) -> Q:
        if action != MANAGE_DEVICES:
            return super().scope(user, action)
        if not units_for(user, MANAGE_DEVICES):
            return Q(pk__in=[])
        return patient_scope(user, VIEW, prefix="patient__")


class ElectricalCheck(models.Model):
    """The electrical installation where a device will be connected, checked by the hospital
    before placing it (O4, U4): limited to the rooms named; the installation's owner pays an
    authorised electrician for remedies; in nursing homes the nursing-home agency decides."""

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="electrical_checks",
    )
    address = models.CharField(_("address checked"), max_length=200)
    rooms = models.CharField(_("rooms"), max_length=200)
    result = models.CharField(_("result"), max_length=8, choices=CheckResult.choices)
    remedy_by = models.CharField(
        _("remedy by"),
        max_length=120,
        blank=True,
        help_text=_("The owner of the installation (or the nursing-home agency)."),
    )
    remedy_status = models.CharField(
        _("remedy"), max_length=12, choices=RemedyStatus.choices, default=RemedyStatus.NONE_NEEDED
    )
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ElectricalCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("electrical installation check")
        verbose_name_plural = _("electrical installation checks")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.address} ({self.rooms}): {self.get_result_display()}"

    @property
    def cleared(self) -> bool:
        """May a device that needs the check be placed at this address?"""
        return self.result == CheckResult.PASSED or self.remedy_status == RemedyStatus.REMEDIED
