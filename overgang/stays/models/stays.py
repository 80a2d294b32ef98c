from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import (
    ParentLinkedQuerySet,
    ScopedQuerySet,
    municipal_scope,
    scope_parts,
)
from overgang.rules.checklists import Checklists
from overgang.rules.clock import day_at
from overgang.rules.registry import agreement_by_id
from overgang.stays.states import StayStatus


class Admission(models.TextChoices):
    PLANNED = "planned", _("planned")
    EMERGENCY = "emergency", _("emergency")
    # Not a stay in hospital: an outpatient episode (day treatment, outpatient consultation,
    # ambulant treatment) has no inpatient deadlines and no discharge checklist (R11, U1).
    OUTPATIENT = "outpatient", _("outpatient episode")


class CareType(models.TextChoices):
    """The care the patient is admitted for: the law's conditions of discharge-ready differ
    (§ 9: mental health care and TSB add points, and a psychologist may decide)."""

    SOMATIC = "somatic", _("somatic care")
    MENTAL_HEALTH = "mental-health", _("mental health care")
    TSB = "tsb", _("substance-abuse treatment (TSB)")


class IndividualPlan(models.TextChoices):
    NOT_NEEDED = "not-needed", _("not needed")
    REQUESTED = "requested", _("reported to the coordinating unit")
    EXISTS = "exists", _("exists")


class StayQuerySet(ScopedQuerySet["Stay"]):
    """A stay is reached by its hospital's trust (or Danish region) and by the patient's
    municipality or district, by the stay's own copy of the address; nobody else, not
    even a hospital that serves the patient's address."""

    def scope(self, user: Any, action: str) -> Q:
        parts = scope_parts(user, action)
        scope = municipal_scope(parts)
        if parts.hospitals:
            scope |= Q(trust__in=sorted(parts.hospitals))
        return scope


_M = TypeVar("_M", bound=models.Model)


class StayLinkedQuerySet(ParentLinkedQuerySet[_M]):
    """What belongs to a stay (its messages, events, needs, trainings) is reached with the
    stay, for the same action."""

    parent = "stay"


