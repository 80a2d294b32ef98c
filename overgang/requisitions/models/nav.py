from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.patients.access import ParentLinkedQuerySet, PatientLinkedQuerySet
from overgang.requisitions.states import NavStatus


class Signer(models.TextChoices):
    USER = "user", _("the user")
    RELATIVE = "relative", _("a relative")
    GUARDIAN = "guardian", _("a guardian")


class NavApplicationQuerySet(PatientLinkedQuerySet["NavApplication"]):
    """Reached with its patient."""


class NavApplication(models.Model):
    """The municipality applies to NAV Hjelpemiddelsentral for a technical aid for a
    long-term need (over two years, or terminal care), with the application signed by the
    user or a relative or guardian, before admission where it can be (H5); urgent cases
    ("hastesak") by exception (H6). The municipality follows the user up after delivery."""

    patient = models.ForeignKey(
        "patients.Patient",
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="nav_applications",
    )
    stay = models.ForeignKey(
        "stays.Stay",
        verbose_name=_("stay"),
        on_delete=models.PROTECT,
        related_name="nav_applications",
        null=True,
        blank=True,
    )
    need = models.ForeignKey(
        "stays.Need",
        verbose_name=_("need"),
        on_delete=models.SET_NULL,
        related_name="nav_applications",
        null=True,
        blank=True,
    )
    municipality = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("applying office"),
        on_delete=models.PROTECT,
        related_name="nav_applications",
    )
    aid_type = models.ForeignKey(
        "aids.AidType", verbose_name=_("technical aid"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("what is applied for"), blank=True)
    duration_months = models.PositiveSmallIntegerField(_("expected need (months)"), null=True)
    terminal = models.BooleanField(_("terminal care"), default=False)
    urgent = models.BooleanField(_("urgent case (hastesak)"), default=False)
    urgent_reason = models.TextField(_("why it is urgent"), blank=True)
    cites = models.JSONField(_("citations"), default=list)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NavStatus.choices,
        default=NavStatus.AWAITING_SIGNATURE,
    )
    signed_by = models.CharField(_("signed by"), max_length=10, choices=Signer.choices, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    sent_on = models.DateField(_("sent to NAV"), null=True, blank=True)
    nav_reference = models.CharField(_("NAV's reference"), max_length=40, blank=True)
    decided_on = models.DateField(_("NAV's decision"), null=True, blank=True)
    decision_note = models.TextField(_("NAV's decision"), blank=True)
    delivered_on = models.DateField(_("delivered"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up"), blank=True)
    # While the signature is missing: when the office is reminded next (3 days, then weekly).
    remind_at = models.DateTimeField(_("next reminder"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders given"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects = NavApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("NAV application")
        verbose_name_plural = _("NAV applications")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["municipality", "status"], name="nav_by_office"),
            # The reminder sweep: only applications still waiting for a signature.
            models.Index(
                fields=["remind_at"],
                condition=Q(status=NavStatus.AWAITING_SIGNATURE),
                name="nav_reminders_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.aid_type} ({self.get_status_display()})"


class NavReminderQuerySet(ParentLinkedQuerySet["NavReminder"]):
    """A reminder goes with its application."""

    parent = "application"


class NavReminder(models.Model):
    """The applying office was reminded that the user's signature is still missing."""

    application = models.ForeignKey(
        NavApplication,
        verbose_name=_("NAV application"),
        on_delete=models.CASCADE,
        related_name="reminder_log",
    )
    number = models.PositiveSmallIntegerField(_("reminder"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = NavReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Once per application and number, however many workers sweep.
            models.UniqueConstraint(fields=["application", "number"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.number}"
