"""MedCom's start-leave and end-leave (HospitalNotification) map onto the stay's leave
periods (N5): a received start-leave starts the planned period, or opens one; an end-leave
ends it; a cancel-* undoes what the cancelled message did; a revise-* amends the message
and leaves the period as it is."""

from __future__ import annotations

import datetime

from overgang import clock
from overgang.exchange.actions import receive
from overgang.stays.actions import leave as writers
from overgang.stays.models import LeavePeriod, Message, Stay
from tests.exchange.test_aalborg_stay import SERIES, in_aalborg, notification


def admitted(system) -> tuple[Stay, datetime.datetime]:
    start = clock.now() - datetime.timedelta(days=3)
    result = receive(notification("admit-inpatient", start=start), actor=system)
    assert result.status == "accepted", result.errors
    assert result.stay is not None
    return Stay.objects.get(pk=result.stay), start


def test_medcoms_own_series_opens_a_leave_and_closes_it(areas, system):
    results = [receive(in_aalborg(name), actor=system) for name in SERIES[:3]]
    assert [r.status for r in results] == ["accepted"] * 3
    period = LeavePeriod.objects.get()
    assert period.status == "ended"
    assert period.from_message
    assert period.start_message.type == "SYGEHUSADVIS_ORLOV_START"
    assert period.end_message.type == "SYGEHUSADVIS_ORLOV_SLUT"
    assert period.started_at is not None and period.ended_at is not None
    assert period.started_at <= period.ended_at


def test_a_received_start_leave_starts_the_planned_trial_discharge(areas, system):
    stay, start = admitted(system)
    planned = writers.plan_leave(
        stay,
        actor=system,
        kind="trial-discharge",
        planned_start=clock.now() - datetime.timedelta(hours=5),
    )
    went = clock.now() - datetime.timedelta(hours=4)
    result = receive(notification("start-leave-inpatient", start=start), actor=system)
    assert result.status == "accepted", result.errors
    planned.refresh_from_db()
    assert planned.status == "started"
    assert planned.start_message == Message.objects.get(type="SYGEHUSADVIS_ORLOV_START")
    assert planned.started_at is not None
    assert planned.started_at >= went - datetime.timedelta(hours=1)
    assert LeavePeriod.objects.count() == 1
    # Received, not sent on: no outbound start-leave goes back.
    assert not Message.objects.filter(type="SYGEHUSADVIS_ORLOV_START", delivery__isnull=False)

    ended = receive(notification("end-leave-inpatient", start=start), actor=system)
    assert ended.status == "accepted", ended.errors
    planned.refresh_from_db()
    assert planned.status == "ended"


def test_a_cancelled_start_leave_takes_the_period_it_opened_away(areas, system):
    _stay, start = admitted(system)
    first = receive(notification("start-leave-inpatient", start=start), actor=system)
    assert LeavePeriod.objects.get().status == "started"
    cancel = notification("cancel-start-leave-inpatient", start=start, refers_to=first.message_id)
    result = receive(cancel, actor=system)
    assert result.status == "accepted", result.errors
    period = LeavePeriod.objects.get()
    assert period.status == "cancelled"
    assert period.started_at is None and period.start_message is None


def test_a_cancelled_start_leave_leaves_a_planned_period_planned(areas, system):
    stay, start = admitted(system)
    writers.plan_leave(
        stay, actor=system, kind="leave", planned_start=clock.now() - datetime.timedelta(hours=5)
    )
    first = receive(notification("start-leave-inpatient", start=start), actor=system)
    receive(
        notification("cancel-start-leave-inpatient", start=start, refers_to=first.message_id),
        actor=system,
    )
    assert LeavePeriod.objects.get().status == "planned"


def test_a_cancelled_end_leave_puts_the_patient_back_on_leave(areas, system):
    _stay, start = admitted(system)
    receive(notification("start-leave-inpatient", start=start), actor=system)
    ended = receive(notification("end-leave-inpatient", start=start), actor=system)
    assert LeavePeriod.objects.get().status == "ended"
    result = receive(
        notification("cancel-end-leave-inpatient", start=start, refers_to=ended.message_id),
        actor=system,
    )
    assert result.status == "accepted", result.errors
    period = LeavePeriod.objects.get()
    assert (period.status, period.ended_at, period.end_message) == ("started", None, None)


def test_a_revised_start_leave_amends_the_message_and_keeps_the_period(areas, system):
    _stay, start = admitted(system)
    first = receive(notification("start-leave-inpatient", start=start), actor=system)
    revised = receive(
        notification("revise-start-leave-inpatient", start=start, refers_to=first.message_id),
        actor=system,
    )
    assert revised.status == "accepted", revised.errors
    assert Message.objects.get(type="SYGEHUSADVIS_ORLOV_START").amended_at is not None
    assert LeavePeriod.objects.get().status == "started"
    assert LeavePeriod.objects.count() == 1


def test_an_end_leave_without_a_leave_is_recorded_only(areas, system):
    _stay, start = admitted(system)
    result = receive(notification("end-leave-inpatient", start=start), actor=system)
    assert result.status == "accepted", result.errors
    assert not LeavePeriod.objects.exists()
    assert Message.objects.filter(type="SYGEHUSADVIS_ORLOV_SLUT").exists()


def test_a_repeated_start_leave_is_accepted_and_starts_nothing_more(areas, system):
    _stay, start = admitted(system)
    receive(notification("start-leave-inpatient", start=start), actor=system)
    again = receive(notification("start-leave-inpatient", start=start), actor=system)
    assert again.status == "accepted", again.errors
    assert LeavePeriod.objects.get().status == "started"
