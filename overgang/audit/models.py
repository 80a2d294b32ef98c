from typing import Any, Self

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")


class ChangeRecord(models.Model):
    """One change to one object, with the old and new value of every field it touched."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("through"), max_length=200)
    model = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.model}#{self.object_id}"


# The actions of overgang.organisations.permissions, by name: the audit app imports no
# domain app.
AUDIT = "audit"
VIEW = "view"


class ReadPurpose(models.TextChoices):
    """Why a patient's record was read: stored as a key, shown in the reader's language."""

    PATIENT_PAGE = "patient-page", _("patient page")
    STAY = "stay", _("stay")
    DISCHARGE_REASONING = "discharge-reasoning", _("reasoning for discharge-ready")
    REQUISITION = "requisition", _("requisition")
    DECISION_LETTER = "decision-letter", _("decision letter")
    NAV_APPLICATION = "nav-application", _("NAV application")
    DISPUTE = "dispute", _("dispute")
    CONSUMABLES = "consumables", _("consumables")
    LOAN_SLIP = "loan-slip", _("loan slip")
    API = "api", _("API")
    LIST = "list", _("list or search")
    PATIENT_EDIT = "patient-edit", _("editing the patient")
    DEVICE = "device", _("device")
    LOAN = "loan", _("loan")
    RETURN = "return", _("return")
    SWAP = "swap", _("swap")
    APPEAL = "appeal", _("appeal")
    JOURNAL_NOTE = "journal-note", _("journal note")
    NEEDS = "needs", _("needs")
    MESSAGE = "message", _("message")
    ELECTRICAL_CHECK = "electrical-check", _("electrical check")
    FAILURE = "failure", _("failure report")
    EXPORT = "export", _("export")
    AUDIT = "audit", _("audit of the access log")


class PatientReadQuerySet(models.QuerySet["PatientRead"]):
    """The access log is read for auditing: a read is reached by whoever may audit its
    patient (the auditors, and the administrators, of the patient's side), whether the
    action is named AUDIT or VIEW. A clinician who sees the patient does not see who else
    read the record. Nobody changes the log: other actions are refused.

    Not a ScopedQuerySet (that is the patients app's), but the same path: the patients'
    own `restrict`, which also says that a superuser reaches every read."""

    def restrict(self, user: Any, action: str) -> Self:
        """Only the reads `user` may `action` (AUDIT or VIEW: both read the log)."""
        if action not in (AUDIT, VIEW):
            raise ValueError(f"the access log is only read: unknown action {action!r}")
        patients = apps.get_model("patients", "Patient")._default_manager
        return self.filter(patient__in=patients.restrict(user, AUDIT).values("pk"))


class PatientRead(models.Model):
    """Someone (a person, a command or a job) was shown who a patient is.

    One row per patient shown. A list or search that shows fifty patients writes fifty rows
    with one INSERT (`audit.history.log_reads`): the same `at`, channel, purpose and `what`.
    One row per patient, rather than one row carrying the list, keeps the auditor's question
    ("who saw this patient?") a plain indexed filter on `patient`, on SQLite and PostgreSQL
    alike, and lets a patient's deletion take their reads with it."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    # The reader is a constraint in the database: who read a record is what an auditor asks,
    # and no request may log a read for a user being deleted at that moment (Django's
    # PROTECT alone checks before it deletes, not while).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The patient is not (db_constraint=False); Django's CASCADE still takes a patient's
    # reads along when the patient is deleted, and the ids written are those of rows the
    # same request has just read. The constraint checked every row of every page against
    # the patients and locked each patient shown FOR KEY SHARE: with 16 connections
    # writing a page of 50 reads each, the log took about 1,150 pages a second with both
    # keys checked, 1,600 with only the reader's and 2,200 with neither. A read logged for
    # a patient deleted at that moment is a row no auditor reaches, as the patient's own
    # reads are gone with them.
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="reads",
        # The index on (patient, at) below serves every lookup by patient; a second one on
        # patient alone was one more index entry written for every patient of every list.
        db_index=False,
        db_constraint=False,
    )
    channel = models.CharField(_("through"), max_length=200)
    # Rows from before the keys may hold the English words; the page shows them as they are.
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, choices=ReadPurpose)
    # What was shown, in words of the data rather than of a language: "loan 12",
    # "GET /patients/?q=nordmann". Empty for the reads logged before it was kept.
    what = models.CharField(_("what"), max_length=300, blank=True)

    objects = PatientReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("record access")
        verbose_name_plural = _("record accesses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} read {self.patient_id}"
