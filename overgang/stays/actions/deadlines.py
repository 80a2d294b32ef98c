"""Opening and closing deadlines: what an event starts under the agreement, what a message
fulfils, and a party marking its own duty done (a phone call, a meeting)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations import access_cache
from overgang.rules import deadlines as rules_deadlines
from overgang.rules.clock import day_at
from overgang.rules.engine import STAY_LENGTH
from overgang.rules.registry import Agreement, agreement_by_id, all_agreements
from overgang.rules.spec import DeadlineRule
from overgang.stays import news
from overgang.stays.access import holder_for
from overgang.stays.models import (
    Deadline,
    Message,
    News,
    Outcome,
    PendingNotice,
    Stay,
    StayEvent,
    StayStatus,
)

FIELDS = ("duty", "party", "holder", "due", "done_at", "outcome", "done_note", "done_message")


def warning() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.DEADLINE_WARNING_MINUTES)


def first_notice(due: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    """When the holder is first told: a while before the due time (at once, when that while
    has begun already), or at the due time when that has passed (a duty "at once")."""
    if due <= now:
        return due
    return max(due - warning(), now)


def add_deadline(*, actor: User, now: datetime.datetime, **fields: object) -> Deadline:
    """Open one deadline (see `add_deadlines`)."""
    return add_deadlines([Deadline(**fields)], actor=actor, now=now)[0]


def add_deadlines(
    deadlines: list[Deadline], *, actor: User, now: datetime.datetime
) -> list[Deadline]:
    """Open deadlines (unsaved rows) with the first notice to each holder and their history
    rows, with one INSERT for the deadlines and one for the notices. Call inside the
    writer's transaction. A duty without a time (due None) has no notice to give: it waits
    on the worklist, and the sweep never reads it."""
    # bulk_create sets the new ids on the rows (PostgreSQL and SQLite return them), which
    # the notices and the history rows need.
    Deadline.objects.bulk_create(deadlines)
    PendingNotice.objects.bulk_create(
        PendingNotice(
            deadline=deadline,
            holder_id=deadline.holder_id,
            due=deadline.due,
            at=first_notice(deadline.due, now),
        )
        for deadline in deadlines
        if deadline.due is not None
    )
    for deadline in deadlines:
        record_change(
            deadline, actor=actor, action=ChangeAction.CREATED, after=snapshot(deadline, FIELDS)
        )
    return deadlines


def event_context(stay: Stay) -> dict[str, object]:
    context: dict[str, object] = {}
    if stay.admission in ("planned", "emergency"):
        context["admission"] = stay.admission
    if stay.expected_stay_hours is not None:
        context["expected_stay_hours"] = stay.expected_stay_hours
    return context


def open_deadlines(
    event: StayEvent, *, actor: User, new_stay: bool = False
) -> tuple[list[Deadline], dict[str, object]]:
    """Ask the agreement what the event starts and open those deadlines on the stay. A duty
    already open from an earlier event of the same kind (a discharge date moved) is replaced;
    on a `new_stay`, opened in the caller's transaction, there is none to look for.
    Returns the deadlines and the engine's answer (notice window, same-day reception)."""
    stay = event.stay
    answer = rules_deadlines(
        {
            "agreement": stay.agreement,
            # A stay keeps the version of the agreement it was admitted under (N10).
            "date": admitted_day(stay).isoformat(),
            "event": event.name,
            "at": (event.planned_for or event.at).isoformat(),
            "context": event_context(stay),
        }
    )
    now = clock.now()
    # Each rule starts one deadline at most (an agreement's rule ids are unique, the law's
    # are its own), so what the event opens replaces only what earlier events left open.
    found_rules = [found["rule"] for found in answer["deadlines"]]
    if found_rules and not new_stay:
        for earlier in (
            Deadline.objects.select_for_update()
            .filter(stay=stay, rule__in=found_rules, done_at__isnull=True)
            .order_by("id")
        ):
            close(
                earlier, actor=actor, outcome=Outcome.WITHDRAWN, note=_("Replaced by a new time.")
            )
    rules = _rules_on(event)
    opened = add_deadlines(
        [_deadline_found(event, found, rules) for found in answer["deadlines"]],
        actor=actor,
        now=now,
    )
    return opened, answer


def admitted_day(stay: Stay) -> datetime.date:
    """The day the stay's agreement version is chosen by: its admission's, in its zone."""
    return day_at(stay.admitted_at, stay.time_zone)


def _rules_on(event: StayEvent) -> tuple[DeadlineRule, ...]:
    """The deadline rules of the version the stay was admitted under."""
    stay = event.stay
    return agreement_by_id(stay.agreement, on=admitted_day(stay)).deadline_rules


def _deadline_found(
    event: StayEvent, found: dict[str, Any], rules: tuple[DeadlineRule, ...]
) -> Deadline:
    """One deadline the engine found for the event (unsaved), with the agreement's words in
    every language and whether it is due at once."""
    stay = event.stay
    rule = next((r for r in rules if r.id == found["rule"]), None)
    return Deadline(
        stay=stay,
        event=event,
        duty=found["duty"],
        party=found["party"],
        holder=holder_for(stay, found["party"]),
        due=datetime.datetime.fromisoformat(found["due"]) if found["due"] else None,
        rule=found["rule"],
        at_once=rule is not None and rule.due.kind == "at-once",
        cites=found["cites"],
        text=dict(rule.text) if rule is not None else {"en": found["text"]},
    )


