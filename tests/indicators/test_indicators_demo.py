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
from overgang.audit.models import ChangeRecord
from overgang.demo.management.commands.demo import Command as Demo
from overgang.indicators.actions import KEPT_MONTHS, months_back, refresh_due, refresh_figures
from overgang.indicators.compute import Filter, compute
from overgang.indicators.models import FiguresRefresh, MonthlyFigure
from overgang.indicators.scope import stays_seen
from overgang.indicators.table import read
from overgang.rules.registry import agreement_by_id
from overgang.stays.models import Deadline, Need, Stay


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
    assert counted > 0

    ended = [
        s
        for s in Stay.objects.filter(agreement=agreement_id)
        if s.ended_at is not None and start <= s.ended_at < end and s.notified_at is not None
    ]
    assert found["waiting-days"].total.denominator == (
        len(ended) if agreement.country == "NO" else 0
    )


NETWORK = {
    "oslo": "ous-network",
    "unn": "unn-network",
    "hnt": "hnt-network",
    "nordjylland": "rn-network",
}


def _table_rows(agreement_id: str) -> list[tuple[Any, ...]]:
    return sorted(
        MonthlyFigure.objects.filter(agreement=agreement_id).values_list(
            "month",
            "indicator",
            "hospital",
            "trust",
            "municipality",
            "aid_group",
            "duty",
            "numerator",
            "denominator",
        ),
        key=repr,
    )


@pytest.mark.parametrize("agreement_id", ["oslo", "unn", "hnt", "nordjylland"])
def test_the_tables_sums_are_the_live_figures(demo, db, agreement_id):
    """The demo left the table filled; refreshed at a known time, its sums over every key
    are what the live queries count, for the whole agreement, one hospital, one
    municipality and one aid group."""
    now = clock.now()
    agreement = agreement_by_id(agreement_id, on=now.date())
    # The demo refreshed every agreement, and each has stays that ended: rows.
    assert FiguresRefresh.objects.filter(agreement=agreement_id).exists()
    assert MonthlyFigure.objects.filter(agreement=agreement_id).exists()
    refresh_figures(agreement, months=KEPT_MONTHS, actor=system_actor(), now=now)
    stays = stays_seen(User.objects.get(username=NETWORK[agreement_id]), agreement_id)
    assert stays is not None
    first = months_back(agreement, KEPT_MONTHS, now)
    # Whole months, as the table keeps them: to the end of this one.
    today = now.astimezone(ZoneInfo(agreement.time_zone)).date()
    last = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )
    of_agreement = Stay.objects.filter(agreement=agreement_id)
    hospital = of_agreement.values_list("hospital", flat=True).first()
    municipality = of_agreement.values_list("municipality", flat=True).first()
    group = (
        Need.objects.filter(stay__agreement=agreement_id, aid_type__isnull=False)
        .values_list("aid_type__category", flat=True)
        .first()
    )
    filters = [
        Filter(agreement, stays, first, last),
        Filter(agreement, stays, first, last, hospital=hospital),
        Filter(agreement, stays, first, last, municipality=municipality),
        Filter(agreement, stays, first, last, aid_group=group or ""),
    ]
    counted = 0
    for f in filters:
        live = compute(f, now=now)
        from_table = read(f)
        for a, b in zip(from_table, live, strict=True):
            assert (a.key, a.total, a.months, a.parts) == (b.key, b.total, b.months, b.parts)
        counted += sum(one.total.denominator for one in live)
    assert counted > 0


def test_a_refresh_is_idempotent_and_written_once_in_the_history(demo, db):
    now = clock.now()
    agreement = agreement_by_id("nordjylland", on=now.date())
    actor = system_actor()
    refresh_figures(agreement, months=KEPT_MONTHS, actor=actor, now=now)
    before = _table_rows("nordjylland")
    others = _table_rows("oslo")
    history = ChangeRecord.objects.filter(model="indicators.figuresrefresh").count()
    done = refresh_figures(agreement, months=KEPT_MONTHS, actor=actor, now=now)
    assert _table_rows("nordjylland") == before
    assert done.rows == len(before) > 0
    assert _table_rows("oslo") == others  # another agreement's rows are left alone
    assert ChangeRecord.objects.filter(model="indicators.figuresrefresh").count() == history + 1
    # A refresh of the last two months leaves the months before as they were.
    refresh_figures(agreement, months=2, actor=actor, now=now)
    assert _table_rows("nordjylland") == before


def test_the_worker_refreshes_recent_months_every_ten_minutes_and_all_daily(demo, db):
    now = clock.now()
    actor = system_actor()
    FiguresRefresh.objects.all().delete()
    first = refresh_due(actor=actor, now=now)
    assert first == {"figures_recent": 0, "figures_all": 4}
    assert refresh_due(actor=actor, now=now + datetime.timedelta(minutes=5)) == {
        "figures_recent": 0,
        "figures_all": 0,
    }
    assert refresh_due(actor=actor, now=now + datetime.timedelta(minutes=11)) == {
        "figures_recent": 4,
        "figures_all": 0,
    }
    assert refresh_due(actor=actor, now=now + datetime.timedelta(hours=25))["figures_all"] == 4


# Waiting days are counted only where the law counts them (Norway): none in Nordjylland.
NOT_FOR = {"nordjylland": {"waiting-days"}}


@pytest.mark.parametrize("agreement_id", ["oslo", "unn", "hnt", "nordjylland"])
def test_every_indicator_has_figures_in_the_last_six_months_of_the_demo(demo, db, agreement_id):
    """A network group member opening the demo's indicators sees a chart with something to
    count for every indicator of their agreement, from the table the demo filled, and the
    notices both on time and late somewhere (not a flat 100 %)."""
    now = clock.now()
    agreement = agreement_by_id(agreement_id, on=now.date())
    stays = stays_seen(User.objects.get(username=NETWORK[agreement_id]), agreement_id)
    assert stays is not None
    first = months_back(agreement, 6, now)
    today = now.astimezone(ZoneInfo(agreement.time_zone)).date()
    shown = {one.key: one for one in read(Filter(agreement, stays, first, today))}
    assert len(shown) == 10
    for key, indicator in shown.items():
        counted = [month for month, figures in indicator.months if figures.denominator]
        if key in NOT_FOR.get(agreement_id, ()):
            assert counted == [], key
        else:
            assert counted, f"{agreement_id}: nothing counted for {key}"
    shares = [f.value for _, f in shown["notices-on-time"].months if f.value is not None]
    assert min(shares) < 1
    # Nothing of an ended stay is left on anyone's worklist.
    left_open = Deadline.objects.filter(
        stay__agreement=agreement_id, stay__ended_at__isnull=False, done_at__isnull=True
    )
    assert not left_open.exists()
