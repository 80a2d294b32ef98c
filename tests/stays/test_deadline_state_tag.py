"""The state a deadline shows on the worklist, the stay page and a planned admission."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.utils import timezone
from django.utils.dateformat import format as date_format

from overgang.stays.models import Deadline, Outcome
from overgang.web.templatetags.deadlines import _date_writer

NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)


def shown(deadline: Deadline) -> str:
    template = engines["django"].from_string(
        "{% load deadlines %}{% deadline_state deadline state %}"
    )
    return template.render({"deadline": deadline, "state": deadline.status_at(NOW)})


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (Deadline(due=NOW + HOUR), '<span class="tag deadline-open">open</span>'),
        (Deadline(due=None), '<span class="tag deadline-open">open</span>'),
        (Deadline(due=NOW - HOUR), '<span class="tag deadline-overdue">overdue</span>'),
        (
            Deadline(due=NOW - HOUR, at_once=True),
            '<span class="tag deadline-overdue">at once</span>',
        ),
        (
            Deadline(due=NOW, done_at=NOW - HOUR, outcome=Outcome.FULFILLED),
            '<span class="tag deadline-done">done</span>',
        ),
        (
            Deadline(due=NOW - HOUR, done_at=NOW, outcome=Outcome.FULFILLED),
            '<span class="tag deadline-done">done late</span>',
        ),
        (
            Deadline(due=NOW - HOUR, done_at=NOW, outcome=Outcome.WITHDRAWN),
            '<span class="tag deadline-done">no longer needed</span>',
        ),
    ],
)
def test_each_state_reads_as_before(deadline, expected):
    assert shown(deadline) == expected


@pytest.mark.parametrize(
    "django_format", ["d.m.Y H:i", "m/d/Y P", "Y-m-d {H}:i", r"d.m.Y \a H:i", "j. F Y"]
)
def test_the_worklists_dates_are_written_as_djangos_date_filter_writes_them(django_format):
    """The worklist's rows write their due times without a DateFormat a row, the same."""
    write = _date_writer(django_format)
    for value in (NOW, datetime.datetime(987, 1, 2, 3, 4, tzinfo=datetime.UTC), NOW + 40 * HOUR):
        assert write(value) == date_format(value, django_format)
