"""An Aalborg trial discharge with aids handed out on a weekday (N5, seed 003 section 3), in
Danish, as the ward physician does it: the trial discharge is planned for a Saturday, the
page says the aids go out on the weekday before; a wheelchair entered as handed out on the
Saturday comes back with the error next to the day, on the Friday it is recorded; the
start goes to Aalborg municipality as the hospital notification "orlov påbegyndt"."""

from __future__ import annotations

import datetime

import pytest

from overgang import clock
from overgang.organisations.models import Role
from overgang.rules.calendar import Calendar
from overgang.stays import actions
from overgang.stays.models import LeaveAid, LeavePeriod, Message

from .walk import submit, text

AREA = "aalborg"
DK = Calendar.for_country("DK", "Europe/Copenhagen")


def last_saturday_before(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


@pytest.fixture
def stay(make_user, aalborg_patient, areas):
    physician = make_user("aauh-clinician", ("aauh-lunge", Role.CLINICIAN))
    stay = actions.admit(
        aalborg_patient,
        actor=physician,
        unit=areas["aauh-lunge"],
        admission="planned",
        admitted_at=clock.now() - datetime.timedelta(days=14),
        expected_stay_hours=24 * 21,
    )
    actions.record_need(
        stay,
        actor=physician,
        kind="aid",
        aid_type="wheelchair",
        description="Kørestol til prøveudskrivningen",
        purpose="temporary",
    )
    return stay


@pytest.mark.locale("da-DK")
def test_an_aalborg_trial_discharge_with_aids_handed_out_on_a_weekday(page, log_in, shot, stay):
    saturday = last_saturday_before(DK.local(clock.now()).date())
    weekday = DK.working_day_on_or_before(saturday)
    log_in("aauh-clinician")
    page.goto(f"/stays/{stay.pk}/")
    section = "#leave-periods"
    assert "Ingen prøveudskrivning eller orlov planlagt." in text(page, section)

    page.locator("#leave-plan summary").click()
    page.locator("#id_leave_plan_kind input[value=trial-discharge]").check()
    page.locator("#id_leave_plan_planned_start").fill(f"{saturday.isoformat()}T10:00")
    page.locator("#id_leave_plan_planned_end").fill(
        f"{(saturday + datetime.timedelta(days=1)).isoformat()}T18:00"
    )
    submit(page, "#leave-plan form")
    period = LeavePeriod.objects.get(stay=stay)
    shown = text(page, section)
    assert "Prøveudskrivning" in shown
    assert "hjælpemidler udleveres kun på hverdage" in shown and "(003 3)" in shown
    assert "Hjælpemidler udleveres senest" in shown
    # The hospital's final care plan and the municipality's hand-out are on the worklists.
    assert "Endelig plejeforløbsplan" in text(page, "#deadlines")
    shot(AREA, "leave-planned")

    # A hand-out on the Saturday breaks the weekday rule: the error stands on the day.
    page.locator(f"#leave-aid-{period.pk} summary").click()
    aid = f"#id_leave{period.pk}_aid_aid"
    page.locator(aid).select_option(label="Kørestol")
    day = f"#id_leave{period.pk}_aid_handed_out_on"
    page.locator(day).fill(saturday.isoformat())
    submit(page, f"#leave-aid-{period.pk} form")
    error = text(page, f"{day}_error")
    assert "kun på hverdage" in error and "003 3" in error
    assert page.locator(day).input_value() == saturday.isoformat()  # the input is kept
    assert not LeaveAid.objects.exists()
    shot(AREA, "leave-weekend-refused")

    page.locator(day).fill(weekday.isoformat())
    submit(page, f"#leave-aid-{period.pk} form")
    assert "Hjælpemidler, der kom med hjem:" in text(page, section)
    assert "Kørestol" in text(page, f"#leave-{period.pk} .leave-aids")
    assert LeaveAid.objects.get().handed_out_on == weekday

    # The citizen goes home; Aalborg municipality is sent the hospital notification.
    page.locator(f"#leave-{period.pk} details", has_text="Patienten er taget hjem").locator(
        "summary"
    ).click()
    page.locator(f"#id_leave{period.pk}_start_at").fill(f"{saturday.isoformat()}T10:00")
    submit(page, f"#leave-{period.pk} form[action*='/start/']")
    period.refresh_from_db()
    assert period.status == "started"
    assert Message.objects.filter(stay=stay, type="SYGEHUSADVIS_ORLOV_START").exists()
    assert "Sygehusadvis – orlov påbegyndt" in text(page, "main")
    shot(AREA, "leave-started")
