from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import ParentLinkedQuerySet, ScopedQuerySet, organisations_under


class NotificationKind(models.TextChoices):
    SOON = "soon", _("due soon")
    DUE = "due", _("due now")
    EVENT = "event", _("event")


class News(models.TextChoices):
    """What the other side did, told to an organisation (an event notification). The words
    name the step, never the patient's health: they go out by e-mail too."""

    ANSWERED = "answered", _("The municipality answered the discharge-ready notice")
    REQUISITION_DECIDED = "requisition-decided", _("A requisition was decided")
    NAV_DECIDED = "nav-decided", _("NAV decided an application")
    DISCHARGED = "discharged", _("A patient was discharged")
    SUPPLEMENTARY_ASKED = (
        "supplementary-asked",
        _("The hospital asks for supplementary information"),
    )
    DUTY_DONE = "duty-done", _("The other side marked a duty done")
    PLANNED_ARRIVED = "planned-arrived", _("A patient of a planned admission has arrived")
    PLANNED_CANCELLED = "planned-cancelled", _("A planned admission was cancelled")
    PLANNED_MOVED = "planned-moved", _("A planned admission moved to another time")
    WAITING_DAYS_OBJECTED = (
        "waiting-days-objected",
        _("The municipality objects to waiting days"),
    )
    OBJECTION_ANSWERED = (
        "objection-answered",
        _("The hospital answered an objection to waiting days"),
    )
    VENTILATION_CHANGED = (
        "ventilation-changed",
        _("The other side changed or signed a home-ventilation agreement"),
    )
    OUTPATIENT_NEEDS_CHANGED = (
        "outpatient-needs-changed",
        _("An outpatient's needs changed"),
    )
    COORDINATION_REQUESTED = (
        "coordination-requested",
        _("The hospital reports a need for an individual plan or a coordinator"),
    )
    EPISODE_ENDED = "episode-ended", _("An outpatient episode ended")
    STAFF_TRAINED = "staff-trained", _("The hospital recorded a training of your staff")
    BELOW_MINIMUM = "below-minimum", _("An aid type fell below the unit's minimum stock")
    NETWORK_ANSWERED = "network-answered", _("The network group answered a question")


class PendingNoticeQuerySet(ParentLinkedQuerySet["PendingNotice"]):
    """A pending notice is reached with its deadline."""

    parent = "deadline"


class PendingNotice(models.Model):
    """The next time the worker tells an open deadline's holder about it: a while before
    the due time ("soon"), then at it ("due"); gone once the last notice is given or the
    deadline is done.

    A narrow table of its own, not a column of the deadline: a worker that was down has
    hundreds of thousands of notices to give at once, and moving each on in this table
    writes a few dozen bytes and two index entries, where moving it on in the deadline's
    wide row wrote the whole row and each of its indexes again.
    """

    deadline = models.OneToOneField(
        "stays.Deadline",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pending_notice",
    )
    # The deadline's holder and due time, copied (neither changes on an open deadline) so the
    # sweep never reads the deadline itself.
    holder = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    due = models.DateTimeField()
    at = models.DateTimeField()

    objects = PendingNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pending notice")
        verbose_name_plural = _("pending notices")
        # The sweep's order, in which it walks from one batch to the next.
        indexes = [models.Index(fields=["at", "deadline"], name="pending_notice_order")]

    def __str__(self) -> str:
        return f"{self.deadline_id} at {self.at:%Y-%m-%d %H:%M}"


class NotificationQuerySet(ScopedQuerySet["Notification"]):
    """A deadline's notification is reached with its deadline (it is sent to the deadline's
    holder, who reaches the deadline); news of an event by the organisation it was sent to
    and those above it. The notifications page is narrower: only those sent to the user's
    organisations, their inbox (see `holders_of` in overgang.stays.access)."""

    def scope(self, user: Any, action: str) -> Q:
        from overgang.stays.models.deadlines import Deadline

        told = Q(deadline__isnull=True, organisation__in=organisations_under(user, action))
        return Q(deadline__in=Deadline.objects.within(user, action)) | told


class Notification(models.Model):
    """The worker told a deadline's holder that it is due soon, or due now: once per
    deadline and kind, however many workers sweep."""

    # No foreign-key constraints in the database, only in Django (whose CASCADE removes
    # these with their deadline or organisation): the sweep writes these from the pending
    # notices, whose own constraints hold, and a constraint's check here costs a trigger per
    # row and a lock on the deadline's row, more than the rest of the sweep together.
    # Looked up by deadline through the unique (deadline, kind) and by organisation through
    # the inbox index below.
    # None: news of an event (kind "event"), not a deadline's notice.
    deadline = models.ForeignKey(
        "stays.Deadline",
        verbose_name=_("deadline"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=8, choices=NotificationKind.choices)
    # An event's news: what happened, on which patient's record, and where to look.
    # Empty in the database too: the sweep's SQL writes deadline notices without them.
    news = models.CharField(
        _("what happened"), max_length=24, choices=News.choices, blank=True, db_default=""
    )
    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
    )
    link = models.CharField(_("link"), max_length=200, blank=True, db_default="")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # Which worker's claim sent it (see overgang.stays.notify).
    email_claim = models.UUIDField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="notification_inbox"),
            # What is still to e-mail, in the order it is claimed.
            models.Index(
                fields=["id"],
                name="notification_unsent",
                condition=models.Q(emailed_at__isnull=True),
            ),
            models.Index(
                fields=["email_claim"],
                name="notification_claim",
                condition=models.Q(email_claim__isnull=False),
            ),
            # For deleting a patient: only news names one.
            models.Index(
                fields=["patient"],
                name="notification_patient",
                condition=models.Q(patient__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind"], name="one_notification_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.news or self.deadline}"

    @property
    def overdue_days(self) -> int:
        """Whole days the deadline was overdue when this notice was given; 0 for a notice
        given in time (issue 19: "due now" is not said of a week-old deadline)."""
        if self.kind != NotificationKind.DUE or self.deadline is None or self.deadline.due is None:
            return 0
        return max((self.created_at - self.deadline.due).days, 0)
