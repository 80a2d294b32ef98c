"""Planned admissions from the API and the pages (issue 17): 201 with "status": "planned",
422 naming the field with nothing changed, 404 outside the scope; the admit form, the stay
page's "the patient has arrived" and "cancel", with their form errors."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from overgang import clock
from overgang.stays.models import Deadline, Stay, StayEvent
from overgang.stays.states import StayStatus
from tests.stays.conftest import OSLO

pytestmark = pytest.mark.django_db


def ahead(days: int = 10) -> datetime.datetime:
    return (clock.now() + datetime.timedelta(days=days)).astimezone(OSLO).replace(microsecond=0)


def local(value: datetime.datetime) -> str:
    return value.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")


def browser(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# area -> (patient fixture, physician fixture, case worker fixture, outsider fixture)
AREAS = {
    "oslo": ("frogner_patient", "ous_clinician", "frogner_case_worker", "aalborg_case_worker"),
    "tromso": ("tromso_patient", "unn_physician", "tromso_case_worker", "frogner_case_worker"),
    "levanger": (
        "levanger_patient",
        "hnt_physician",
        "levanger_case_worker",
        "tromso_case_worker",
    ),
    "aalborg": (
        "aalborg_patient",
        "aalborg_physician",
        "aalborg_case_worker",
        "tromso_case_worker",
    ),
}
# The notices each area's agreement opens at planning, a need for aids foreseen (H4, N5).
NOTICES = {
    "oslo": [],
    "tromso": [],
    "levanger": ["aid-needs-notice"],
    "aalborg": ["aid-needs-notice"],
}


def fixtures(request, area):
    return [request.getfixturevalue(name) for name in AREAS[area]]


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_api_plans_an_admission_and_records_the_arrival(request, api_as, area):
    patient, physician, case_worker, outsider = fixtures(request, area)
    api = api_as(physician)
    response = api.post(
        "/stays",
        {
            "patient": patient.pk,
            "admission": "planned",
            "admitted_at": ahead().isoformat(),
            "expected_stay_hours": 72,
            "aid_need_foreseeable": True,
        },
    )
    assert response.status_code == 201, response.content
    stay = response.json()
    assert stay["status"] == "planned"
    assert sorted(d["duty"] for d in stay["deadlines"]) == NOTICES[area]
    assert all(d["party"] == "hospital" for d in stay["deadlines"])

    # Outside the scope the stay does not exist; the municipality is not the one to say
    # the patient arrived; a bad time is 422 naming it: nothing changes.
    assert (
        api_as(outsider).post(f"/stays/{stay['id']}/events", {"event": "arrived"}).status_code
        == 404
    )
    refused = api_as(case_worker).post(f"/stays/{stay['id']}/events", {"event": "arrived"})
    assert refused.status_code == 422, refused.content
    future = api.post(
        f"/stays/{stay['id']}/events", {"event": "arrived", "at": ahead(1).isoformat()}
    )
    assert future.status_code == 422
    assert "at" in future.content.decode()
    assert Stay.objects.get(pk=stay["id"]).status == StayStatus.PLANNED

    arrived = api.post(f"/stays/{stay['id']}/events", {"event": "arrived"})
    assert arrived.status_code == 201, arrived.content
    assert arrived.json()["status"] == "admitted"
    again = api.post(f"/stays/{stay['id']}/events", {"event": "arrived"})
    assert again.status_code == 409


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_api_refuses_what_is_not_a_planned_admission_ahead(request, api_as, area):
    patient, physician, _case_worker, _outsider = fixtures(request, area)
    api = api_as(physician)
    emergency = api.post(
        "/stays",
        {"patient": patient.pk, "admission": "emergency", "admitted_at": ahead().isoformat()},
    )
    assert emergency.status_code == 422
    assert "admitted_at" in emergency.content.decode()
    naive = api.post(
        "/stays",
        {
            "patient": patient.pk,
            "admission": "planned",
            "admitted_at": ahead().replace(tzinfo=None).isoformat(),
        },
    )
    assert naive.status_code == 422
    assert "admitted_at" in naive.content.decode()
    assert not Stay.objects.exists()


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_api_cancels_a_planned_admission_with_its_reason(request, api_as, area):
    patient, physician, _case_worker, outsider = fixtures(request, area)
    api = api_as(physician)
    stay = api.post(
        "/stays",
        {"patient": patient.pk, "admission": "planned", "admitted_at": ahead().isoformat()},
    ).json()
    path = f"/stays/{stay['id']}/events"
    assert (
        api_as(outsider)
        .post(path, {"event": "planned-admission-cancelled", "reason": "x"})
        .status_code
        == 404
    )
    no_reason = api.post(path, {"event": "planned-admission-cancelled"})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.content.decode()
    # An emergency admission meanwhile is a clear 409 naming the planned stay.
    conflict = api.post(
        "/stays",
        {"patient": patient.pk, "admission": "emergency", "admitted_at": clock.now().isoformat()},
    )
    assert conflict.status_code == 409
    assert "planned admission" in conflict.content.decode()
    cancelled = api.post(path, {"event": "planned-admission-cancelled", "reason": "Postponed."})
    assert cancelled.status_code == 201, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    assert api.get("/stays?status=planned").json() == []


def test_the_admit_page_plans_a_levanger_admission(levanger_patient, hnt_physician):
    page = browser(hnt_physician)
    form = page.get(f"/patients/{levanger_patient.pk}/admit/")
    assert form.status_code == 200
    # HNT sets no notice at the pre-examination: the form does not ask.
    assert "aid_need_foreseeable" not in form.content.decode()
    when = ahead(7)
    response = page.post(
        f"/patients/{levanger_patient.pk}/admit/",
        {
            "department": "hnt-levanger-med",
            "admission": "planned",
            "admitted_at": local(when),
            "care": "somatic",
            "expected_stay_hours": "96",
        },
    )
    stay = Stay.objects.get()
    assert response.status_code == 302
    assert stay.status == StayStatus.PLANNED
    shown = page.get(f"/stays/{stay.pk}/").content.decode()
    assert 'id="planned"' in shown
    assert "Notice of aid needs" in shown
    assert "The patient has arrived" in shown


def test_the_admit_page_asks_aalborg_whether_a_need_is_foreseeable(
    aalborg_patient, aalborg_physician
):
    page = browser(aalborg_physician, "da")
    form = page.get(f"/patients/{aalborg_patient.pk}/admit/").content.decode()
    assert "aid_need_foreseeable" in form
    assert "003 3" in form
    page.post(
        f"/patients/{aalborg_patient.pk}/admit/",
        {
            "department": "aauh-lunge",
            "admission": "planned",
            "admitted_at": local(ahead(7)),
            "care": "somatic",
            "aid_need_foreseeable": "on",
        },
    )
    stay = Stay.objects.get()
    assert stay.status == StayStatus.PLANNED
    assert list(Deadline.objects.filter(stay=stay).values_list("duty", flat=True)) == [
        "aid-needs-notice"
    ]


def test_the_admit_page_keeps_an_emergency_admission_ahead_out(levanger_patient, hnt_physician):
    page = browser(hnt_physician)
    when = local(ahead(2))
    response = page.post(
        f"/patients/{levanger_patient.pk}/admit/",
        {
            "department": "hnt-levanger-med",
            "admission": "emergency",
            "admitted_at": when,
            "care": "somatic",
        },
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "The time of admission cannot be in the future." in content
    assert f'value="{when}"' in content  # the input is kept
    assert not Stay.objects.exists()


def test_the_stay_page_records_the_arrival_and_the_cancellation(
    levanger_patient, hnt_physician, levanger_case_worker, tromso_case_worker, api_as
):
    stay_id = (
        api_as(hnt_physician)
        .post(
            "/stays",
            {
                "patient": levanger_patient.pk,
                "admission": "planned",
                "admitted_at": ahead().isoformat(),
            },
        )
        .json()["id"]
    )
    ward = browser(hnt_physician)
    # The municipality sees the planned stay and its notice, but not the hospital's steps.
    municipal = browser(levanger_case_worker).get(f"/stays/{stay_id}/").content.decode()
    assert "Notice of aid needs" in municipal
    assert f'action="/stays/{stay_id}/arrived/' not in municipal
    # Outsiders: 404, nothing changes.
    outsider = browser(tromso_case_worker).post(
        f"/stays/{stay_id}/arrived/", {"at": local(clock.now())}
    )
    assert outsider.status_code == 404
    # A form error stays on the page with the input.
    future = local(ahead(1))
    refused = ward.post(f"/stays/{stay_id}/arrived/", {"at": future})
    assert refused.status_code == 422
    assert "cannot be in the future" in refused.content.decode()
    empty = ward.post(f"/stays/{stay_id}/cancel_planned/", {"reason": ""})
    assert empty.status_code == 422
    assert Stay.objects.get(pk=stay_id).status == StayStatus.PLANNED

    arrived = ward.post(f"/stays/{stay_id}/arrived/", {"at": local(clock.now())})
    assert arrived.status_code == 302
    stay = Stay.objects.get(pk=stay_id)
    assert stay.status == StayStatus.ADMITTED
    assert StayEvent.objects.filter(stay=stay, name="arrived").exists()
    assert 'id="planned"' not in ward.get(f"/stays/{stay_id}/").content.decode()


def test_the_stay_page_shows_why_a_planned_admission_was_cancelled(
    levanger_patient, hnt_physician, api_as
):
    stay_id = (
        api_as(hnt_physician)
        .post(
            "/stays",
            {
                "patient": levanger_patient.pk,
                "admission": "planned",
                "admitted_at": ahead().isoformat(),
            },
        )
        .json()["id"]
    )
    ward = browser(hnt_physician)
    done = ward.post(f"/stays/{stay_id}/cancel_planned/", {"reason": "The operation is postponed."})
    assert done.status_code == 302
    shown = ward.get(f"/stays/{stay_id}/").content.decode()
    assert "The operation is postponed." in shown
    assert Stay.objects.get(pk=stay_id).status == StayStatus.CANCELLED
