from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language
from overgang.patients.access import ScopedQuerySet, organisations_under
from overgang.rules import law
from overgang.rules.transitions import duty_name
from overgang.stays.models.stays import Stay


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    OVERDUE = "overdue", _("overdue")
    # A duty the routine or the law says to do "at once" (straks): due from the moment it
    # opens, so never "overdue" by minutes nor "done late"; it heads the worklist instead.
    AT_ONCE = "at-once", _("at once")


class Outcome(models.TextChoices):
    FULFILLED = "fulfilled", _("done")
    WITHDRAWN = "withdrawn", _("no longer needed")


# Dated duties first, earliest first; those without a time after them.
BY_DUE = (models.F("due").asc(nulls_last=True), "id")


class DeadlineQuerySet(ScopedQuerySet["Deadline"]):
    """A deadline is reached with its stay, and by the organisation that holds it and every
    organisation above that one: the union of what a stay's page and a worklist show, for
    the same action. (A holder can be outside the stay's scope: an office whose patient
    has since moved away still holds the duty it was given.)

    The worklist itself (`overgang.stays.access.worklist`) is narrower: only the deadlines
    the user's organisations hold, not every deadline of the stays they see; completing a
    deadline is done from it."""

    def scope(self, user: Any, action: str) -> Q:
        held = Q(holder__in=organisations_under(user, action))
        return Q(stay__in=Stay.objects.within(user, action)) | held


class Deadline(models.Model):
    """A duty one party has on a stay by a time the agreement sets (R1–R5, H1, H4, N5), or a
    task a need of the patient gives one party (assess, apply, deliver, train: H1, H4, O9).
    Both are on the holder's worklist."""

    # Indexed by (stay, due) below.
    stay = models.ForeignKey(
        "stays.Stay",
        verbose_name=_("stay"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        db_index=False,
    )
    event = models.ForeignKey(
        "stays.StayEvent",
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="deadlines",
        null=True,
        blank=True,
    )
    need = models.ForeignKey(
        "stays.Need",
        verbose_name=_("need"),
        on_delete=models.CASCADE,
        related_name="tasks",
        null=True,
        blank=True,
        db_index=False,
    )
    duty = models.CharField(_("duty"), max_length=60)
    party = models.CharField(_("party"), max_length=20)
    # The organisation whose worklist shows it and who is notified.
    holder = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    # None: a duty the routine sets without a time ("as soon as possible"): on the worklist
    # after the dated ones, never overdue, and never notified by the sweep.
    due = models.DateTimeField(_("due"), null=True, blank=True)
    # Due "at once" (straks): `due` is when it opened (see DeadlineStatus.AT_ONCE).
    at_once = models.BooleanField(_("at once"), default=False)
    rule = models.CharField(_("rule"), max_length=80)
    cites = models.JSONField(_("citations"), default=list)
    text = models.JSONField(_("what the agreement says"), default=dict)  # nb, da, en
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    done_note = models.TextField(_("note"), blank=True)
    done_message = models.ForeignKey(
        "stays.Message",
        verbose_name=_("done with"),
        on_delete=models.SET_NULL,
        related_name="fulfilled",
        null=True,
        blank=True,
        db_index=False,
    )

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = [models.F("due").asc(nulls_last=True), "id"]
        # Every index is written again when a deadline is done, so there are no more than
        # the reads need. (When to notify its holder is in PendingNotice.)
        indexes = [
            # One holder's worklist, and its overdue count.
            models.Index(
                fields=["holder", "due", "id"],
                name="deadline_open_worklist",
                condition=Q(done_at__isnull=True),
            ),
            # The count of open deadlines of the worklist and the start page: one entry per
            # holder with the list of its rows (deduplicated), several times smaller to read
            # through than the one above.
            models.Index(
                fields=["holder"], name="deadline_open_holder", condition=Q(done_at__isnull=True)
            ),
            # Several holders' worklist (a municipality with its districts and offices), and
            # everyone's: walked in order, the first page is found without sorting them all.
            models.Index(
                fields=["due", "id"],
                name="deadline_open_by_due",
                condition=Q(done_at__isnull=True),
            ),
            models.Index(fields=["stay", "due"], name="deadline_stay"),
            # For deleting a task's need, a message or a user: these are empty on open
            # deadlines, so only the rows that have them are indexed.
            models.Index(fields=["need"], name="deadline_need", condition=Q(need__isnull=False)),
            models.Index(
                fields=["done_by"], name="deadline_done_by", condition=Q(done_by__isnull=False)
            ),
            models.Index(
                fields=["done_message"],
                name="deadline_done_message",
                condition=Q(done_message__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.due:%Y-%m-%d %H:%M}" if self.due is not None else "-"
        return f"{self.duty} ({self.party}) {when}"

    def status_at(self, now: datetime.datetime) -> str:
        return status_of(self.due, self.done_at, self.at_once, now)

    @property
    def name(self) -> str:
        """The duty's short name, in the reader's language; a task names its aid."""
        name = duty_name(self.duty, current_language())
        need = self.need if self.need_id is not None else None
        if need is not None and need.aid_type is not None:
            return f"{name}: {need.aid_type.name}"
        return name

    @property
    def said(self) -> str:
        """What the agreement says, in the reader's language."""
        return said_in(self.text, current_language())

    @property
    def cited(self) -> str:
        """Its citations as a reader sees them: the routine's as they are, the law's by the
        regulation's name ("forskrift om utskrivningsklare pasienter § 10")."""
        country, language = self.stay.country, current_language()
        return ", ".join(law.render(str(cite), country, language) for cite in self.cites)

    @property
    def late(self) -> bool:
        return (
            not self.at_once
            and self.done_at is not None
            and self.due is not None
            and self.done_at > self.due
        )


# The two as functions of a deadline's columns, for the answers that read its columns
# rather than whole deadlines (a stay's answer lists them all).


def status_of(
    due: datetime.datetime | None,
    done_at: datetime.datetime | None,
    at_once: bool,
    now: datetime.datetime,
) -> str:
    if done_at is not None:
        return DeadlineStatus.DONE
    if due is None:
        return DeadlineStatus.OPEN
    if at_once:
        return DeadlineStatus.AT_ONCE
    return DeadlineStatus.OVERDUE if due <= now else DeadlineStatus.OPEN


def said_in(text: dict[str, str], language: str) -> str:
    return str(text.get(language) or text.get("en", ""))
