"""What a training leaves behind, and the municipality's own staff training (O10, N7).

A training's written procedures (a nutrition plan, a cleaning routine) are documents the
patient takes home: a PDF uploaded, or one printed from a form. The municipality's sessions
where its staff are trained on an aid are recorded outside any stay: they are the staff's
competence, not one patient's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from overgang.organisations.models import MUNICIPAL_SIDE, Kind, Organisation
from overgang.organisations.permissions import CHANGE, is_unrestricted, memberships_for
from overgang.patients.access import ParentLinkedQuerySet, ScopedQuerySet


class ProcedureSource(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    GENERATED = "generated", _("written here")


class ProcedureDocumentQuerySet(ParentLinkedQuerySet["ProcedureDocument"]):
    """A procedure is reached with its training, and so with the stay."""

    parent = "training"


class ProcedureDocument(models.Model):
    """A written procedure handed out with a training (000 9.1: "skriftlige prosedyrer
    (eventuelt også ernæringsplan)"), kept as the PDF that was given."""

    training = models.ForeignKey(
        "stays.Training",
        verbose_name=_("training"),
        on_delete=models.CASCADE,
        related_name="procedures",
    )
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=ProcedureSource.choices)
    # What a generated procedure says, step by step (empty for an upload).
    steps = models.JSONField(_("steps"), default=list, blank=True)
    content = models.BinaryField(_("file"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"))

    objects = ProcedureDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("written procedure")
        verbose_name_plural = _("written procedures")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title


def municipalities_of(user: Any, action: str) -> list[int]:
    """The municipalities the user works in for `action`: those of their memberships'
    organisations (a district's office is in its municipality)."""
    found = set()
    for membership in memberships_for(user, action):
        municipality = membership.organisation.nearest(Kind.MUNICIPALITY)
        if municipality is not None:
            found.add(municipality.pk)
    return sorted(found)


def staff_training_units(user: Any) -> models.QuerySet[Organisation]:
    """The municipal units whose staff training the user may record: every unit of the
    municipalities they change things in (a district's office records for the district's
    home nursing); for a superuser, every municipal unit."""
    units = Organisation.objects.filter(kind__in=MUNICIPAL_SIDE).order_by("name")
    if is_unrestricted(user):
        return units
    mine = municipalities_of(user, CHANGE)
    return units.filter(
        Q(pk__in=mine)
        | Q(parent__in=mine)
        | Q(parent__parent__in=mine)
        | Q(parent__parent__parent__in=mine)
    )


class StaffTrainingQuerySet(ScopedQuerySet["StaffTraining"]):
    """A session is seen in its municipality: by everyone who works there (the staff who
    were trained move between its units), and by no one else."""

    def scope(self, user: Any, action: str) -> Q:
        return Q(municipality__in=municipalities_of(user, action))


class StaffTraining(models.Model):
    """A session where a municipality's staff were trained on an aid (O10 000 9.0, 9.2;
    N7 003 3.2): who, by whom, on what, and what was covered."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The unit's municipality: who sees the session.
    municipality = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    aid_type = models.ForeignKey(
        "aids.AidType", verbose_name=_("aid"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trained by"), max_length=200)
    # [{"name": ..., "role": ...}]: the staff who took part.
    staff = models.JSONField(_("staff trained"), default=list)
    covered = models.TextField(_("what was covered"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))

    objects = StaffTrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff training")
        verbose_name_plural = _("staff trainings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.aid_type} {self.held_on:%Y-%m-%d}"
