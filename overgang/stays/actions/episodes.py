"""Outpatient episodes (R11, U1): what the municipality is told when an outpatient's needs
change, and the hospital closing the episode.

An outpatient episode is a `Stay` with `admission == "outpatient"`: it opens with no
inpatient deadlines (`admit`), has no discharge-ready (`discharge.inpatients_only`) and
follows its own short table (`overgang.stays.episodes`).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import save_changed, writer_atomic
from overgang.errors import Conflict, InvalidInput
from overgang.rules.clock import day_at
from overgang.rules.registry import agreement_by_id
from overgang.stays import news
from overgang.stays.access import holder_for
from overgang.stays.actions.admission import lock
from overgang.stays.actions.deadlines import open_deadlines
from overgang.stays.actions.discharge import FIELDS, for_the_hospital
from overgang.stays.actions.times import not_in_future
from overgang.stays.episodes import may_move
from overgang.stays.models import Deadline, News, Stay, StayEvent, StayStatus

NEEDS_CHANGED = "outpatient-needs-changed"
ENDED = "episode-ended"


def informs_of_changed_needs(stay: Stay) -> bool:
    """Does the stay's agreement give the municipality a duty when an outpatient's needs
    change (HNT's 004 4)? Elsewhere the routine is silent and nobody is given a task."""
    # The version the stay was admitted under, as its deadlines are (actions/deadlines.py).
    agreement = agreement_by_id(stay.agreement, on=day_at(stay.admitted_at, stay.time_zone))
    return any(rule.event == NEEDS_CHANGED for rule in agreement.deadline_rules)


def needs_changed(stay: Stay, *, actor: User, at: datetime.datetime, what: str) -> list[Deadline]:
    """An outpatient's need was recorded or changed (R11: "skal kommunen informeres"). Call
    inside the writer's transaction, on the locked stay. Where the agreement says so the
    municipality gets a task on its worklist (a newer change replaces the open one) and is
    told; elsewhere nothing happens."""
    if not stay.is_outpatient or not informs_of_changed_needs(stay):
        return []
    event = StayEvent.objects.create(stay=stay, name=NEEDS_CHANGED, at=at, actor=actor, note=what)
    opened, _answer = open_deadlines(event, actor=actor)
    news.tell(
        News.OUTPATIENT_NEEDS_CHANGED,
        to=holder_for(stay, "municipality"),
        patient=stay.patient,
        link=reverse("stay-detail", args=[stay.pk]),
    )
    return opened


def end_episode(
    stay: Stay, *, actor: User, at: datetime.datetime | None = None, note: str = ""
) -> Stay:
    """The hospital closes an outpatient episode. What the municipality was asked to do
    (follow up changed needs, an individual plan) stays on its worklist: the patient lives
    at home, and the duty does not end with the episode."""
    for_the_hospital(actor)
    at = at or clock.now()
    not_in_future(at, "at")
    if not stay.is_outpatient:
        raise Conflict(_("Only an outpatient episode is closed this way."))
    with writer_atomic():
        stay = lock(stay)
        if at < stay.admitted_at:
            raise InvalidInput({"at": _("The episode cannot end before it started.")})
        if not may_move(stay.admission, stay.status, StayStatus.DISCHARGED):
            raise Conflict(
                _("The episode cannot be closed (%(status)s).")
                % {"status": stay.get_status_display()}
            )
        stay = save_changed(
            stay,
            FIELDS,
            {"status": StayStatus.DISCHARGED, "ended_at": at, "exit_note": note.strip()},
            actor=actor,
            reason=note.strip(),
        )
        StayEvent.objects.create(stay=stay, name=ENDED, at=at, actor=actor, note=note.strip())
        news.tell(
            News.EPISODE_ENDED,
            to=holder_for(stay, "municipality"),
            patient=stay.patient,
            link=reverse("stay-detail", args=[stay.pk]),
        )
    return stay