def _waits_on_stay_length(agreement: Agreement) -> bool:
    return any(
        isinstance(table.get(STAY_LENGTH), dict)
        for rule in agreement.deadline_rules
        if rule.event == "admitted"
        for table in rule.conditions
    )


def open_deadlines_once_stayed(now: datetime.datetime | None = None, *, limit: int = 1000) -> int:
    """Open the deadlines that wait on how long a stay lasts, where the admission gave no
    expected length: N5's first care plan for stays over 24 hours opens once the stay has
    lasted 24 hours (003 3), due as if the length had been known (48 hours after admission).
    The admitting user stays its author, as for every deadline the admission starts. Run by
    the worker every minute; safe to run again (a rule opens once per stay)."""
    now = now or clock.now()
    waiting = sorted({a.id for a in all_agreements() if _waits_on_stay_length(a)})
    events = (
        StayEvent.objects.filter(
            name="admitted",
            stay__status__in=StayStatus.OPEN,
            stay__expected_stay_hours__isnull=True,
            stay__agreement__in=waiting,
        )
        # An outpatient episode has no inpatient deadlines, also none that wait on its length.
        .exclude(stay__admission="outpatient")
        .select_related("stay", "actor")
        .order_by("at", "id")
    )
    opened = 0
    for event in events[:limit]:
        answer = rules_deadlines(
            {
                "agreement": event.stay.agreement,
                "event": "admitted",
                "at": event.at.isoformat(),
                "context": event_context(event.stay),
            }
        )
        for found in answer["opens_later"]:
            if datetime.datetime.fromisoformat(found["opens"]) > now:
                continue
            with transaction.atomic():
                stay = Stay.objects.select_for_update(of=("self",)).get(pk=event.stay_id)
                if (
                    not stay.is_open
                    or Deadline.objects.filter(stay=stay, rule=found["rule"]).exists()
                ):
                    continue
                add_deadlines(
                    [_deadline_found(event, found, _rules_on(event))], actor=event.actor, now=now
                )
                opened += 1
    return opened


def close(
    deadline: Deadline,
    *,
    actor: User,
    outcome: str = Outcome.FULFILLED,
    note: str = "",
    message: Message | None = None,
    at: datetime.datetime | None = None,
) -> Deadline:
    """Mark an open deadline done: nobody is told of it any more. Call inside the writer's
    transaction, on a locked row."""
    PendingNotice.objects.filter(deadline=deadline).delete()
    return save_changed(
        deadline,
        FIELDS,
        {
            "done_at": at or clock.now(),
            "done_by": actor,
            "outcome": outcome,
            "done_note": note,
            "done_message": message,
        },
        actor=actor,
    )


def close_duties(
    stay: Stay, duties: tuple[str, ...], *, party: str, actor: User, message: Message
) -> list[Deadline]:
    """The message fulfils these duties of its sender on the stay."""
    if not duties:
        return []
    found = Deadline.objects.select_for_update().filter(
        stay=stay, duty__in=duties, done_at__isnull=True
    )
    if party != "either":
        found = found.filter(party=party)
    closed = []
    register = access_cache.current_register()
    for deadline in found:
        # The holder, whom the history names, from the register instead of a join.
        deadline.holder = register.get(deadline.holder_id)
        closed.append(close(deadline, actor=actor, message=message, at=message.sent_at))
    return closed


def withdraw_open(stay: Stay, *, actor: User, note: str) -> None:
    """The stay ended: what was still open is no longer anyone's duty."""
    for deadline in Deadline.objects.select_for_update().filter(stay=stay, done_at__isnull=True):
        close(deadline, actor=actor, outcome=Outcome.WITHDRAWN, note=note)


def complete_deadline(deadline: Deadline, *, actor: User, note: str) -> Deadline:
    """The responsible party did it another way (by phone, in a meeting) and says how."""
    if not note.strip():
        raise InvalidInput({"note": _("Say how the duty was done, for example by phone.")})
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.done_at is not None:
            raise Conflict(_("This deadline is done already."))
        if deadline.duty == ANSWERED_ON_THE_STAY:
            # An objection to waiting days is done by answering it: accept or reject.
            raise Conflict(_("Answer the objection on the patient's stay: accept or reject it."))
        done = close(deadline, actor=actor, note=note.strip())
        _tell_the_other_side(done)
        return done


# Duties closed only by their own answer (overgang.stays.actions.payment), never as "done".
ANSWERED_ON_THE_STAY = "waiting-day-objection"

OTHER_SIDE = {"hospital": "municipality", "municipality": "hospital"}


def _tell_the_other_side(deadline: Deadline) -> None:
    """A duty done another way is news for the other party of the stay: the hospital waits
    on the municipality's duties (help at home, aids), and the other way round."""
    other = OTHER_SIDE.get(deadline.party)
    if other is None:
        return
    stay = deadline.stay
    news.tell(
        News.DUTY_DONE,
        to=holder_for(stay, other),
        patient=stay.patient,
        link=reverse("stay-detail", args=[stay.pk]),
    )
