"""An agreement version revised in the app: the whole new version as agreement-file TOML
(the format of record), with who proposed and who approved it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REFUSED = "refused", _("refused")


# A draft or a proposal can still change course; the others are final.
OPEN = (Status.DRAFT, Status.PROPOSED)


class AgreementVersion(models.Model):
    agreement = models.CharField(_("agreement"), max_length=40, db_index=True)
    version = models.CharField(_("version"), max_length=40)
    based_on = models.CharField(_("based on version"), max_length=40)
    valid_from = models.DateField(_("effective date"))
    text = models.TextField(_("agreement file"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "version"],
                condition=models.Q(status__in=["draft", "proposed", "approved"]),
                name="revisions_one_open_version_label",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.version}"
