"""A deadline the worker tells of a week after it fell due is said to be overdue by a week,
not "due now" (issue 19, item 8): in the e-mail and on the notifications page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import translation

from overgang.stays import notify
from overgang.stays.models import Deadline, Notification, NotificationKind

pytestmark = pytest.mark.django_db


def _answer(stay) -> Deadline:
    return Deadline.objects.get(stay=stay, duty="supplementary-admission-information")


def _due(stay) -> datetime.datetime:
    due = _answer(stay).due
    assert due is not None
    return due


def test_a_week_old_deadline_is_emailed_as_overdue_by_seven_days(asked_stay, levanger_case_worker):
    levanger_case_worker.email = "lene@levanger.example.no"
    levanger_case_worker.save()
    due = _due(asked_stay)
    later = due + datetime.timedelta(days=7, hours=2)
    notify.sweep(later)
    notify.send_emails(later)
    [office] = [m for m in mail.outbox if "lene@levanger.example.no" in m.to]
    line = next(n for n in office.body.splitlines() if "Supplerende opplysninger" in n)
    with translation.override("nb"):  # the office's language
        assert notify.overdue_by(7) in line
    assert "7" in notify.overdue_by(7)
    assert "forfaller nå" not in office.body


def test_a_deadline_told_at_its_due_time_is_due_now(asked_stay, levanger_case_worker):
    levanger_case_worker.email = "lene@levanger.example.no"
    levanger_case_worker.save()
    due = _due(asked_stay)
    notify.sweep(due + datetime.timedelta(minutes=1))
    notify.send_emails(due + datetime.timedelta(minutes=2))
    [office] = [m for m in mail.outbox if "lene@levanger.example.no" in m.to]
    line = next(n for n in office.body.splitlines() if "Supplerende opplysninger" in n)
    assert "forfaller nå" in line


def test_the_notifications_page_says_how_long_overdue(asked_stay, levanger_case_worker, client):
    due = _due(asked_stay)
    notify.sweep(due + datetime.timedelta(days=3, hours=1))
    notice = Notification.objects.get(deadline=_answer(asked_stay), kind=NotificationKind.DUE)
    assert notice.overdue_days == 3
    client.force_login(levanger_case_worker)
    with translation.override("en"):
        page = client.get("/notifications/", headers={"accept-language": "en"})
    assert "overdue by 3 days" in page.content.decode()
    with translation.override("en"):
        exported = client.get("/notifications/?format=csv", headers={"accept-language": "en"})
    assert "overdue by 3 days" in exported.content.decode("utf-8-sig"), "the export says it too"
