from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.aids.models.catalogue import AidType
from overgang.aids.states import DeviceStatus
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.patients.access import (
    ParentLinkedQuerySet,
    ScopedQuerySet,
    patient_scope,
    units_for,
)


class DeviceQuerySet(ScopedQuerySet["Device"]):
    """Its owning unit manages a device (MANAGE_DEVICES); others see it only while it is
    lent to a patient they may see."""

    def scope(self, user: Any, action: str) -> Q:
        mine = Q(owner__in=units_for(user, MANAGE_DEVICES))
        if action == MANAGE_DEVICES:
            return mine
        if action == VIEW:
            lent = patient_scope(user, VIEW, prefix="loans__patient__")
            return mine | (Q(loans__returned_at__isnull=True) & lent)
        raise ValueError(f"devices: unknown action {action!r}")

    def within(self, user: Any, action: str) -> "DeviceQuerySet":
        # Through the loans a device can match more than once.
        found = super().within(user, action)
        return found.distinct() if action == VIEW else found

    def by_serials(self, serials: list[str]) -> tuple[list["Device"], list[str]]:
        """The devices among these with these serials, in the order asked, and the serials
        none of them has."""
        found = {
            d.serial: d for d in self.filter(serial__in=serials).select_related("owner", "aid_type")
        }
        return [found[s] for s in serials if s in found], [s for s in serials if s not in found]


class Device(models.Model):
    """One physical unit, owned by a treatment-aids unit or a municipal depot."""

    serial = models.CharField(_("serial number"), max_length=60, unique=True)
    aid_type = models.ForeignKey(
        AidType, verbose_name=_("aid type"), on_delete=models.PROTECT, related_name="devices"
    )
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="devices"
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.AVAILABLE
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["serial"]
        indexes = [
            models.Index(fields=["owner", "aid_type", "status"], name="device_depot"),
            # The depot overview counts overdue loans among the devices on loan only.
            models.Index(
                fields=["owner", "aid_type", "id"],
                condition=Q(status=DeviceStatus.ON_LOAN),
                name="device_on_loan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aid_type} {self.serial}"


class DeviceTransitionQuerySet(ParentLinkedQuerySet["DeviceTransition"]):
    """A device's history goes with the device: seen with it, by its unit (MANAGE_DEVICES)
    and by whoever sees the patient it is lent to (VIEW)."""

    parent = "device"


class DeviceTransition(models.Model):
    """A change of a device's status: the device's history and the audit trail in one."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="transitions")
    old = models.CharField(_("from"), max_length=16, choices=DeviceStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=16, choices=DeviceStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("through"), max_length=200)
    at = models.DateTimeField(_("time"), default=timezone.now)

    objects = DeviceTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("device status change")
        verbose_name_plural = _("device status changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["device", "at"])]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.old or '∅'} → {self.new}"
