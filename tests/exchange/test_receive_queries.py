"""Receiving a message reads and writes no more than it needs: an integration engine sends
thousands a day, and each query is a round trip. What it does is tested elsewhere
(test_levanger_stay, test_aalborg_stay); here, that it does it without asking twice."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang import clock
from overgang.exchange.actions import receive
from overgang.stays.models import Deadline, PendingNotice, Stay
from overgang.stays.states import StayStatus
from tests.exchange.test_aalborg_stay import notification


def received(body: bytes, system) -> tuple[int, list[str]]:
    """The stay that receiving `body` changed, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        result = receive(body, actor=system)
    assert result.status == "accepted", result.errors
    assert result.stay is not None
    return result.stay, [query["sql"] for query in queries.captured_queries]


def counted(sql: list[str], test: Callable[[str], bool]) -> int:
    return sum(1 for statement in sql if test(statement))


def test_a_message_reads_the_access_stamp_once(addressed, system):
    """The parties, the patient's home and the holder of each duty the admission notice
    opens all come from the register, read once for the message."""
    _stay, sql = received(addressed("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"), system)
    assert counted(sql, lambda s: "organisations_accessstamp" in s) == 1


def test_the_deadlines_an_event_opens_are_written_together(addressed, system):
    """An admission notice opens the stay (the admission's deadlines) and records itself
    (the municipality's admission report): one INSERT of deadlines and one of their
    notices for each event, however many the agreement opens."""
    stay, sql = received(addressed("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"), system)
    opened = Deadline.objects.filter(stay_id=stay)
    assert opened.count() >= 3
    assert PendingNotice.objects.filter(deadline__in=opened).count() == opened.count()
    assert counted(sql, lambda s: s.startswith('INSERT INTO "stays_deadline"')) == 2
    assert counted(sql, lambda s: s.startswith('INSERT INTO "stays_pendingnotice"')) == 2


def test_a_discharge_notice_reads_the_stay_once(areas, system):
    """The stay the notice finds stays locked for the message: declaring the patient
    discharge-ready and discharging them change it without reading it again."""
    start = clock.now() - datetime.timedelta(days=2)
    end = clock.now() - datetime.timedelta(hours=1)
    received(notification("admit-inpatient", start=start), system)
    stay, sql = received(notification("discharge-inpatient-home", start=start, end=end), system)
    assert Stay.objects.get(pk=stay).status == StayStatus.DISCHARGED
    assert counted(sql, lambda s: s.startswith("SELECT") and 'FROM "stays_stay"' in s) == 1


def test_the_writers_a_message_calls_set_no_savepoints_of_their_own(addressed, system):
    """The message's transaction is all or nothing: a savepoint per writer would be two
    round trips each for nothing. (The test runs in a transaction of its own, so the
    message's transaction is itself a savepoint: that one.)"""
    received(addressed("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml", days_ago=3), system)
    _stay, sql = received(
        addressed("Innleggelsesrapport_v1-6_Ny.xml", from_hospital=False, days_ago=2), system
    )
    assert counted(sql, lambda s: s.startswith("SAVEPOINT")) == 1
