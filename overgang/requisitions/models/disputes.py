from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import PatientLinkedQuerySet
from overgang.requisitions.states import DisputeStatus


class Question(models.TextChoices):
    WHO_PAYS = "who-pays", _("who pays")
    WHO_DELIVERS = "who-delivers", _("who delivers")


class Party(models.TextChoices):
    HOSPITAL = "hospital", _("the hospital (region)")
    MUNICIPALITY = "municipality", _("the municipality")


class Level(models.TextChoices):
    # Lowest first (003 8, 003 5.1).
    LOWEST = "lowest", _("the hospital department's management and the municipal allocation")
    CONTACT_COMMITTEE = "contact-committee", _("the hospital's contact committee")
    NETWORK_GROUP = "network-group", _("the network group for aids and treatment aids")


LEVELS = tuple(Level.values)


class Payer(models.TextChoices):
    HOSPITAL = "hospital", _("the hospital (region) pays")
    MUNICIPALITY = "municipality", _("the municipality pays")
    SHARED = "shared", _("the cost is shared")


class DisputeQuerySet(PatientLinkedQuerySet["Dispute"]):
    """Reached with its patient."""


class Dispute(models.Model):
    """The hospital and the municipality disagree on who pays for, or delivers, an aid a
    citizen needs (N13, 003 8). The doubt never harms the citizen: the party closest to them
    delivers at once, and payment is settled afterwards at the lowest level possible."""

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    aid_type = models.ForeignKey(
        "aids.AidType", verbose_name=_("aid"), on_delete=models.PROTECT, related_name="+"
    )
    requisition = models.ForeignKey(
        "requisitions.Requisition",
        verbose_name=_("requisition"),
        on_delete=models.SET_NULL,
        related_name="disputes",
        null=True,
        blank=True,
    )
    question = models.CharField(_("disagreement about"), max_length=16, choices=Question.choices)
    description = models.TextField(_("the disagreement"))
    hospital = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("hospital department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipal allocation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreement = models.CharField(_("agreement"), max_length=40)
    closest = models.CharField(_("delivers at once"), max_length=16, choices=Party.choices)
    closest_reasons = models.JSONField(_("why"), default=dict)
    cites = models.JSONField(_("citations"), default=list)
    delivered_on = models.DateField(_("delivered to the citizen"), null=True, blank=True)
    delivery_note = models.CharField(_("what was delivered"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.LOWEST)
    status = models.CharField(
        _("status"), max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    escalation_note = models.TextField(_("why it was escalated"), blank=True)
    payer = models.CharField(_("outcome"), max_length=16, choices=Payer.choices, blank=True)
    settlement = models.TextField(_("settlement"), blank=True)
    settled_on = models.DateField(_("settled"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["status", "raised_at"], name="dispute_open")]

    def __str__(self) -> str:
        return f"{self.pk}: {self.get_question_display()} ({self.get_status_display()})"
