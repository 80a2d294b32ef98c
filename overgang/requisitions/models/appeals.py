from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import ScopedQuerySet
from overgang.requisitions.models.requisitions import Requisition
from overgang.requisitions.states import AppealStatus


class Appellant(models.TextChoices):
    PATIENT = "patient", _("the patient")
    RELATIVE = "relative", _("a relative")
    GUARDIAN = "guardian", _("a guardian")
    REPRESENTATIVE = "representative", _("another representative")


class AppealQuerySet(ScopedQuerySet["Appeal"]):
    """An appeal goes with its requisition."""

    def scope(self, user: Any, action: str) -> Q:
        return Q(requisition__in=Requisition.objects.within(user, action))


class Appeal(models.Model):
    """The patient (or someone for them) appeals a refusal (U3): the unit receives it, may
    reverse its own decision, or forwards it to the appeal body, whose outcome is recorded.
    An upheld appeal puts the requisition back in the unit's queue."""

    requisition = models.ForeignKey(
        "requisitions.Requisition",
        verbose_name=_("requisition"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    appellant = models.CharField(_("appeal from"), max_length=16, choices=Appellant.choices)
    appellant_name = models.CharField(_("name"), max_length=120, blank=True)
    grounds = models.TextField(_("grounds"))
    received_on = models.DateField(_("received"))
    body = models.CharField(_("appeal body"), max_length=120)
    status = models.CharField(
        _("status"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.RECEIVED
    )
    forwarded_on = models.DateField(_("forwarded"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    decided_on = models.DateField(_("outcome received"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["registered_at", "id"]
        constraints = [
            # One open appeal per requisition, whatever races.
            models.UniqueConstraint(
                fields=["requisition"],
                condition=Q(status__in=sorted(AppealStatus.OPEN)),
                name="one_open_appeal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requisition_id}: {self.get_status_display()}"
