"""Telling a deadline's holder that it is due soon, and that it is due now.

`sweep` finds the open deadlines whose next notice time has come and writes one
`Notification` per deadline and kind. `send_emails` then e-mails each organisation what is
new for it. Both are safe to run in several workers at once:

- a sweep takes its deadlines with `SKIP LOCKED` (on PostgreSQL), and the unique
  (deadline, kind) constraint turns any second attempt into nothing (`ON CONFLICT DO
  NOTHING`). It works in batches, each one transaction of set-based SQL (one statement on
  PostgreSQL, two on SQLite): with a million open deadlines a worker that was down for a
  while has hundreds of thousands to tell at once;
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

from overgang.organisations.models import Country, Organisation
from overgang.stays.models import Deadline, Notification, NotificationKind

logger = logging.getLogger(__name__)
BATCH = 5000
LANGUAGE_OF: dict[str, str] = {Country.NORWAY: "nb", Country.DENMARK: "da"}
ZONE_OF: dict[str, str] = {Country.NORWAY: "Europe/Oslo", Country.DENMARK: "Europe/Copenhagen"}


@dataclass
class SweepResult:
    deadlines: int = 0
    notifications: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"deadlines": self.deadlines, "notifications": self.notifications}


def _names() -> dict[str, str]:
    """The quoted table and column names the sweep's statements use."""
    quote = connection.ops.quote_name
    deadline, notification = Deadline._meta, Notification._meta
    names = {
        "deadline": deadline.db_table,
        "notification": notification.db_table,
        "id": deadline.pk.column,
        "due": deadline.get_field("due").column,
        "holder": deadline.get_field("holder").column,
        "done_at": deadline.get_field("done_at").column,
        "notify_at": deadline.get_field("notify_at").column,
        "n_deadline": notification.get_field("deadline").column,
        "n_kind": notification.get_field("kind").column,
        "n_organisation": notification.get_field("organisation").column,
        "n_created_at": notification.get_field("created_at").column,
    }
    return {key: quote(str(name)) for key, name in names.items()}


# One statement per batch: take the batch's deadlines, earliest notice first, skipping those
# another worker holds (one that another worker notified meanwhile no longer matches when
# its lock is taken); write their notifications (none twice: the unique (deadline, kind));
# and move their notice times on.
POSTGRESQL_SWEEP = """
    WITH picked AS (
        SELECT {id}, {due}, {holder} FROM {deadline}
        WHERE {done_at} IS NULL AND {notify_at} <= %(now)s
        ORDER BY {notify_at}
        LIMIT %(batch)s
        FOR UPDATE SKIP LOCKED
    ), told AS (
        INSERT INTO {notification} ({n_deadline}, {n_kind}, {n_organisation}, {n_created_at})
        SELECT {id}, CASE WHEN {due} <= %(now)s THEN %(due_kind)s ELSE %(soon_kind)s END,
               {holder}, %(now)s
        FROM picked
        ON CONFLICT ({n_deadline}, {n_kind}) DO NOTHING
        RETURNING 1
    ), moved AS (
        UPDATE {deadline} AS d
        SET {notify_at} = CASE WHEN picked.{due} <= %(now)s THEN NULL ELSE picked.{due} END
        FROM picked WHERE d.{id} = picked.{id}
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM told)
"""
# SQLite has one writer at a time and no row locks: the batch is the same rows in both
# statements, since nothing else writes between them.
SQLITE_BATCH = """
    SELECT {id} FROM {deadline}
    WHERE {done_at} IS NULL AND {notify_at} <= %(now)s
    ORDER BY {notify_at}, {id}
    LIMIT %(batch)s
"""
SQLITE_TELL = """
    INSERT INTO {notification} ({n_deadline}, {n_kind}, {n_organisation}, {n_created_at})
    SELECT {id}, CASE WHEN {due} <= %(now)s THEN %(due_kind)s ELSE %(soon_kind)s END,
           {holder}, %(now)s
    FROM {deadline} WHERE {id} IN ({batch_sql})
    ON CONFLICT ({n_deadline}, {n_kind}) DO NOTHING
"""
SQLITE_MOVE = """
    UPDATE {deadline}
    SET {notify_at} = CASE WHEN {due} <= %(now)s THEN NULL ELSE {due} END
    WHERE {id} IN ({batch_sql})
"""


def _params(now: datetime.datetime, **more: Any) -> dict[str, Any]:
    return {
        "now": connection.ops.adapt_datetimefield_value(now),
        "due_kind": NotificationKind.DUE.value,
        "soon_kind": NotificationKind.SOON.value,
        **more,
    }


def _sweep_batch(now: datetime.datetime, batch: int) -> tuple[int, int]:
    """One batch in one transaction: (deadlines taken, notifications written)."""
    names = _names()
    params = _params(now, batch=batch)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_SWEEP.format(**names), params)
            taken, told = cursor.fetchone()
            return int(taken), int(told)
        batch_sql = SQLITE_BATCH.format(**names)
        cursor.execute(SQLITE_TELL.format(batch_sql=batch_sql, **names), params)
        told = cursor.rowcount
        cursor.execute(SQLITE_MOVE.format(batch_sql=batch_sql, **names), params)
        return cursor.rowcount, told


def sweep(now: datetime.datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    """Notify for every open deadline whose notice time has come, in batches: "soon" while
    its due time is ahead (and tell again at the due time), "due" once it has come (and
    never again)."""
    now = now or timezone.now()
    result = SweepResult()
    while True:
        taken, told = _sweep_batch(now, batch)
        result.deadlines += taken
        result.notifications += told
        if taken < batch:
            return result


def recipients(organisation: Organisation) -> list[str]:
    """The organisation's own address and those of the active people who work there."""
    people = User.objects.filter(memberships__organisation=organisation, is_active=True).exclude(
        email=""
    )
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
    return list(
        Notification.objects.filter(email_claim=claim)
        .select_related("deadline__need__aid_type", "organisation")
        .order_by("organisation_id", "deadline__due")
    )


def _body(organisation: Organisation, notices: list[Notification]) -> tuple[str, str]:
    zone = ZONE_OF.get(organisation.country, settings.TIME_ZONE)
    lines = []
    with timezone.override(zone):
        for notice in notices:
            deadline = notice.deadline
            when = date_format(timezone.localtime(deadline.due), "DATETIME_FORMAT")
            state = _("due now") if notice.kind == NotificationKind.DUE else _("due soon")
            lines.append(f"- {deadline.name}: {state}, {when} ({', '.join(deadline.cites)})")
    subject = ngettext(
        "Overgang: %(count)d deadline for %(organisation)s",
        "Overgang: %(count)d deadlines for %(organisation)s",
        len(notices),
    ) % {"count": len(notices), "organisation": organisation.name}
    link = settings.BASE_URL + reverse("worklist")
    body = "\n".join(
        [
            _("These deadlines are yours:"),
            "",
            *lines,
            "",
            _("See the worklist: %(link)s") % {"link": link},
        ]
    )
    return subject, body


def send_emails(now: datetime.datetime | None = None, *, limit: int = 1000) -> int:
    """E-mail each organisation its new notifications, one message per organisation."""
    now = now or timezone.now()
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
            subject, body = _body(organisation, notices)
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
