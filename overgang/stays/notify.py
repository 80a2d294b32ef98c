"""Telling a deadline's holder that it is due soon, and that it is due now.

`sweep` finds the open deadlines whose next notice time has come and writes one
`Notification` per deadline and kind. `send_emails` then e-mails each organisation what is
new for it. Both are safe to run in several workers at once:

- a sweep takes its deadlines with `SKIP LOCKED` (on PostgreSQL), and the unique
  (deadline, kind) constraint turns any second attempt into nothing;
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

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
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


def sweep(now: datetime.datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    """Notify for every open deadline whose notice time has come, in batches."""
    now = now or timezone.now()
    result = SweepResult()
    while True:
        with transaction.atomic():
            rows = list(
                Deadline.objects.select_for_update(skip_locked=True)
                .filter(done_at__isnull=True, notify_at__lte=now)
                .order_by("notify_at")
                .values_list("pk", "due", "holder_id")[:batch]
            )
            if not rows:
                return result
            due_now = [pk for pk, due, _holder in rows if due <= now]
            soon = [pk for pk, due, _holder in rows if due > now]
            Notification.objects.bulk_create(
                [
                    Notification(
                        deadline_id=pk,
                        kind=NotificationKind.DUE if due <= now else NotificationKind.SOON,
                        organisation_id=holder,
                        created_at=now,
                    )
                    for pk, due, holder in rows
                ],
                ignore_conflicts=True,
                batch_size=1000,
            )
            # Due now: nothing more to tell. Due soon: tell again at the due time.
            if due_now:
                Deadline.objects.filter(pk__in=due_now).update(notify_at=None)
            if soon:
                Deadline.objects.filter(pk__in=soon).update(notify_at=F("due"))
        result.deadlines += len(rows)
        result.notifications += len(rows)
        if len(rows) < batch:
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
