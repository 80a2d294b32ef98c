"""The per-patient home-ventilation (LTMV) agreement (O11, Oslo's 000 10.0).

The trust initiates it on a stay where the patient needs a home ventilator; the
municipality (or the district, in Oslo) completes it; both sign. Each change after both
signed makes a new draft version: signed versions are kept as they were signed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import ParentLinkedQuerySet


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed by both")


class VentilationAgreementQuerySet(ParentLinkedQuerySet["VentilationAgreement"]):
    """Reached with its stay: the trust and the patient's municipality or district."""

    parent = "stay"


class VentilationAgreement(models.Model):
    stay = models.ForeignKey(
        "stays.Stay",
        verbose_name=_("stay"),
        on_delete=models.CASCADE,
        related_name="ventilation_agreements",
    )
    # The stay's patient, copied so the patient's page finds the agreement in one query.
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="ventilation_agreements",
    )
    agreement = models.CharField(_("agreement"), max_length=40)
    hospital = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The municipality, or the district where the municipality has districts (Oslo).
    municipality = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipality or district"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted"))

    objects = VentilationAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("home-ventilation agreement")
        ordering = ("id",)

    def __str__(self) -> str:
        return f"LTMV {self.pk}"

    @property
    def current(self) -> AgreementVersion:
        found = self.versions.order_by("-number").first()
        assert found is not None, "an agreement is created with its first version"
        return found


class AgreementVersionQuerySet(ParentLinkedQuerySet["AgreementVersion"]):
    parent = "ventilation"


class AgreementVersion(models.Model):
    """One version of the agreement. A draft changes; once both sides sign it is locked."""

    ventilation = models.ForeignKey(
        VentilationAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=8, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    assessment_date = models.DateField(_("interdisciplinary assessment"), null=True, blank=True)
    # [{"name", "role", "organisation"}]
    participants = models.JSONField(_("participants"), default=list, blank=True)
    # [{"duty", "rules_party", "party", "reason", "cites"}]: the rules' answer and the
    # party agreed, with the reason where they differ.
    responsibilities = models.JSONField(_("responsibilities"), default=list, blank=True)
    staffing_plan = models.TextField(_("staffing plan"), blank=True)
    # [{"trainer", "trainees", "by"}]: who trains whom by when (ISO date).
    training = models.JSONField(_("training plan"), default=list, blank=True)
    follow_up_days = models.JSONField(_("follow-up, days after discharge"), default=list)
    hospital_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    hospital_signed_at = models.DateTimeField(_("signed for the hospital"), null=True)
    municipality_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    municipality_signed_at = models.DateTimeField(_("signed for the municipality"), null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement version")
        constraints = [
            models.UniqueConstraint(
                fields=["ventilation", "number"], name="ventilation_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"LTMV {self.ventilation_id} v{self.number}"

    @property
    def locked(self) -> bool:
        return self.status == VersionStatus.SIGNED
