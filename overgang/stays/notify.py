"""Telling a deadline's holder that it is due soon, and that it is due now.

`sweep` finds the open deadlines whose next notice time has come and writes one
`Notification` per deadline and kind. `send_emails` then e-mails each organisation what is
new for it. Both are safe to run in several workers at once:

- a sweep takes the pending notices (`PendingNotice`) with `SKIP LOCKED` (on PostgreSQL),
  and the unique (deadline, kind) constraint turns any second attempt into nothing
  (`ON CONFLICT DO NOTHING`). It works in batches, each one transaction of set-based SQL
  (one statement on PostgreSQL, a few on SQLite): with a million open deadlines a worker
  that was down for a while has hundreds of thousands to tell at once;
- e-mails are claimed with one UPDATE that stamps a claim id on the rows still unsent, so
  each notification is in exactly one worker's claim (the database decides), and only
  that worker sends it. If sending fails, the claim is undone and the next run retries.

E-mails name the duty, the due time and the link to the worklist; never the patient: an
e-mail is not the place for health information.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from overgang import clock
from overgang.organisations.models import Country, Organisation
from overgang.organisations.permissions import ACTION_ROLES, VIEW
from overgang.rules.clock import country_time_zone
from overgang.stays.models import Notification, NotificationKind, PendingNotice

logger = logging.getLogger(__name__)
BATCH = 20000
LANGUAGE_OF: dict[str, str] = {Country.NORWAY: "nb", Country.DENMARK: "da"}


@dataclass
class SweepResult:
    deadlines: int = 0
    notifications: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"deadlines": self.deadlines, "notifications": self.notifications}


def _names() -> dict[str, str]:
    """The quoted table and column names the sweep's statements use."""
    quote = connection.ops.quote_name
    pending, notification = PendingNotice._meta, Notification._meta
    names = {
        "pending": pending.db_table,
        "deadline": pending.get_field("deadline").column,
        "holder": pending.get_field("holder").column,
        "due": pending.get_field("due").column,
        "at": pending.get_field("at").column,
        "notification": notification.db_table,
        "n_deadline": notification.get_field("deadline").column,
        "n_kind": notification.get_field("kind").column,
        "n_organisation": notification.get_field("organisation").column,
        "n_created_at": notification.get_field("created_at").column,
    }
    return {key: quote(str(name)) for key, name in names.items()}


# One statement per batch: take the batch's pending notices, earliest first, from where the
# batch before left off (not from the start: the index entries of the notices given are
# there until a vacuum, and stepping over them each time made each batch slower than the
# last), skipping those another worker holds (one another worker gave meanwhile is gone, or
# later, when its lock is taken); write their notifications (none twice: the unique
# (deadline, kind)); drop the notices given at the due time, and move those given before it
# on to the due time. Rows are found again by their physical place (ctid), which they keep
# while locked. Returns how many were taken and told, and the last one taken.
POSTGRESQL_SWEEP = """
    WITH picked AS MATERIALIZED (
        SELECT ctid AS place, {deadline}, {holder}, {due}, {at} FROM {pending}
        WHERE {at} <= %(now)s AND ({at}, {deadline}) > (%(after_at)s, %(after)s)
        ORDER BY {at}, {deadline}
        LIMIT %(batch)s
        FOR UPDATE SKIP LOCKED
    ), told AS (
        INSERT INTO {notification} ({n_deadline}, {n_kind}, {n_organisation}, {n_created_at})
        SELECT {deadline}, CASE WHEN {due} <= %(now)s THEN %(due_kind)s ELSE %(soon_kind)s END,
               {holder}, %(now)s
        FROM picked
        ON CONFLICT ({n_deadline}, {n_kind}) DO NOTHING
        RETURNING 1
    ), given AS (
        DELETE FROM {pending}
        WHERE ctid = ANY(ARRAY(SELECT place FROM picked WHERE {due} <= %(now)s))
    ), moved AS (
        UPDATE {pending} SET {at} = {due}
        WHERE ctid = ANY(ARRAY(SELECT place FROM picked WHERE {due} > %(now)s))
    )
    SELECT (SELECT count(*) FROM picked), (SELECT count(*) FROM told),
           (SELECT {at} FROM picked ORDER BY {at} DESC, {deadline} DESC LIMIT 1),
           (SELECT {deadline} FROM picked ORDER BY {at} DESC, {deadline} DESC LIMIT 1)
"""
# SQLite has one writer at a time and no row locks: a batch is the notices up to its last
# one in the sweep's order, fixed before the statements run, so the same rows are in each.
SQLITE_LAST = """
    SELECT {at}, {deadline} FROM {pending} WHERE {at} <= %(now)s
    ORDER BY {at}, {deadline} LIMIT 1 OFFSET %(offset)s
"""
SQLITE_IN_BATCH = """
    {at} <= %(now)s AND ({at} < %(last_at)s OR ({at} = %(last_at)s AND {deadline} <= %(last)s))
"""
SQLITE_TELL = """
    INSERT INTO {notification} ({n_deadline}, {n_kind}, {n_organisation}, {n_created_at})
    SELECT {deadline}, CASE WHEN {due} <= %(now)s THEN %(due_kind)s ELSE %(soon_kind)s END,
           {holder}, %(now)s
    FROM {pending} WHERE {in_batch}
    ON CONFLICT ({n_deadline}, {n_kind}) DO NOTHING
"""
SQLITE_GIVEN = "DELETE FROM {pending} WHERE {in_batch} AND {due} <= %(now)s"
SQLITE_MOVE = "UPDATE {pending} SET {at} = {due} WHERE {in_batch} AND {due} > %(now)s"


