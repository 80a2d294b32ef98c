from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.aids.models.catalogue import AidType, UserManual
from overgang.aids.models.devices import Device
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW
from overgang.patients.access import ScopedQuerySet, patient_scope, units_for


class Placement(models.TextChoices):
    HOME = "home", _("at home")
    INSTITUTION = "institution", _("in an institution")


class Delivery(models.TextChoices):
    # As a rule the citizen fetches and returns the aid (N8).
    FETCHED = "fetched", _("fetched by the patient or a relative")
    HANDED_OUT = "handed-out", _("handed out at the hospital (at discharge)")
    DELIVERED = "delivered", _("delivered and installed by the unit")
    SENT = "sent", _("sent to the patient")


class LoanRole(models.TextChoices):
    MAIN = "main", _("the aid")
    SECOND_UNIT = "second-unit", _("second unit (life-sustaining)")
    PART = "part", _("part of the therapy")


class LoanQuerySet(ScopedQuerySet["Loan"]):
    """The unit that owns the device manages its loans (returns and completes them) and
    sees them; whoever may see the patient sees the patient's loans."""

    def scope(self, user: Any, action: str) -> Q:
        mine = Q(device__owner__in=units_for(user, MANAGE_DEVICES))
        if action == MANAGE_DEVICES:
            return mine
        theirs = patient_scope(user, action, prefix="patient__")
        return mine | theirs if action == VIEW else theirs

    def active(self) -> "LoanQuerySet":
        return self.filter(returned_at__isnull=True)


class Loan(models.Model):
    """One device lent to one patient. While `returned_at` is empty the loan is active.

    Devices lent together form a set around one main loan: the second unit of a
    life-sustaining aid (O5) and the parts of a therapy such as long-term oxygen
    (concentrator and portable cylinders) point to it with `main`."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="loans"
    )
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    main = models.ForeignKey(
        "self",
        verbose_name=_("lent with"),
        on_delete=models.PROTECT,
        related_name="companions",
        null=True,
        blank=True,
    )
    role = models.CharField(
        _("lent as"), max_length=12, choices=LoanRole.choices, default=LoanRole.MAIN
    )
    therapy = models.ForeignKey(
        AidType,
        verbose_name=_("therapy"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The therapy the set is lent for, such as long-term oxygen."),
    )
    purpose = models.CharField(_("purpose"), max_length=32, blank=True)
    placement = models.CharField(
        _("placed"), max_length=12, choices=Placement.choices, default=Placement.HOME
    )
    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    address = models.CharField(_("where the device is"), max_length=200, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.FETCHED
    )
    started_at = models.DateTimeField(_("lent"), default=timezone.now)
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    manual_handed_over = models.BooleanField(_("user manual handed over"), default=False)
    manual = models.ForeignKey(
        UserManual,
        verbose_name=_("user manual"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    instruction_given = models.BooleanField(_("instruction given"), default=False)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-started_at", "-id"]
        indexes = [
            # Overdue active loans, found from the index alone (depot overview, N11).
            models.Index(
                fields=["device", "expected_end"],
                condition=Q(returned_at__isnull=True),
                name="loan_active_end",
            )
        ]
        constraints = [
            # One patient per unit at a time (O7): the database keeps it, whatever races.
            models.UniqueConstraint(
                fields=["device"], condition=Q(returned_at__isnull=True), name="one_active_loan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.device} → {self.patient_id}"

    @property
    def active(self) -> bool:
        return self.returned_at is None
