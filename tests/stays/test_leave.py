"""Trial discharges and leave on a stay (N5, seed 003 section 3), through the API: a period
is planned, started and ended; on a Danish stay its start and end go to the municipality as
MedCom's start-leave / end-leave; the aids that go home are handed out on a weekday no later
than the start unless the period is a housing change or a very specialised aid. Every
endpoint answers 404 outside scope and 422 naming the field, with nothing changed."""

from __future__ import annotations

import pytest
from lxml import etree

from overgang.aids import actions as aid_actions
from overgang.audit.models import ChangeRecord
from overgang.exchange.models import Delivery
from overgang.stays import actions
from overgang.stays.models import Deadline, LeaveAid, LeavePeriod, Message
from tests.stays.conftest import at

pytestmark = pytest.mark.django_db

SATURDAY = "2026-03-28T10:00:00+01:00"  # the day after the stays' admission
SUNDAY_EVENING = "2026-03-29T18:00:00+02:00"
TRIAL = {"kind": "trial-discharge", "planned_start": SATURDAY, "planned_end": SUNDAY_EVENING}
FHIR = {"f": "http://hl7.org/fhir"}


@pytest.fixture
def aauh_api(api_as, aalborg_physician):
    return api_as(aalborg_physician)


@pytest.fixture
def outsider_api(api_as, frogner_case_worker):
    return api_as(frogner_case_worker)


@pytest.fixture
def need(aalborg_stay, aalborg_physician):
    return actions.record_need(
        aalborg_stay,
        actor=aalborg_physician,
        kind="aid",
        aid_type="wheelchair",
        description="Kørestol til weekendbesøget",
        purpose="temporary",
    )


def test_n5_a_planned_trial_discharge_puts_the_care_plan_and_the_hand_out_on_worklists(
    aauh_api, aalborg_stay
):
    response = aauh_api.post(f"/stays/{aalborg_stay.pk}/leaves", TRIAL)
    assert response.status_code == 201, response.content
    leave = response.json()
    assert leave["status"] == "planned"
    assert leave["hand_out_by"] == "2026-03-27"  # Saturday start: the Friday before
    assert leave["cites"] == ["003 3"]
    duties = {
        (d.duty, d.party, d.due.isoformat())
        for d in Deadline.objects.filter(stay=aalborg_stay, rule__contains=".leave.")
    }
    assert duties == {
        ("leave-final-care-plan", "hospital", "2026-03-27T11:00:00+00:00"),
        ("leave-aids-handed-out", "municipality", "2026-03-27T22:59:59+00:00"),
    }
    assert ChangeRecord.objects.filter(model="stays.leaveperiod", actor__username="aauh-clinician")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "holiday"}, "kind"),
        ({"planned_end": "2026-03-28T09:00:00+01:00"}, "planned_end"),
        ({"planned_start": "2026-03-28T10:00:00"}, "planned_start"),  # no offset
        ({"exception": "housing-change"}, "exception_reason"),
        ({"exception": "moving-house", "exception_reason": "x"}, "exception"),
    ],
)
def test_a_bad_plan_is_422_naming_the_field_and_nothing_is_planned(
    aauh_api, aalborg_stay, change, field
):
    response = aauh_api.post(f"/stays/{aalborg_stay.pk}/leaves", {**TRIAL, **change})
    assert response.status_code == 422
    assert field in {e["loc"][-1] for e in response.json()["detail"]}
    assert not LeavePeriod.objects.exists()
    assert not Deadline.objects.filter(rule__contains=".leave.").exists()


def test_outsiders_and_unknown_periods_get_404(aauh_api, outsider_api, aalborg_stay):
    base = f"/stays/{aalborg_stay.pk}/leaves"
    assert outsider_api.post(base, TRIAL).status_code == 404
    assert outsider_api.get(base).status_code == 404
    leave = aauh_api.post(base, TRIAL).json()
    assert outsider_api.post(f"{base}/{leave['id']}/start", {}).status_code == 404
    assert (
        outsider_api.post(f"{base}/{leave['id']}/aids", {"handed_out_on": "2026-03-27"}).status_code
        == 404
    )
    assert aauh_api.post(f"{base}/999999/start", {}).status_code == 404
    assert aauh_api.post(f"{base}/{leave['id']}/finish", {}).status_code == 404
    assert LeavePeriod.objects.get().status == "planned"


