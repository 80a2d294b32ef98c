from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.aids.models.devices import Device
from overgang.audit.access import patient_scope


class Placement(models.TextChoices):
    HOME = "home", _("at home")
    INSTITUTION = "institution", _("in an institution")


class LoanQuerySet(models.QuerySet["Loan"]):
    def restrict(self, user: object, action: str) -> "LoanQuerySet":
        """Loans of the patients `user` may `action` (see overgang.audit.access)."""
        scope = patient_scope(user, action, prefix="patient__")
        return self if scope is None else self.filter(scope)


class Loan(models.Model):
    """One device lent to one patient. While `returned_at` is empty the loan is active."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="loans"
    )
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    placement = models.CharField(
        _("placed"), max_length=12, choices=Placement.choices, default=Placement.HOME
    )
    started_at = models.DateTimeField(_("lent"), default=timezone.now)
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    manual_handed_over = models.BooleanField(_("user manual handed over"), default=False)
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