class Stay(models.Model):
    """One patient's stay at one hospital, from admission to discharge: the shared timeline
    the hospital and the municipality work from."""

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="stays",
    )
    # The patient's municipality and district, as the patient's own (patients.actions keeps
    # them in step): who sees the stay on the municipal side. A copy, so that a
    # municipality's figures count its stays by an index of their own instead of joining
    # every open stay to its patient.
    municipality = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="municipal_stays",
        db_index=False,
    )
    district = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="district_stays",
        null=True,
        blank=True,
        db_index=False,
    )
    # The trust (or Danish region) the hospital belongs to: who sees the stay.
    trust = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("health trust"),
        on_delete=models.PROTECT,
        related_name="trust_stays",
    )
    hospital = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="stays",
    )
    department = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="department_stays",
        null=True,
        blank=True,
    )
    admission = models.CharField(_("admission"), max_length=12, choices=Admission.choices)
    admitted_at = models.DateTimeField(_("admitted"))
    care = models.CharField(
        _("care"), max_length=16, choices=CareType.choices, default=CareType.SOMATIC
    )
    expected_stay_hours = models.PositiveIntegerField(_("expected length (hours)"), null=True)
    expected_discharge = models.DateTimeField(_("expected discharge"), null=True, blank=True)
    # The agreement of the patient's municipality when admitted: its rules and its clock.
    agreement = models.CharField(_("agreement"), max_length=40)
    country = models.CharField(_("country"), max_length=2)
    time_zone = models.CharField(_("time zone"), max_length=40)
    status = models.CharField(
        _("status"), max_length=28, choices=StayStatus.choices, default=StayStatus.ADMITTED
    )

    # R3: the § 9 items a physician has documented, by item key; and an override.
    documented = models.JSONField(_("documented by the physician"), default=list, blank=True)
    override_reason = models.TextField(_("reason for declaring despite open items"), blank=True)
    discharge_ready_at = models.DateTimeField(_("discharge-ready"), null=True, blank=True)
    discharge_ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared discharge-ready by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # R9 (forskrift § 14): what the physician wrote for each documented § 9 item, by item
    # key: the reasoning the municipality may demand is text, not only ticks.
    documented_texts = models.JSONField(
        _("what the physician documented, per item"), default=dict, blank=True
    )
    # R4/R5: when the notice went, and what the rules say of it.
    notified_at = models.DateTimeField(_("municipality notified"), null=True, blank=True)
    in_notice_window = models.BooleanField(_("notice within 08–15 on a working day"), null=True)
    same_day_expected = models.BooleanField(_("same-day reception expected"), null=True)
    # R5: the municipality's answer.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    can_receive = models.BooleanField(_("can receive the patient"), null=True)
    receive_at = models.DateTimeField(_("can receive from"), null=True, blank=True)
    service = models.CharField(_("service after discharge"), max_length=200, blank=True)
    needs_from_hospital = models.TextField(_("medicines and equipment needed"), blank=True)
    # R6: the departure items done, by item key; R7: what goes with a same-day departure.
    prepared = models.JSONField(_("prepared for departure"), default=list, blank=True)
    departure_ready_at = models.DateTimeField(_("ready to leave"), null=True, blank=True)
    supplies_until = models.DateField(_("medicines and equipment until"), null=True, blank=True)
    # How it ended; R8: the exceptions with what made them acceptable.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    exit_note = models.TextField(_("note on the departure"), blank=True)
    force_majeure = models.TextField(_("force majeure"), blank=True)
    # Why the hospital let the patient go before the time the municipality answered it can
    # receive them (the municipality is shown it).
    early_reason = models.TextField(
        _("reason for leaving before the municipality can receive"), blank=True
    )

    # R10: relatives who need support and minor children as relatives, assessed and
    # documented; coordinated services.
    relatives_assessed_at = models.DateTimeField(_("relatives assessed"), null=True, blank=True)
    relatives_need_support = models.BooleanField(_("relatives need support"), null=True)
    minor_children = models.BooleanField(_("minor children as relatives"), null=True)
    relatives_note = models.TextField(_("what is done for the relatives"), blank=True)
    individual_plan = models.CharField(
        _("individual plan"), max_length=12, choices=IndividualPlan.choices, blank=True
    )
    coordinator = models.CharField(_("coordinator"), max_length=200, blank=True)
    # R10: the hospital reports the need of a municipal coordinator to the coordinating unit.
    coordinator_needed = models.BooleanField(_("needs a coordinator"), default=False)
    responsibility_group = models.BooleanField(_("responsibility group"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["-admitted_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "admitted_at"], name="stay_patient"),
            # A municipality's or district's stays, and how many are open and waiting.
            models.Index(fields=["municipality", "status"], name="stay_municipality"),
            models.Index(
                fields=["district", "status"],
                name="stay_district",
                condition=Q(district__isnull=False),
            ),
            models.Index(
                fields=["hospital", "admitted_at"],
                name="stay_open_hospital",
                condition=Q(ended_at__isnull=True),
            ),
            # The open stays, newest admission first (the stays list's order): without it
            # the list sorted every open stay to answer its first page.
            models.Index(
                fields=["-admitted_at", "-id"],
                name="stay_open_newest",
                condition=Q(ended_at__isnull=True),
            ),
        ]
        constraints = [
            # One open stay per patient: a patient is in one hospital at a time.
            models.UniqueConstraint(
                fields=["patient"], condition=Q(ended_at__isnull=True), name="one_open_stay"
            )
        ]

    def __str__(self) -> str:
        # As people write it (the admin's lists); choice lists say more, translated:
        # overgang.web.common.labels.stay_label.
        day = day_at(self.admitted_at, self.time_zone)
        return f"{self.patient} – {self.hospital}, {day:%d.%m.%Y}"

    @cached_property
    def checklists(self) -> Checklists:
        """What the stay's agreement (the version in force at admission) and its country's
        law make conditions of discharge-ready and of departure."""
        agreement = agreement_by_id(self.agreement, on=day_at(self.admitted_at, self.time_zone))
        return agreement.checklists

    @property
    def is_outpatient(self) -> bool:
        """An outpatient episode, not an inpatient stay (see `overgang.stays.episodes`)."""
        return self.admission == Admission.OUTPATIENT

    @property
    def is_open(self) -> bool:
        return self.status not in StayStatus.ENDED
