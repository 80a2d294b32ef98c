"""On the demo installation, a few figures counted again here by hand, in plain loops over
the rows, agree with the aggregate queries."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from overgang import clock
from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.indicators.compute import Filter, compute
from overgang.indicators.scope import stays_seen
from overgang.rules.registry import agreement_by_id
from overgang.stays.models import Deadline, Stay


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=2026)
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("agreement_id", ["oslo", "unn", "hnt", "nordjylland"])
def test_notices_on_time_agree_with_a_count_by_hand(demo, db, agreement_id):
    now = clock.now()
    agreement = agreement_by_id(agreement_id, on=now.date())
    zone = ZoneInfo(agreement.time_zone)
    first = (now - datetime.timedelta(days=90)).astimezone(zone).date()
    last = (now + datetime.timedelta(days=30)).astimezone(zone).date()
    member = User.objects.get(
        username={
            "oslo": "ous-network",
            "unn": "unn-network",
            "hnt": "hnt-network",
            "nordjylland": "rn-network",
        }[agreement_id]
    )
    stays = stays_seen(member, agreement_id)
    assert stays is not None
    found = {one.key: one for one in compute(Filter(agreement, stays, first, last), now=now)}

    start = datetime.datetime.combine(first, datetime.time(), zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), zone)
    on_time = counted = 0
    by_month: dict[str, int] = {}
    for deadline in Deadline.objects.select_related("stay"):
        if deadline.stay.agreement != agreement_id or deadline.due is None or deadline.at_once:
            continue
        if not start <= deadline.due < end or deadline.outcome == "withdrawn":
            continue
        if deadline.done_at is None and deadline.due > now:
            continue
        counted += 1
        month = f"{deadline.due.astimezone(zone):%Y-%m}"
        by_month[month] = by_month.get(month, 0) + 1
        if deadline.done_at is not None and deadline.done_at <= deadline.due:
            on_time += 1
    notices = found["notices-on-time"]
    assert (notices.total.numerator, notices.total.denominator) == (on_time, counted)
    assert {f"{m:%Y-%m}": f.denominator for m, f in notices.months if f.denominator} == by_month
    assert counted > 0 or agreement_id == "unn"

    ended = [
        s
        for s in Stay.objects.filter(agreement=agreement_id)
        if s.ended_at is not None and start <= s.ended_at < end and s.notified_at is not None
    ]
    assert found["waiting-days"].total.denominator == (
        len(ended) if agreement.country == "NO" else 0
    )