def test_aids_handed_out_on_the_weekend_are_refused_on_the_day_field(aauh_api, aalborg_stay, need):
    base = f"/stays/{aalborg_stay.pk}/leaves"
    leave = aauh_api.post(base, TRIAL).json()
    refused = aauh_api.post(
        f"{base}/{leave['id']}/aids", {"need": need.pk, "handed_out_on": "2026-03-28"}
    )
    assert refused.status_code == 422
    (error,) = refused.json()["detail"]
    assert error["loc"][-1] == "handed_out_on"
    assert "weekday" in error["msg"] and "003 3" in error["msg"]
    assert not LeaveAid.objects.exists()
    friday = aauh_api.post(
        f"{base}/{leave['id']}/aids", {"need": need.pk, "handed_out_on": "2026-03-27"}
    )
    assert friday.status_code == 201, friday.content
    # The municipality's duty to hand the aids out for the leave is done.
    handout = Deadline.objects.get(stay=aalborg_stay, rule__endswith=".aids-handed-out")
    assert handout.done_at is not None and not handout.late  # done in time
    shown = aauh_api.get(base).json()[0]
    assert [a["need"] for a in shown["aids"]] == [need.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"handed_out_on": "2026-03-27"}, "loan"),  # neither loan nor need
        ({"handed_out_on": "2026-03-27", "loan": 999999}, "loan"),
        ({"handed_out_on": "2026-03-27", "need": 999999}, "need"),
        ({"handed_out_on": "27.03.2026", "need": 1}, "handed_out_on"),
    ],
)
def test_a_bad_aid_is_422(aauh_api, aalborg_stay, body, field):
    leave = aauh_api.post(f"/stays/{aalborg_stay.pk}/leaves", TRIAL).json()
    response = aauh_api.post(f"/stays/{aalborg_stay.pk}/leaves/{leave['id']}/aids", body)
    assert response.status_code == 422
    assert field in {e["loc"][-1] for e in response.json()["detail"]}
    assert not LeaveAid.objects.exists()


@pytest.mark.parametrize("exception", ["housing-change", "very-specialised-aid"])
def test_n5_an_exception_is_recorded_with_its_reason_and_lifts_the_weekday_rule(
    aauh_api, aalborg_stay, need, exception
):
    base = f"/stays/{aalborg_stay.pk}/leaves"
    body = {**TRIAL, "exception": exception, "exception_reason": "Ny bolig med lift"}
    leave = aauh_api.post(base, body).json()
    assert leave["exception"] == exception and leave["exception_reason"] == "Ny bolig med lift"
    assert leave["hand_out_by"] is None
    # Neither the weekday rule nor the notice holds: no duty is put on a worklist.
    assert not Deadline.objects.filter(rule__contains=".leave.").exists()
    saturday = aauh_api.post(
        f"{base}/{leave['id']}/aids", {"need": need.pk, "handed_out_on": "2026-03-28"}
    )
    assert saturday.status_code == 201, saturday.content


def test_starting_and_ending_a_danish_leave_sends_start_leave_and_end_leave(aauh_api, aalborg_stay):
    base = f"/stays/{aalborg_stay.pk}/leaves"
    leave = aauh_api.post(base, TRIAL).json()
    started = aauh_api.post(f"{base}/{leave['id']}/start", {"at": SATURDAY})
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "started"
    assert aauh_api.post(f"{base}/{leave['id']}/start", {"at": SATURDAY}).status_code == 409
    ended = aauh_api.post(f"{base}/{leave['id']}/end", {"at": SUNDAY_EVENING})
    assert ended.json()["status"] == "ended"
    sent = list(Message.objects.filter(stay=aalborg_stay).order_by("id"))
    assert [m.type for m in sent] == ["SYGEHUSADVIS_ORLOV_START", "SYGEHUSADVIS_ORLOV_SLUT"]
    period = LeavePeriod.objects.get()
    assert (period.start_message, period.end_message) == (sent[0], sent[1])
    activities = []
    for message in sent:
        delivery = Delivery.objects.get(message=message)
        assert delivery.state == "queued", delivery.problem
        assert delivery.document is not None
        root = etree.fromstring(bytes(delivery.document))
        activities.append(
            root.find(".//f:Provenance/f:activity/f:coding/f:code", FHIR).get("value")
        )
        encounter = root.find(".//f:Encounter/f:status", FHIR).get("value")
        assert encounter == ("onleave" if message == sent[0] else "in-progress")
    assert activities == ["start-leave-inpatient", "end-leave-inpatient"]


