from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language
from overgang.organisations.permissions import DECIDE
from overgang.patients.access import ScopedQuerySet, patient_scope, units_for
from overgang.requisitions.states import RequisitionStatus


class Route(models.TextChoices):
    # The two routes of U1 (001 Saksgang 1 and 2).
    INPATIENT = "inpatient", _("inpatient: the physician assesses during the stay")
    OUTPATIENT = "outpatient", _("outpatient: referred by the GP, assessed by the specialist")


class RequesterRole(models.TextChoices):
    # requester.role of the rules (U2).
    SPECIALIST = "specialist-physician", _("specialist physician")
    PRIVATE_SPECIALIST = (
        "private-specialist-with-agreement",
        _("private specialist with an agreement"),
    )
    GP = "gp", _("GP")
    SUPERVISING_DOCTOR = "supervising-doctor", _("supervising doctor")
    NURSING_HOME_DOCTOR = "nursing-home-doctor", _("nursing-home doctor")
    PHYSIOTHERAPIST = "physiotherapist", _("physiotherapist")
    LYMPHOEDEMA_PHYSIOTHERAPIST = (
        "lymphoedema-physiotherapist",
        _("physiotherapist registered for lymphoedema"),
    )


class Phase(models.TextChoices):
    # need.phase of the rules, as far as a requisition names it.
    INPATIENT = "inpatient", _("during the stay")
    OUTPATIENT = "outpatient", _("outpatient treatment")
    PALLIATIVE = "palliative", _("palliative care")
    AFTER_DISCHARGE = "after-discharge", _("after discharge")


class Lymphoedema(models.TextChoices):
    NONE = "", _("no lymphoedema")
    PRIMARY = "primary", _("primary lymphoedema")
    SECONDARY = "secondary", _("secondary lymphoedema")


class DeliveryPlan(models.TextChoices):
    # How a granted aid reaches the patient (001 Saksgang 1 and 2).
    AT_DISCHARGE = "at-discharge", _("handed out at discharge")
    SEND = "send", _("sent to the patient afterwards")
    HAND_OUT = "hand-out", _("handed out at once")


class RequisitionQuerySet(ScopedQuerySet["Requisition"]):
    """The unit a requisition is sent to decides it (DECIDE) and sees it; so does whoever
    may see the patient."""

    def scope(self, user: Any, action: str) -> Q:
        mine = Q(unit__in=units_for(user, DECIDE))
        if action == DECIDE:
            return mine
        return mine | patient_scope(user, action, prefix="patient__")


class Requisition(models.Model):
    """A physician (or another requester the agreement allows, U2) asks the treatment-aids
    unit for a treatment aid for one patient; the unit assesses, grants or refuses (U1).
    Granting is health care: recorded in the record by the responsible physician, and the
    patient may appeal (U3)."""

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="requisitions",
    )
    route = models.CharField(_("route"), max_length=12, choices=Route.choices)
    stay = models.ForeignKey(
        "stays.Stay",
        verbose_name=_("stay"),
        on_delete=models.PROTECT,
        related_name="requisitions",
        null=True,
        blank=True,
    )
    need = models.ForeignKey(
        "stays.Need",
        verbose_name=_("need"),
        on_delete=models.SET_NULL,
        related_name="requisitions",
        null=True,
        blank=True,
    )
    aid_type = models.ForeignKey(
        "aids.AidType", verbose_name=_("treatment aid"), on_delete=models.PROTECT, related_name="+"
    )
    justification = models.TextField(_("clinical justification"))
    phase = models.CharField(_("phase of treatment"), max_length=16, choices=Phase.choices)
    lymphoedema = models.CharField(
        _("lymphoedema"), max_length=10, choices=Lymphoedema.choices, blank=True
    )
    requester_name = models.CharField(_("requested by"), max_length=120)
    requester_role = models.CharField(
        _("requester's role"), max_length=40, choices=RequesterRole.choices
    )
    department = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    referred_by = models.CharField(_("referred by (GP)"), max_length=120, blank=True)
    referred_on = models.DateField(_("referral date"), null=True, blank=True)
    conferred_with = models.CharField(
        _("conferred with (specialist service)"), max_length=160, blank=True
    )
    conferred_at = models.DateTimeField(_("conference"), null=True, blank=True)
    # What the agreement said about the requester (U2), in its words and citations.
    agreement = models.CharField(_("agreement"), max_length=40)
    country = models.CharField(_("country"), max_length=2)
    time_zone = models.CharField(_("time zone"), max_length=40)
    rule = models.CharField(_("rule"), max_length=80)
    reasons = models.JSONField(_("reason"), default=dict, help_text=_("nb, da, en."))
    cites = models.JSONField(_("citations"), default=list)
    # Where a refusal is appealed and the legal basis of the decision (U3), as the agreement
    # (or the law of the country) says: body, basis, decision_basis, cites.
    appeal_route = models.JSONField(_("appeal route"), default=dict)
    unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("treatment-aids unit"),
        on_delete=models.PROTECT,
        related_name="requisitions",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequisitionStatus.choices,
        default=RequisitionStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("received"), default=timezone.now)
    assessment = models.TextField(_("assessment"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=12, choices=DeliveryPlan.choices, blank=True
    )
    deliver_by = models.DateField(_("deliver by"), null=True, blank=True)
    device = models.ForeignKey(
        "aids.Device",
        verbose_name=_("reserved device"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    loan = models.ForeignKey(
        "aids.Loan",
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("reopened after appeal"), default=0)

    objects = RequisitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["submitted_at", "id"]
        indexes = [
            # The unit's two worklists: to assess (oldest first), to deliver (by date).
            models.Index(fields=["unit", "status", "submitted_at"], name="requisition_queue"),
            models.Index(
                fields=["unit", "deliver_by"],
                condition=Q(status=RequisitionStatus.GRANTED),
                name="requisition_to_deliver",
            ),
        ]
        constraints = [
            # A device is reserved for one granted requisition at a time.
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(status=RequisitionStatus.GRANTED),
                name="one_reservation_per_device",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.aid_type} ({self.get_status_display()})"

    @property
    def reason(self) -> str:
        """The agreement's words on the requester, in the reader's language."""
        return reason_in(self.reasons, current_language("nb"))

    @property
    def decided(self) -> bool:
        return self.decided_at is not None


def reason_in(reasons: dict[str, Any], language: str) -> str:
    """Requisition.reason from the stored reasons, for readers of the column alone."""
    return str(reasons.get(language) or reasons.get("en", ""))