def _params(now: datetime.datetime, **more: Any) -> dict[str, Any]:
    return {
        "now": connection.ops.adapt_datetimefield_value(now),
        "due_kind": NotificationKind.DUE.value,
        "soon_kind": NotificationKind.SOON.value,
        **more,
    }


Key = tuple[datetime.datetime, int]
# Before every notice in the sweep's order.
FIRST: Key = (datetime.datetime.min.replace(tzinfo=datetime.UTC), 0)


def _sweep_batch(now: datetime.datetime, batch: int, after: Key) -> tuple[int, int, Key]:
    """One batch in one transaction, of the notices after `after` in the sweep's order:
    (notices taken, notifications written, the last notice taken)."""
    names = _names()
    params = _params(now, batch=batch)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Losing the last batches in a crash is harmless (their notices and
            # notifications go together, and the next sweep gives them), so the batch need
            # not wait for its commit to reach the disk. The statement is planned anew each
            # time and runs in well under a second: compiling it (JIT) costs more than it saves.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL jit TO OFF")
            params |= {"after_at": after[0], "after": after[1]}
            cursor.execute(POSTGRESQL_SWEEP.format(**names), params)
            taken, told, last_at, last = cursor.fetchone()
            return int(taken), int(told), after if last is None else (last_at, last)
        cursor.execute(SQLITE_LAST.format(**names), {**params, "offset": batch - 1})
        last = cursor.fetchone()
        if last is None:  # fewer than a batch: all of them
            in_batch = "{at} <= %(now)s".format(**names)
        else:
            in_batch = SQLITE_IN_BATCH.format(**names)
            params |= {"last_at": last[0], "last": last[1]}
        cursor.execute(f"SELECT count(*) FROM {names['pending']} WHERE {in_batch}", params)
        (taken,) = cursor.fetchone()
        cursor.execute(SQLITE_TELL.format(in_batch=in_batch, **names), params)
        told = cursor.rowcount
        cursor.execute(SQLITE_GIVEN.format(in_batch=in_batch, **names), params)
        cursor.execute(SQLITE_MOVE.format(in_batch=in_batch, **names), params)
        # What is given is gone from the table at once: each batch starts from the first.
        return int(taken), told, after


def sweep(now: datetime.datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    """Notify for every open deadline whose notice time has come, in batches: "soon" while
    its due time is ahead (and tell again at the due time), "due" once it has come (and
    never again)."""
    now = now or clock.now()
    result = SweepResult()
    after = FIRST
    while True:
        taken, told, after = _sweep_batch(now, batch, after)
        result.deadlines += taken
        result.notifications += told
        if taken < batch:
            return result


def recipients(organisation: Organisation) -> list[str]:
    """The organisation's own address and those of the active people who work its worklist
    there: a role that sees patients (an auditor or a contact-committee member could not
    open the links the e-mail gives)."""
    people = User.objects.filter(
        memberships__organisation=organisation,
        memberships__role__in=ACTION_ROLES[VIEW],
        is_active=True,
    ).exclude(email="")
    found = [organisation.email] if organisation.email else []
    found += sorted(set(people.values_list("email", flat=True)))
    return list(dict.fromkeys(found))


def _claim(now: datetime.datetime, limit: int) -> list[Notification]:
    claim = uuid.uuid4()
    pending = Notification.objects.filter(emailed_at__isnull=True).order_by("id")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    # Only rows still unsent when this UPDATE runs join the claim.
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
        emailed_at=now, email_claim=claim
    )
    # The deadlines are fetched by their ids, not joined: a join's plan depends on how many
    # rows the planner thinks the claim has, and the table's statistics may be from before
    # the sweep that wrote them.
    claimed = list(
        Notification.objects.filter(email_claim=claim).prefetch_related(
            "deadline__need__aid_type", "organisation"
        )
    )
    # Deadlines by their due time, then the news of events in the order they came.
    return sorted(
        claimed,
        key=lambda n: (
            n.organisation_id,
            n.deadline is None,
            n.deadline.due if n.deadline is not None and n.deadline.due else n.created_at,
            n.pk,
        ),
    )


def overdue_by(days: int) -> str:
    return ngettext("overdue by %(days)s day", "overdue by %(days)s days", days) % {"days": days}


def _state(notice: Notification, now: datetime.datetime) -> str:
    """What the e-mail says of the deadline: due soon, due now, or, when the worker tells of
    it a day or more after it fell due (it was late already when it was set, or the worker
    was down), overdue by so many days: never "due now" of a week-old deadline (issue 19)."""
    if notice.kind != NotificationKind.DUE:
        return _("due soon")
    assert notice.deadline is not None and notice.deadline.due is not None
    days = (now - notice.deadline.due).days
    return overdue_by(days) if days >= 1 else _("due now")


def _body(
    organisation: Organisation, notices: list[Notification], now: datetime.datetime
) -> tuple[str, str]:
    zone = country_time_zone(organisation.country)
    lines = []
    with timezone.override(zone):
        for notice in notices:
            deadline = notice.deadline
            if deadline is None or deadline.due is None:
                # News of an event: what happened and where to look, never who it was about.
                where = settings.BASE_URL + notice.link if notice.link else ""
                lines.append(f"- {notice.get_news_display()}: {where}".rstrip(": "))
                continue
            when = date_format(timezone.localtime(deadline.due), "DATETIME_FORMAT")
            state = _state(notice, now)
            lines.append(f"- {deadline.name}: {state}, {when} ({', '.join(deadline.cites)})")
    subject = ngettext(
        "Overgang: %(count)d deadline for %(organisation)s",
        "Overgang: %(count)d deadlines for %(organisation)s",
        len(notices),
    ) % {"count": len(notices), "organisation": organisation.name}
    if any(n.deadline_id is None for n in notices):
        subject = ngettext(
            "Overgang: %(count)d notification for %(organisation)s",
            "Overgang: %(count)d notifications for %(organisation)s",
            len(notices),
        ) % {"count": len(notices), "organisation": organisation.name}
    link = settings.BASE_URL + reverse("worklist")
    body = "\n".join(
        [
            _("These deadlines are yours:")
            if all(n.deadline_id is not None for n in notices)
            else _("New for your organisation:"),
            "",
            *lines,
            "",
            _("See the worklist: %(link)s") % {"link": link},
        ]
    )
    return subject, body


def send_emails(now: datetime.datetime | None = None, *, limit: int = 1000) -> int:
    """E-mail each organisation its new notifications, one message per organisation."""
    now = now or clock.now()
    claimed = _claim(now, limit)
    by_organisation: dict[int, list[Notification]] = defaultdict(list)
    for notice in claimed:
        by_organisation[notice.organisation_id].append(notice)
    sent = 0
    for notices in by_organisation.values():
        organisation = notices[0].organisation
        to = recipients(organisation)
        if not to:
            continue
        with translation.override(LANGUAGE_OF.get(organisation.country, "en")):
            subject, body = _body(organisation, notices, now)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:
            # Undo this organisation's claim: the next run tries again.
            logger.exception("E-mail to %s failed; it is tried again", organisation.key)
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(
                emailed_at=None, email_claim=None
            )
            continue
        sent += 1
    return sent
