from datetime import date
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.aids import triage
from overgang.aids.models.devices import Device
from overgang.aids.models.loans import Loan
from overgang.aids.states import DeviceStatus
from overgang.patients.access import ScopedQuerySet
from overgang.rules.calendar import Calendar
from overgang.rules.registry import Agreement, RulesError, agreement_for_municipality


class Criticality(models.TextChoices):
    LIFE_SUSTAINING = triage.LIFE_SUSTAINING, _("life-sustaining")
    OXYGEN = triage.OXYGEN, _("long-term oxygen")
    OTHER = triage.OTHER, _("less critical")


class FailureStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_REPAIR = DeviceStatus.IN_REPAIR.value, _("in repair")
    RESOLVED = "resolved", _("resolved")


class FailureReportQuerySet(ScopedQuerySet["FailureReport"]):
    """A failure goes with its device: seen with it, repaired and resolved by its unit."""

    def scope(self, user: Any, action: str) -> Q:
        return Q(device__in=Device.objects.within(user, action))


class FailureReport(models.Model):
    """A failed device, reported by its unit or by someone who cares for the patient who has
    it (O5, 000 4.0). The device stays with the patient until its return is registered."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="failures"
    )
    loan = models.ForeignKey(
        Loan,
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="failures",
        null=True,
        blank=True,
        help_text=_("The loan that was active when the failure was reported."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    description = models.TextField(_("what is wrong"))
    danger_to_life = models.BooleanField(_("danger to life and health"), default=False)
    criticality = models.CharField(_("criticality"), max_length=16, choices=Criticality.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=FailureStatus.choices, default=FailureStatus.OPEN
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    objects = FailureReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("failure report")
        verbose_name_plural = _("failure reports")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["device", "status"], name="failure_device_status")]

    def __str__(self) -> str:
        return f"{self.device}: {self.get_status_display()}"

    @property
    def advice(self) -> triage.Advice:
        """The advice for this failure under the patient's agreement, on the day it was
        reported; "switch to the second unit" only while another unit is lent."""
        country = cast(triage.Country, self.device.owner.country)
        reported_on = Calendar.for_country(country).local(self.reported_at).date()
        return triage.triage(
            agreement=self._agreement(reported_on),
            life_sustaining=self.device.aid_type.life_sustaining,
            aid_type=self.device.aid_type.slug,
            danger_to_life=self.danger_to_life,
            country=country,
            reported_on=reported_on,
            second_unit_lent=self._second_unit_lent(),
        )

    def _agreement(self, on: date) -> Agreement | None:
        """The agreement of the municipality the patient lives in; None without a loan."""
        if self.loan is None:
            return None
        try:
            return agreement_for_municipality(self.loan.patient.municipality.number, on=on)
        except RulesError:
            return None

    def _second_unit_lent(self) -> bool:
        """Has the patient another unit of the same aid on loan right now?"""
        if self.loan is None:
            return False
        return (
            Loan.objects.filter(
                patient_id=self.loan.patient_id,
                returned_at__isnull=True,
                device__aid_type_id=self.device.aid_type_id,
            )
            .exclude(device_id=self.device_id)
            .exists()
        )
