from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language
from overgang.patients.access import PatientLinkedQuerySet
from overgang.requisitions.models.requisitions import reason_in


class StartedBy(models.TextChoices):
    # need.started_by of the rules: who started the treatment the equipment is for.
    SPECIALIST = "specialist", _("the specialist health service (hospital)")
    NURSING_HOME_DOCTOR = "nursing-home-doctor", _("the nursing-home doctor")
    SUPERVISING_DOCTOR = "supervising-doctor", _("the supervising doctor")
    EMERGENCY_DOCTOR = "emergency-doctor", _("the emergency doctor")
    GP = "gp", _("the GP")


class SwapStatus(models.TextChoices):
    TO_SWAP = "to-swap", _("to be swapped")
    SWAPPED = "swapped", _("swapped")
    NO_SWAP = "no-swap", _("no swap")
    NOT_COVERED = "not-covered", _("the agreement does not say")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_SWAPS = (SwapStatus.TO_SWAP,)


class SwapReportQuerySet(PatientLinkedQuerySet["SwapReport"]):
    """Reached with its patient."""


class SwapReport(models.Model):
    """An institution reports a resident who uses the institution's equipment for treatment
    started in specialist care (O3, 000 3.1), with the documentation of that start. The
    agreement decides whether the hospital's equipment replaces it; not where a swap burdens
    the patient, as in the terminal phase."""

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="swap_reports",
    )
    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    aid_type = models.ForeignKey(
        "aids.AidType", verbose_name=_("equipment"), on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.CharField(
        _("treatment started by"), max_length=24, choices=StartedBy.choices
    )
    documentation = models.TextField(
        _("documentation of the start"),
        blank=True,
        help_text=_("Which document shows that the hospital started the treatment, and when."),
    )
    terminal = models.BooleanField(_("in the terminal phase"), default=False)
    swap = models.BooleanField(_("swap"), null=True, blank=True)
    reasons = models.JSONField(
        _("reason"), default=dict, blank=True, help_text=_("The agreement's words: nb, da, en.")
    )
    cites = models.JSONField(_("citations"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SwapStatus.choices)
    loan = models.ForeignKey(
        "aids.Loan",
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = SwapReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("swap report")
        verbose_name_plural = _("swap reports")
        ordering = ["reported_at", "id"]
        indexes = [models.Index(fields=["status", "reported_at"], name="swap_worklist")]
        constraints = [
            # One open report per resident and kind of equipment, whatever races.
            models.UniqueConstraint(
                fields=["patient", "aid_type"],
                condition=Q(status__in=OPEN_SWAPS),
                name="one_open_swap",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.aid_type} ({self.get_status_display()})"

    @property
    def reason(self) -> str:
        """The agreement's reason in the reader's language."""
        return reason_in(self.reasons, current_language("nb"))
