from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.aids.models.loans import Loan
from overgang.organisations.permissions import MANAGE_DEVICES
from overgang.patients.access import ScopedQuerySet, patient_scope, units_for


class ReturnMethod(models.TextChoices):
    PICKUP = "pickup", _("picked up by the unit, by appointment")
    DROP_OFF = "drop-off", _("brought to the unit")


class ReportedFor(models.TextChoices):
    # The municipality must report aids to be returned (000 7.0); the patient or a
    # relative often calls the unit or the municipality, who registers it for them.
    MUNICIPALITY = "municipality", _("the municipality")
    PATIENT = "patient", _("the patient")
    RELATIVE = "relative", _("a relative")
    UNIT = "unit", _("the unit itself")


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("reported")
    SCHEDULED = "scheduled", _("pickup agreed")
    DONE = "done", _("returned")
    CANCELLED = "cancelled", _("cancelled")


OPEN_RETURNS = (ReturnStatus.REQUESTED, ReturnStatus.SCHEDULED)


class ReturnRequestQuerySet(ScopedQuerySet["ReturnRequest"]):
    """The unit a return is sent to manages it (agrees, closes); whoever sees the patient
    sees it too."""

    def scope(self, user: Any, action: str) -> Q:
        mine = Q(unit__in=units_for(user, MANAGE_DEVICES))
        if action == MANAGE_DEVICES:
            return mine
        return mine | patient_scope(user, action, prefix="patient__")


class ReturnRequest(models.Model):
    """Devices a patient no longer needs, reported to go back to their unit (O8, 000 7.0):
    picked up by appointment or brought to the unit. Done when every device is checked in."""

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="return_requests",
    )
    unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="return_requests",
    )
    loans = models.ManyToManyField(Loan, verbose_name=_("loans"), related_name="return_requests")
    method = models.CharField(_("how"), max_length=10, choices=ReturnMethod.choices)
    reported_for = models.CharField(_("reported by"), max_length=14, choices=ReportedFor.choices)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("pickup address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    appointment = models.DateTimeField(_("pickup"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("reported"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True)

    objects = ReturnRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["unit", "status"], name="return_worklist")]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.get_method_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RETURNS
