"""The parts of the pathway side by side: a planned stay, an outpatient episode and an
inpatient stay are different things, and what belongs to one is refused on the others with
a message that says why, nothing changed. Leave (N5) is a break in an inpatient stay: not
before the patient has arrived, and not in an outpatient episode, where the patient is at
home all along."""

from __future__ import annotations

import datetime

import pytest

from overgang import clock
from overgang.stays.models import LeavePeriod, Stay

pytestmark = pytest.mark.django_db

LEAVE = {"kind": "trial-discharge"}


def _ahead(days: int) -> str:
    return (clock.now() + datetime.timedelta(days=days)).replace(microsecond=0).isoformat()


@pytest.fixture
def aauh_api(api_as, aalborg_physician):
    return api_as(aalborg_physician)


def _open(aauh_api, aalborg_patient, admission: str, admitted_at: str) -> dict:
    response = aauh_api.post(
        "/stays",
        {"patient": aalborg_patient.pk, "admitted_at": admitted_at, "admission": admission},
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize(
    ("admission", "admitted_at", "refusal"),
    [
        ("planned", _ahead(10), "not arrived"),
        ("outpatient", _ahead(0), "outpatient episode"),
    ],
    ids=["planned", "outpatient"],
)
def test_leave_is_refused_before_arrival_and_in_an_outpatient_episode(
    aauh_api, aalborg_patient, admission, admitted_at, refusal
):
    stay = _open(aauh_api, aalborg_patient, admission, admitted_at)
    response = aauh_api.post(f"/stays/{stay['id']}/leaves", {**LEAVE, "planned_start": _ahead(12)})
    assert response.status_code == 409, response.content
    assert refusal in response.json()["detail"]
    assert not LeavePeriod.objects.filter(stay_id=stay["id"]).exists()


def test_leave_is_planned_once_the_planned_patient_has_arrived(aauh_api, aalborg_patient):
    stay = _open(aauh_api, aalborg_patient, "planned", _ahead(10))
    planned = Stay.objects.get(pk=stay["id"])
    planned.admitted_at = clock.now() - datetime.timedelta(hours=1)
    planned.save(update_fields=["admitted_at"])
    arrived = aauh_api.post(f"/stays/{stay['id']}/events", {"event": "arrived"})
    assert arrived.status_code == 201, arrived.content
    response = aauh_api.post(f"/stays/{stay['id']}/leaves", {**LEAVE, "planned_start": _ahead(3)})
    assert response.status_code == 201, response.content


def test_an_outpatient_episode_is_not_planned_for_a_time_ahead(aauh_api, aalborg_patient):
    response = aauh_api.post(
        "/stays",
        {"patient": aalborg_patient.pk, "admitted_at": _ahead(5), "admission": "outpatient"},
    )
    assert response.status_code == 422
    assert "admitted_at" in str(response.json())
    assert not Stay.objects.filter(patient=aalborg_patient).exists()


def test_a_planned_admission_waits_for_the_open_outpatient_episode_to_close(
    aauh_api, aalborg_patient
):
    _open(aauh_api, aalborg_patient, "outpatient", _ahead(0))
    response = aauh_api.post(
        "/stays",
        {"patient": aalborg_patient.pk, "admitted_at": _ahead(10), "admission": "planned"},
    )
    assert response.status_code == 409
    assert "outpatient episode" in response.json()["detail"]
    assert Stay.objects.filter(patient=aalborg_patient).count() == 1


@pytest.mark.parametrize(
    ("admission", "days"), [("planned", 10), ("outpatient", 0)], ids=["planned", "outpatient"]
)
def test_the_stay_page_offers_no_leave_before_arrival_or_in_an_episode(
    client, aauh_api, aalborg_patient, aalborg_physician, admission, days
):
    stay = _open(aauh_api, aalborg_patient, admission, _ahead(days))
    client.force_login(aalborg_physician)
    page = client.get(f"/stays/{stay['id']}/").content.decode()
    assert 'id="leave-periods"' not in page


def test_an_admitted_stay_offers_leave(client, aalborg_stay, aalborg_physician):
    client.force_login(aalborg_physician)
    page = client.get(f"/stays/{aalborg_stay.pk}/").content.decode()
    assert 'id="leave-periods"' in page


@pytest.mark.parametrize("event", ["admission-date-set", "pre-examination", "discharge-planned"])
def test_an_outpatient_episode_records_no_inpatient_event(aauh_api, aalborg_patient, event):
    stay = _open(aauh_api, aalborg_patient, "outpatient", _ahead(0))
    response = aauh_api.post(
        f"/stays/{stay['id']}/events", {"event": event, "discharge_at": _ahead(3)}
    )
    assert response.status_code == 409
    assert "outpatient episode" in response.json()["detail"]
    episode = Stay.objects.get(pk=stay["id"])
    assert episode.expected_discharge is None
    assert not episode.deadlines.exists()
    assert not episode.events.exclude(name="admitted").exists()


def test_the_episode_page_offers_no_inpatient_event_and_the_planned_page_no_death(
    client, aauh_api, aalborg_patient, levanger_patient, aalborg_physician, api_as, hnt_physician
):
    episode = _open(aauh_api, aalborg_patient, "outpatient", _ahead(0))
    planned = api_as(hnt_physician).post(
        "/stays",
        {"patient": levanger_patient.pk, "admitted_at": _ahead(9), "admission": "planned"},
    )
    assert planned.status_code == 201, planned.content
    client.force_login(aalborg_physician)
    episode_page = client.get(f"/stays/{episode['id']}/").content.decode()
    assert 'id="event"' not in episode_page
    assert 'id="death"' in episode_page
    client.force_login(hnt_physician)
    planned_page = client.get(f"/stays/{planned.json()['id']}/").content.decode()
    assert 'id="death"' not in planned_page
    assert 'id="event"' in planned_page  # the pre-examination comes before the arrival


def test_a_leave_recorded_by_hand_is_on_the_stays_timeline(tromso_stay, unn_physician):
    from overgang.stays.actions import leave
    from overgang.stays.timeline import entries

    gone = clock.now() - datetime.timedelta(hours=5)
    back = clock.now() - datetime.timedelta(hours=1)
    period = leave.plan_leave(
        tromso_stay, actor=unn_physician, kind="leave", planned_start=gone, planned_end=back
    )
    leave.start_leave(period, actor=unn_physician, at=gone)
    leave.end_leave(period, actor=unn_physician, at=back)
    shown = {(e.at, e.text) for e in entries(tromso_stay)}
    assert (gone, "Leave (weekend visit): the patient left the hospital") in shown
    assert (back, "Leave (weekend visit): the patient is back") in shown
