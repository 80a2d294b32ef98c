"""Returns on the pages (O8): the municipality reports, the unit agrees the pickup and checks
the devices in; outsiders see nothing."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from overgang.aids import actions
from overgang.aids.models import ReturnRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def loan(ventilator, frogner_patient, system):
    return actions.lend_device(ventilator, frogner_patient, actor=system)


PICKUP = {
    "method": "pickup",
    "reported_for": "relative",
    "contact_name": "Ola Nordmann",
    "contact_phone": "912 34 567",
    "note": "Door code 1234",
}


def test_the_case_worker_reports_a_pickup_from_the_device_page(as_user, frogner_case_worker, loan):
    client = as_user(frogner_case_worker)
    page = client.get("/devices/HV-0001/")
    assert "/devices/HV-0001/return-request/" in page.content.decode()
    form = client.get("/devices/HV-0001/return-request/")
    assert form.status_code == 200 and "HV-0001" in form.content.decode()
    sent = client.post("/devices/HV-0001/return-request/", {**PICKUP, "loans": [loan.pk]})
    assert sent.status_code == 302
    request = ReturnRequest.objects.get()
    assert (request.requested_by, request.address, request.note) == (
        frogner_case_worker,
        "Skovveien 12",
        "Door code 1234",
    )
    assert "Reported for return" in client.get("/devices/HV-0001/").content.decode()


def test_a_pickup_without_phone_is_a_form_error_and_nothing_is_reported(
    as_user, frogner_case_worker, loan
):
    page = as_user(frogner_case_worker).post(
        "/devices/HV-0001/return-request/",
        {"method": "pickup", "reported_for": "patient", "loans": [loan.pk]},
    )
    assert page.status_code == 422
    assert "contact_phone" in page.context["form"].errors
    assert not ReturnRequest.objects.exists()


def test_a_second_report_is_409_with_the_date_of_the_first(as_user, frogner_case_worker, loan):
    client = as_user(frogner_case_worker)
    client.post("/devices/HV-0001/return-request/", {**PICKUP, "loans": [loan.pk]})
    again = client.post("/devices/HV-0001/return-request/", {**PICKUP, "loans": [loan.pk]})
    assert again.status_code == 409 and "already reported" in again.content.decode()
    assert ReturnRequest.objects.count() == 1


def test_outsiders_cannot_report_or_see_a_return(
    as_user, tromso_case_worker, frogner_case_worker, loan
):
    request = actions.request_return(
        [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
    )
    client = as_user(tromso_case_worker)
    assert client.get("/devices/HV-0001/return-request/").status_code == 404
    assert client.post("/devices/HV-0001/return-request/", PICKUP).status_code == 404
    assert client.get(f"/returns/{request.pk}/").status_code == 404
    assert client.post(f"/returns/{request.pk}/cancel/", {"reason": "x"}).status_code == (404)
    assert client.get("/returns/").status_code == 403
    request.refresh_from_db()
    assert request.status == "requested"


def test_the_unit_agrees_the_pickup_and_the_check_in_closes_the_return(
    as_user, ous_technician, frogner_case_worker, loan
):
    request = actions.request_return(
        [loan],
        actor=frogner_case_worker,
        method="pickup",
        reported_for="patient",
        contact_phone="912 34 567",
    )
    client = as_user(ous_technician)
    worklist = client.get("/returns/")
    assert [item.pk for item in worklist.context["page"].object_list] == [request.pk]
    when = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    agreed = client.post(
        f"/returns/{request.pk}/schedule/", {"appointment": when.strftime("%Y-%m-%dT%H:%M")}
    )
    assert agreed.status_code == 302
    request.refresh_from_db()
    assert request.status == "scheduled" and request.appointment == when
    checked_in = client.post("/d/HV-0001/check-in/", {"loan": loan.pk})
    assert checked_in.status_code == 302
    request.refresh_from_db()
    assert request.status == "done"
    assert list(client.get("/returns/").context["page"].object_list) == []
    assert [i.pk for i in client.get("/returns/", {"show": "all"}).context["page"].object_list] == [
        request.pk
    ]


def test_a_pickup_without_a_time_is_a_form_error(
    as_user, ous_technician, frogner_case_worker, loan
):
    request = actions.request_return(
        [loan],
        actor=frogner_case_worker,
        method="pickup",
        reported_for="patient",
        contact_phone="912 34 567",
    )
    page = as_user(ous_technician).post(f"/returns/{request.pk}/schedule/", {"appointment": ""})
    assert page.status_code == 422
    assert "appointment" in page.context["schedule_form"].errors
    request.refresh_from_db()
    assert request.status == "requested"


def test_the_municipality_cannot_agree_pickups(as_user, frogner_case_worker, loan):
    request = actions.request_return(
        [loan],
        actor=frogner_case_worker,
        method="pickup",
        reported_for="patient",
        contact_phone="912 34 567",
    )
    page = as_user(frogner_case_worker).post(
        f"/returns/{request.pk}/schedule/", {"appointment": "2031-01-02T10:00"}
    )
    assert page.status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"


def test_the_reporter_takes_a_report_back_with_a_reason(as_user, frogner_case_worker, loan):
    request = actions.request_return(
        [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
    )
    client = as_user(frogner_case_worker)
    empty = client.post(f"/returns/{request.pk}/cancel/", {"reason": ""})
    assert empty.status_code == 422
    done = client.post(f"/returns/{request.pk}/cancel/", {"reason": "Still needed."})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"


def test_the_worklist_sorts_agreed_pickups_first(
    as_user, system, areas, ous_technician, frogner_case_worker, frogner_patient, loan
):
    cpap = actions.register_device(
        actor=system, aid_type="cpap", serial="CP-1", owner=areas["ous-bhm"]
    )
    other = actions.lend_device(cpap, frogner_patient, actor=system)
    first = actions.request_return(
        [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
    )
    second = actions.request_return(
        [other],
        actor=frogner_case_worker,
        method="pickup",
        reported_for="patient",
        contact_phone="1",
    )
    actions.schedule_pickup(second, actor=ous_technician, at=timezone.now())
    client = as_user(ous_technician)
    due = [i.pk for i in client.get("/returns/").context["page"].object_list]
    assert due == [second.pk, first.pk]
    reported = [
        i.pk for i in client.get("/returns/", {"sort": "reported"}).context["page"].object_list
    ]
    assert reported == [first.pk, second.pk]


def test_the_patient_page_lists_the_aids_on_loan(
    as_user, frogner_case_worker, loan, frogner_patient
):
    page = as_user(frogner_case_worker).get(f"/patients/{frogner_patient.pk}/")
    assert [item.pk for item in page.context["loans"]] == [loan.pk]
    assert "HV-0001" in page.content.decode() and "Report for return" in page.content.decode()


def test_an_over_long_note_is_refused_on_its_field_and_nothing_is_reported(
    as_user, frogner_case_worker, loan
):
    # The note is optional: once it was dropped silently and the return reported without it.
    page = as_user(frogner_case_worker).post(
        "/devices/HV-0001/return-request/", {**PICKUP, "note": "x" * 1001, "loans": [loan.pk]}
    )
    assert page.status_code == 422
    assert re.search(
        r'<p class="error" role="alert" id="id_note_error">[^<]*at most 1000 characters',
        page.content.decode(),
    )
    assert not ReturnRequest.objects.exists()
