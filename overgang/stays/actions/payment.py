"""Objections to waiting days (R9): the municipality disputes days of a statement with its
reason, and the hospital accepts (the days leave the statement) or rejects with its own.
Each step is a history row, a task or news for the other side."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.rules import law
from overgang.stays import news
from overgang.stays.access import holder_for, sides
from overgang.stays.actions.deadlines import add_deadline, close
from overgang.stays.models import (
    Deadline,
    News,
    ObjectionStatus,
    Outcome,
    Stay,
    WaitingDayObjection,
)
from overgang.stays.waiting import waiting_days

FIELDS = ("days", "reason", "status", "answer_reason", "answered_by", "answered_at")
DUTY = "waiting-day-objection"
MAX_REASON = 2000


def _reason(text: str, field: str = "reason") -> str:
    reason = (text or "").strip()
    if not reason:
        raise InvalidInput({field: _("Give the reason.")})
    if len(reason) > MAX_REASON:
        raise InvalidInput({field: _("At most %(n)d characters.") % {"n": MAX_REASON}})
    return reason


def disputed_days(stay: Stay) -> set[datetime.date]:
    """Days of the stay under an objection still open or accepted: not to object to again."""
    found: set[datetime.date] = set()
    for objection in stay.waiting_day_objections.exclude(status=ObjectionStatus.REJECTED):
        found |= set(objection.dates)
    return found


def object_to_waiting_days(
    stay: Stay, days: Iterable[datetime.date], *, actor: User, reason: str
) -> WaitingDayObjection:
    """The municipality objects to these waiting days of the stay; the hospital is given
    the task of answering."""
    if "municipality" not in sides(actor):
        raise InvalidInput({"actor": _("Only the municipality objects to waiting days.")})
    text = _reason(reason)
    chosen = sorted(set(days))
    if not chosen:
        raise InvalidInput({"days": _("Choose the days you object to.")})
    now = clock.now()
    with transaction.atomic():
        # Counted on the row as it is now, not as the caller last read it.
        stay = Stay.objects.select_for_update().get(pk=stay.pk)
        counted = set(waiting_days(stay).days)
        if not_waiting := [d for d in chosen if d not in counted]:
            raise InvalidInput(
                {"days": _("Not a waiting day of this stay: %(day)s.") % {"day": not_waiting[0]}}
            )
        if already := sorted(set(chosen) & disputed_days(stay)):
            raise Conflict(
                _("An objection to %(day)s is made already.") % {"day": already[0].isoformat()}
            )
        holder = holder_for(stay, "hospital")
        task = add_deadline(
            actor=actor,
            now=now,
            stay=stay,
            duty=DUTY,
            party="hospital",
            holder=holder,
            due=None,
            rule="law.waiting-days",
            cites=list(law.waiting_days_cites(stay.country)),
            text={
                "nb": "Kommunen har innsigelse mot liggedøgn. Godta (dagene faktureres ikke) "
                "eller avvis med begrunnelse.",
                "da": "Kommunen gør indsigelse mod ventedage. Accepter (dagene faktureres "
                "ikke) eller afvis med begrundelse.",
                "en": "The municipality objects to waiting days. Accept (the days are not "
                "billed) or reject with a reason.",
            },
        )
        objection = WaitingDayObjection.objects.create(
            stay=stay,
            days=[d.isoformat() for d in chosen],
            reason=text,
            objected_by=actor,
            objected_at=now,
            task=task,
        )
        record_change(
            objection,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(objection, FIELDS),
            reason=text,
        )
        news.tell(
            News.WAITING_DAYS_OBJECTED,
            to=holder,
            patient=stay.patient,
            link=reverse("stay-waiting-days", args=[stay.pk]),
        )
    return objection


def answer_objection(
    objection: WaitingDayObjection, *, actor: User, accept: bool, reason: str = ""
) -> WaitingDayObjection:
    """The hospital accepts the objection (its days leave the statement) or rejects it
    with a reason; the municipality is told."""
    if "hospital" not in sides(actor):
        raise InvalidInput({"actor": _("Only the hospital answers an objection.")})
    text = (reason or "").strip() if accept else _reason(reason)
    if len(text) > MAX_REASON:
        raise InvalidInput({"reason": _("At most %(n)d characters.") % {"n": MAX_REASON}})
    now = clock.now()
    with transaction.atomic():
        objection = (
            WaitingDayObjection.objects.select_for_update()
            .select_related("stay__patient")
            .get(pk=objection.pk)
        )
        if objection.status != ObjectionStatus.OPEN:
            raise Conflict(_("The objection is answered already."))
        save_changed(
            objection,
            FIELDS,
            {
                "status": ObjectionStatus.ACCEPTED if accept else ObjectionStatus.REJECTED,
                "answer_reason": text,
                "answered_by": actor,
                "answered_at": now,
            },
            actor=actor,
            reason=text,
        )
        if objection.task_id is not None:
            task = Deadline.objects.select_for_update().get(pk=objection.task_id)
            if task.done_at is None:
                close(task, actor=actor, outcome=Outcome.FULFILLED, note=text, at=now)
        stay = objection.stay
        news.tell(
            News.OBJECTION_ANSWERED,
            to=holder_for(stay, "municipality"),
            patient=stay.patient,
            link=reverse("stay-waiting-days", args=[stay.pk]),
        )
    return objection
