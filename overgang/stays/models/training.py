"""What a training leaves behind, and the municipality's own staff training (O10, N7).

A training's written procedures (a nutrition plan, a cleaning routine) are documents the
patient takes home: a PDF uploaded, or one printed from a form. The municipality's sessions
where its staff are trained on an aid are recorded outside any stay: they are the staff's
competence, not one patient's. Where the agreement gives that training to the hospital
(000 9.0/9.2, 001 Ansvar, 003 3.2), the hospital records the sessions it gave, for the
municipal units it serves."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from overgang import clock
from overgang.audit.history import is_system
from overgang.organisations import access_cache
from overgang.organisations.models import MUNICIPAL_SIDE, Kind, Organisation
from overgang.organisations.permissions import CHANGE, VIEW, is_unrestricted, memberships_for
from overgang.patients.access import ParentLinkedQuerySet, ScopedQuerySet
from overgang.rules.registry import all_agreements, hospital_trains_staff, trains_staff_in


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


def municipal_training_units(user: Any) -> models.QuerySet[Organisation]:
    """The municipal units whose staff training the user records as the municipality: every
    unit of the municipalities they change things in (a district's office records for the
    district's home nursing); for a superuser or the system, every municipal unit."""
    units = Organisation.objects.filter(kind__in=MUNICIPAL_SIDE).order_by("name")
    if is_unrestricted(user) or is_system(user):
        return units
    mine = municipalities_of(user, CHANGE)
    return units.filter(
        Q(pk__in=mine)
        | Q(parent__in=mine)
        | Q(parent__parent__in=mine)
        | Q(parent__parent__parent__in=mine)
    )


def hospital_of(organisation: Organisation) -> Organisation | None:
    """The trust (or, in Denmark, the region) a hospital-side unit belongs to: the party the
    agreements name."""
    if not organisation.is_hospital_side:
        return None
    return organisation.nearest(Kind.TRUST) or organisation.nearest(Kind.REGION)


def trainers_of(user: Any, action: str) -> list[Organisation]:
    """The user's hospital-side units (for `action`) whose trust or region trains municipal
    staff under some agreement in force: the ones that may give and record a session."""
    training = {
        hospital.key
        for agreement in all_agreements()
        if agreement.in_force(clock.today()) and hospital_trains_staff(agreement)
        for hospital in (agreement.hospital, *(e.hospital for e in agreement.exceptions))
    }
    found = []
    for membership in memberships_for(user, action):
        owner = hospital_of(membership.organisation)
        if owner is not None and owner.key in training:
            found.append(membership.organisation)
    return found


def _trains(trainer: Organisation, unit: Organisation) -> bool:
    owner = hospital_of(trainer)
    municipality = unit.nearest(Kind.MUNICIPALITY)
    if owner is None or municipality is None:
        return False
    district = unit.nearest(Kind.DISTRICT)
    return trains_staff_in(
        owner.key,
        municipality.number,
        district.short_name if district is not None else None,
        on=clock.today(),
    )


def served_training_units(user: Any) -> list[int]:
    """The municipal units whose staff the user's hospital trains: those of the municipalities
    (and districts) its agreement gives it, where the agreement gives it staff training."""
    trainers = trainers_of(user, CHANGE)
    if not trainers:
        return []
    register = access_cache.current_register()
    return sorted(
        unit.pk
        for unit in register.by_id.values()
        if unit.is_municipal_side and any(_trains(t, unit) for t in trainers)
    )


def staff_training_units(user: Any) -> models.QuerySet[Organisation]:
    """Every municipal unit whose staff training the user may record: as the municipality,
    or as the hospital that trained them."""
    served = served_training_units(user)
    units = municipal_training_units(user)
    if not served:
        return units
    return (units | Organisation.objects.filter(kind__in=MUNICIPAL_SIDE, pk__in=served)).order_by(
        "name"
    )


def giver_for(user: Any, unit: Organisation) -> Organisation | None:
    """The hospital-side unit a session of `unit`'s staff is recorded as given by: the
    user's own unit whose hospital trains there. None where the user records it as the
    municipality (the trainer is then only named in words)."""
    if municipal_training_units(user).filter(pk=unit.pk).exists():
        return None
    return next((t for t in trainers_of(user, CHANGE) if _trains(t, unit)), None)


def given_by_mine(user: Any, action: str) -> list[int]:
    """Every organisation of the trusts and regions the user works for (`action`): a session
    given by any of them is the hospital's own."""
    owners = {
        owner.pk
        for membership in memberships_for(user, action)
        if (owner := hospital_of(membership.organisation)) is not None
    }
    if not owners:
        return []
    children = access_cache.organisation_children(access_cache.stamp_read_by(user))
    found: set[int] = set()
    todo = list(owners)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return sorted(found)


def may_see_staff_training(user: Any) -> bool:
    """Whether the staff-training page has anything for the user: they work in a municipality,
    or for a hospital that trains municipal staff (the menu shows it only then)."""
    return (
        is_unrestricted(user)
        or bool(municipalities_of(user, VIEW))
        or bool(trainers_of(user, VIEW))
    )


class StaffTrainingQuerySet(ScopedQuerySet["StaffTraining"]):
    """A session is seen in its municipality: by everyone who works there (the staff who
    were trained move between its units); and by the trust or region that gave it. No one
    else sees it."""

    def scope(self, user: Any, action: str) -> Q:
        return Q(municipality__in=municipalities_of(user, action)) | Q(
            given_by__in=given_by_mine(user, action)
        )


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
    # The hospital-side unit that gave the training, when the hospital recorded it (its
    # trust or region sees the session); empty where the municipality recorded it.
    given_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
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

    @property
    def giver(self) -> str:
        """Who gave the training, as the municipality reads it: the hospital unit with its
        trust or region ("Lungemedisinsk avdeling" alone says not which hospital)."""
        if self.given_by is None:
            return ""
        owner = hospital_of(self.given_by)
        if owner is None or owner.pk == self.given_by.pk:
            return self.given_by.name
        return f"{self.given_by.name}, {owner.name}"