def test_ending_before_the_start_is_422(aauh_api, aalborg_stay):
    base = f"/stays/{aalborg_stay.pk}/leaves"
    leave = aauh_api.post(base, TRIAL).json()
    aauh_api.post(f"{base}/{leave['id']}/start", {"at": SATURDAY})
    response = aauh_api.post(f"{base}/{leave['id']}/end", {"at": "2026-03-28T09:00:00+01:00"})
    assert response.status_code == 422
    assert LeavePeriod.objects.get().status == "started"


def test_the_municipality_does_not_start_a_danish_leave(
    api_as, aalborg_case_worker, aauh_api, aalborg_stay
):
    base = f"/stays/{aalborg_stay.pk}/leaves"
    leave = aauh_api.post(base, TRIAL).json()
    response = api_as(aalborg_case_worker).post(f"{base}/{leave['id']}/start", {"at": SATURDAY})
    assert response.status_code == 409
    assert not Message.objects.exists()


def test_the_final_care_plan_fulfils_the_leaves_care_plan_duty(
    aauh_api, aalborg_stay, aalborg_physician
):
    aauh_api.post(f"/stays/{aalborg_stay.pk}/leaves", TRIAL)
    actions.record_message(
        aalborg_stay,
        "PLEJEFORLOEBSPLAN:endelig",
        actor=aalborg_physician,
        sent_at=at("2026-03-27 09:00"),
    )
    duty = Deadline.objects.get(duty="leave-final-care-plan")
    assert duty.done_at is not None and not duty.late


def test_a_cancelled_leave_withdraws_its_duties(aauh_api, aalborg_stay):
    base = f"/stays/{aalborg_stay.pk}/leaves"
    leave = aauh_api.post(base, TRIAL).json()
    assert aauh_api.post(f"{base}/{leave['id']}/cancel", {"reason": " "}).status_code == 422
    response = aauh_api.post(f"{base}/{leave['id']}/cancel", {"reason": "Feber"})
    assert response.json()["status"] == "cancelled"
    assert all(d.outcome == "withdrawn" for d in Deadline.objects.filter(rule__contains=".leave."))


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger"])
def test_a_norwegian_leave_is_recorded_only(api_as, stays_of, area):
    stay, physician = stays_of[area]
    api = api_as(physician)
    base = f"/stays/{stay.pk}/leaves"
    leave = api.post(base, {"kind": "leave", "planned_start": SATURDAY}).json()
    assert (leave["rule"], leave["cites"], leave["hand_out_by"]) == ("", [], None)
    assert not Deadline.objects.filter(rule__contains=".leave.").exists()
    # No routine names an exception: none is accepted.
    refused = api.post(
        base,
        {
            "kind": "leave",
            "planned_start": SATURDAY,
            "exception": "housing-change",
            "exception_reason": "x",
        },
    )
    assert refused.status_code == 422
    assert api.post(f"{base}/{leave['id']}/start", {"at": SATURDAY}).json()["status"] == "started"
    assert not Message.objects.filter(stay=stay).exists()  # PLO has no leave message


def test_a_loan_goes_home_for_the_leave_and_shows_on_it(aauh_api, aalborg_stay, system, areas):
    device = aid_actions.register_device(
        actor=system, aid_type="wheelchair", serial="KS-AAL-1", owner=areas["aalborg-depot"]
    )
    loan = aid_actions.lend_device(device, aalborg_stay.patient, actor=system)
    base = f"/stays/{aalborg_stay.pk}/leaves"
    leave = aauh_api.post(base, TRIAL).json()
    path = f"{base}/{leave['id']}/aids"
    refused = aauh_api.post(path, {"loan": loan.pk, "handed_out_on": "2026-03-29"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "handed_out_on"
    response = aauh_api.post(path, {"loan": loan.pk, "handed_out_on": "2026-03-26"})
    assert response.status_code == 201, response.content
    assert aauh_api.get(base).json()[0]["aids"][0]["loan"] == loan.pk
