"""A trial discharge in the demo (N5): an Aalborg citizen ten days into a stay went home
last weekend with a wheelchair handed out on the weekday before, and a weekend visit is
planned for the next one. The Norwegian routines say nothing of leave, so the demo shows
none there."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from overgang import clock
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.rules.calendar import Calendar
from overgang.stays import actions
from overgang.stays.actions import leave

COPENHAGEN = "Europe/Copenhagen"


def _saturday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


def add_trial_discharge() -> list[str]:
    users = {
        u.username: u for u in User.objects.filter(username__in=["aauh-clinician", "aalborg-case"])
    }
    physician, visitator = users.get("aauh-clinician"), users.get("aalborg-case")
    unit = Organisation.objects.filter(key="aauh-lunge").first()
    patient = (
        Patient.objects.filter(municipality__name__istartswith="Aalborg", stays__isnull=True)
        .order_by("id")
        .first()
    )
    if physician is None or visitator is None or unit is None or patient is None:
        return []
    calendar = Calendar.for_country("DK", COPENHAGEN)
    now = clock.now().replace(second=0, microsecond=0)
    today = calendar.local(now).date()
    went = _saturday_on_or_before(today - datetime.timedelta(days=2))
    next_visit = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)

    def local(day: datetime.date, hour: int) -> datetime.datetime:
        return calendar.at_local(day, datetime.time(hour))

    stay = actions.admit(
        patient,
        actor=physician,
        unit=unit,
        admission="planned",
        admitted_at=now - datetime.timedelta(days=10),
        expected_stay_hours=24 * 21,
    )
    actions.record_message(
        stay,
        "PLEJEFORLOEBSPLAN:foerste",
        actor=physician,
        sent_at=now - datetime.timedelta(days=9, hours=2),
    )
    need = actions.record_need(
        stay,
        actor=physician,
        kind="aid",
        aid_type="wheelchair",
        description="Kørestol til prøveudskrivningen og tiden efter hoftebruddet.",
        purpose="temporary",
        at=now - datetime.timedelta(days=9),
    )
    trial = leave.plan_leave(
        stay,
        actor=physician,
        kind="trial-discharge",
        planned_start=local(went, 10),
        planned_end=local(went + datetime.timedelta(days=1), 18),
    )
    # The revised care plan went to the municipality the morning of the weekday before.
    actions.record_message(
        stay,
        "PLEJEFORLOEBSPLAN:endelig",
        actor=physician,
        sent_at=local(calendar.working_day_on_or_before(went - datetime.timedelta(days=1)), 9),
        payload="Revideret plejeforløbsplan til prøveudskrivningen: kørestol, hjemmepleje "
        "morgen og aften.",
    )
    leave.hand_out_for_leave(
        trial,
        actor=visitator,
        handed_out_on=calendar.working_day_on_or_before(went),
        need=need,
    )
    leave.start_leave(trial, actor=physician, at=local(went, 10))
    leave.end_leave(trial, actor=physician, at=local(went + datetime.timedelta(days=1), 18))
    leave.plan_leave(
        stay,
        actor=physician,
        kind="leave",
        planned_start=local(next_visit, 10),
        planned_end=local(next_visit + datetime.timedelta(days=1), 18),
    )
    return ["1 Aalborg stay with a trial discharge and a weekend visit"]
