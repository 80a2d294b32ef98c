"""O5, 000 4.0: anyone responsible reports a failed device and is told what to do now; the
unit that lent it takes it back, repairs it and reprocesses it before the next loan."""

import pytest
from django.conf import settings

from overgang.aids import actions, failures
from overgang.aids.models import Device, DeviceTransition, FailureReport
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(ventilator, frogner_patient, system, areas):
    """An Oslo patient with both units of a ventilator (000 4.0), this one the first."""
    first = actions.lend_device(ventilator, frogner_patient, actor=system)
    second = actions.register_device(
        actor=system, aid_type="home-ventilator", serial="HV-0002", owner=areas["ous-bhm"]
    )
    actions.lend_device(second, frogner_patient, actor=system)
    return first


@pytest.fixture
def frogner_home_nurse(make_user):
    return make_user("frogner-nurse", ("oslo-frogner-hjemmesykepleie", "home-nurse"))


@pytest.fixture
def report(loan, frogner_case_worker):
    return failures.report_failure(
        loan.device, actor=frogner_case_worker, description="Alarm: low pressure."
    )


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def status_of(device) -> str:
    device.refresh_from_db()
    return device.status


# The writers


def test_the_case_worker_of_the_patient_reports_a_failure_of_the_lent_ventilator(
    loan, frogner_case_worker
):
    report = failures.report_failure(
        loan.device,
        actor=frogner_case_worker,
        description="  Alarm: low pressure.  ",
        danger_to_life=True,
    )
    assert report.loan == loan
    assert report.reported_by == frogner_case_worker
    assert report.description == "Alarm: low pressure."
    assert report.criticality == "life-sustaining"
    assert report.status == "open"
    assert report.advice.emergency_number == "113"
    assert status_of(loan.device) == "on-loan", "the device stays with the patient"
    change = ChangeRecord.objects.get(model="aids.failurereport", object_id=str(report.pk))
    assert change.actor == frogner_case_worker
    assert change.changes["description"] == [None, "Alarm: low pressure."]


def test_a_failure_of_a_device_at_the_unit_has_no_loan(ventilator, ous_technician):
    report = failures.report_failure(ventilator, actor=ous_technician, description="Cracked case")
    assert report.loan is None
    assert report.criticality == "life-sustaining"


@pytest.mark.parametrize(
    ("aid_type", "criticality"), [("oxygen-concentrator", "oxygen"), ("cpap", "other")]
)
def test_the_criticality_follows_the_aid_type(system, areas, ous_technician, aid_type, criticality):
    device = actions.register_device(
        actor=system, aid_type=aid_type, serial="X-1", owner=areas["ous-bhm"]
    )
    report = failures.report_failure(device, actor=ous_technician, description="Broken")
    assert report.criticality == criticality


def test_a_danish_device_gives_the_danish_emergency_number(system, areas):
    device = actions.register_device(
        actor=system, aid_type="cpap", serial="DK-1", owner=areas["rn-depot"]
    )
    report = failures.report_failure(
        device, actor=system, description="Virker ikke", danger_to_life=True
    )
    assert report.advice.emergency_number == "112"
    # Not on loan, so no patient and no agreement: Oslo's "wait for the next working day"
    # (000 4.0) is not Denmark's to give.
    assert report.advice.service_on is None
    assert not any("000" in step.citation for step in report.advice.steps)


def test_a_report_without_a_description_is_refused(loan, frogner_case_worker):
    with pytest.raises(InvalidInput) as raised:
        failures.report_failure(loan.device, actor=frogner_case_worker, description="  ")
    assert "description" in raised.value.errors
    assert not FailureReport.objects.exists()


def test_a_discarded_device_cannot_be_reported(ventilator, system):
    actions.discard_device(ventilator, actor=system, reason="old")
    with pytest.raises(Conflict):
        failures.report_failure(ventilator, actor=system, description="Broken")


def test_a_device_on_loan_cannot_go_to_repair_before_its_return(report, loan, ous_technician):
    with pytest.raises(Conflict) as raised:
        failures.send_to_repair(report, actor=ous_technician)
    assert "register the return first" in str(raised.value)
    assert status_of(loan.device) == "on-loan"
    report.refresh_from_db()
    assert report.status == "open"

    actions.return_loan(loan, actor=ous_technician)
    report = failures.send_to_repair(report, actor=ous_technician)
    assert report.status == "in-repair"
    assert status_of(loan.device) == "in-repair"
    move = DeviceTransition.objects.filter(device=loan.device).first()
    assert (move.old, move.new, move.actor) == ("returned", "in-repair", ous_technician)
    assert move.details == {"failure": report.pk}


def test_resolving_sends_a_repaired_device_to_reprocessing(report, loan, ous_technician):
    actions.return_loan(loan, actor=ous_technician)
    failures.send_to_repair(report, actor=ous_technician)
    report = failures.resolve_failure(
        report, actor=ous_technician, resolution="  New pressure sensor.  "
    )
    assert report.status == "resolved"
    assert report.resolution == "New pressure sensor."
    assert report.resolved_at is not None
    assert status_of(loan.device) == "reprocessing", "reprocessed before the next loan"
    with pytest.raises(Conflict):
        actions.lend_device(loan.device, loan.patient, actor=ous_technician)
    actions.reprocess_device(
        loan.device, actor=ous_technician, technical_check="passed", disinfection="thermal 90 °C"
    )
    assert status_of(loan.device) == "available"
    changes = ChangeRecord.objects.filter(model="aids.failurereport", object_id=str(report.pk))
    assert changes.count() == 3, "reported, in repair, resolved"


def test_a_failure_resolved_without_repair_leaves_the_device_with_the_patient(
    report, loan, ous_technician
):
    failures.resolve_failure(report, actor=ous_technician, resolution="Filter was blocked.")
    assert status_of(loan.device) == "on-loan"


def test_a_resolution_must_say_what_was_done(report, ous_technician):
    with pytest.raises(InvalidInput) as raised:
        failures.resolve_failure(report, actor=ous_technician, resolution=" ")
    assert "resolution" in raised.value.errors
    report.refresh_from_db()
    assert report.status == "open"


def test_a_resolved_failure_is_not_resolved_or_repaired_again(report, ous_technician):
    failures.resolve_failure(report, actor=ous_technician, resolution="No fault found.")
    with pytest.raises(Conflict):
        failures.resolve_failure(report, actor=ous_technician, resolution="Again")
    with pytest.raises(Conflict):
        failures.send_to_repair(report, actor=ous_technician)


def test_the_device_stays_in_repair_until_its_last_failure_is_resolved(
    report, loan, ous_technician
):
    second = failures.report_failure(loan.device, actor=ous_technician, description="Loose plug")
    actions.return_loan(loan, actor=ous_technician)
    failures.send_to_repair(report, actor=ous_technician)
    failures.send_to_repair(second, actor=ous_technician)
    failures.resolve_failure(report, actor=ous_technician, resolution="New sensor")
    assert status_of(loan.device) == "in-repair"
    failures.resolve_failure(second, actor=ous_technician, resolution="New plug")
    assert status_of(loan.device) == "reprocessing"


# Who may report and repair


def test_those_who_see_the_patient_may_report_and_others_may_not(
    loan, frogner_case_worker, frogner_home_nurse, ous_technician, tromso_case_worker
):
    for user in (frogner_case_worker, frogner_home_nurse, ous_technician):
        assert Device.objects.restrict(user, VIEW).filter(pk=loan.device.pk).exists()
    assert not Device.objects.restrict(tromso_case_worker, VIEW).filter(pk=loan.device.pk).exists()


def test_only_the_unit_manages_failures(report, frogner_case_worker, ous_technician):
    assert FailureReport.objects.restrict(frogner_case_worker, VIEW).filter(pk=report.pk).exists()
    assert (
        not FailureReport.objects.restrict(frogner_case_worker, MANAGE_DEVICES)
        .filter(pk=report.pk)
        .exists()
    )
    assert (
        FailureReport.objects.restrict(ous_technician, MANAGE_DEVICES).filter(pk=report.pk).exists()
    )


# The pages


def test_the_case_worker_reports_a_failure_and_sees_what_to_do_now(
    as_user, loan, frogner_case_worker
):
    client = as_user(frogner_case_worker)
    form = client.get("/devices/HV-0001/failures/new/")
    assert form.status_code == 200
    assert "Call 113 now, before you fill in this form." in form.content.decode()

    answer = client.post(
        "/devices/HV-0001/failures/new/",
        {"description": "Alarm: low pressure.", "danger_to_life": "on"},
    )
    report = FailureReport.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/devices/HV-0001/failures/{report.pk}/"
    page = client.get(answer["Location"]).content.decode()
    assert '<a class="emergency-number" href="tel:113">113</a>' in page
    assert page.index("call 113 now") < page.index("Switch to the second unit now")
    assert "000 4.0" in page
    assert "/rules/seeds/000/#L151" in page
    assert "Send to repair" not in page, "the case worker does not repair"


def test_an_empty_report_is_refused_on_the_page(as_user, loan, frogner_case_worker):
    page = as_user(frogner_case_worker).post("/devices/HV-0001/failures/new/", {"description": ""})
    assert page.status_code == 422
    assert "Describe what is wrong with the device." in page.content.decode()
    assert not FailureReport.objects.exists()


def test_an_outsider_finds_no_device_to_report(as_user, loan, tromso_case_worker):
    client = as_user(tromso_case_worker)
    assert client.get("/devices/HV-0001/failures/new/").status_code == 404
    answer = client.post("/devices/HV-0001/failures/new/", {"description": "Broken"})
    assert answer.status_code == 404
    assert not FailureReport.objects.exists()


def test_an_outsider_does_not_see_a_report(as_user, report, tromso_case_worker):
    page = as_user(tromso_case_worker).get(f"/devices/HV-0001/failures/{report.pk}/")
    assert page.status_code == 404


def test_the_case_worker_may_not_send_to_repair_or_resolve(
    as_user, report, loan, frogner_case_worker, ous_technician
):
    actions.return_loan(loan, actor=ous_technician)
    client = as_user(frogner_case_worker)
    assert client.post(f"/devices/HV-0001/failures/{report.pk}/repair/").status_code == 404
    resolve = client.post(
        f"/devices/HV-0001/failures/{report.pk}/resolve/", {"resolution": "fixed"}
    )
    assert resolve.status_code == 404
    report.refresh_from_db()
    assert report.status == "open"
    assert status_of(loan.device) == "returned"


def test_the_technician_repairs_after_the_return_and_resolves(
    as_user, report, loan, ous_technician
):
    client = as_user(ous_technician)
    repair = f"/devices/HV-0001/failures/{report.pk}/repair/"
    refused = client.post(repair)
    assert refused.status_code == 409
    assert "register the return first" in refused.content.decode()

    actions.return_loan(loan, actor=ous_technician)
    assert client.post(repair).status_code == 302
    assert status_of(loan.device) == "in-repair"

    resolve = f"/devices/HV-0001/failures/{report.pk}/resolve/"
    empty = client.post(resolve, {"resolution": ""})
    assert empty.status_code == 422
    assert "Say how the failure was resolved." in empty.content.decode()
    done = client.post(resolve, {"resolution": "New pressure sensor."}, follow=True)
    assert done.status_code == 200
    assert "The failure is resolved. HV-0001 is reprocessing." in done.content.decode()
    assert status_of(loan.device) == "reprocessing"


def test_the_device_page_lists_open_failures_with_their_advice(
    as_user, report, frogner_case_worker, ous_technician
):
    page = as_user(frogner_case_worker).get("/devices/HV-0001/").content.decode()
    assert 'href="/devices/HV-0001/failures/new/"' in page
    assert "Alarm: low pressure." in page
    assert "Switch to the second unit now" in page
    assert "Send to repair" not in page
    managers = as_user(ous_technician).get("/devices/HV-0001/").content.decode()
    assert "Send to repair" in managers and "Mark resolved" in managers
    assert f'id="failure-{report.pk}-resolution"' in managers

    failures.resolve_failure(report, actor=ous_technician, resolution="No fault found.")
    page = as_user(ous_technician).get("/devices/HV-0001/").content.decode()
    assert "Alarm: low pressure." not in page
    assert "No open failures." in page


def test_the_phone_page_has_a_big_report_button(as_user, loan, frogner_case_worker):
    page = as_user(frogner_case_worker).get("/d/HV-0001/").content.decode()
    assert (
        '<a class="button big failure" href="/devices/HV-0001/failures/new/">Report a failure</a>'
        in page
    )


# The API


def test_the_api_reports_a_failure_with_its_advice(api_as, loan, frogner_case_worker):
    answer = api_as(frogner_case_worker).post(
        "/devices/HV-0001/failures", {"description": "Alarm", "danger_to_life": True}
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["device"] == "HV-0001"
    assert body["loan"] == loan.pk
    assert body["status"] == "open"
    assert body["criticality"] == "life-sustaining"
    assert body["device_status"] == "on-loan"
    advice = body["advice"]
    assert advice["emergency_number"] == "113"
    assert advice["steps"][0]["emergency"] is True
    assert advice["steps"][0]["text"] == "Danger to life and health: call 113 now."
    assert advice["steps"][0]["texts"]["da"] == "Fare for liv og helbred: ring 113 nu."
    assert {step["citation"] for step in advice["steps"]} == {"000 4.0"}


def test_the_api_names_the_empty_field(api_as, report, loan, frogner_case_worker, ous_technician):
    empty = api_as(frogner_case_worker).post("/devices/HV-0001/failures", {"description": " "})
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "description"]
    resolve = api_as(ous_technician).post(f"/failures/{report.pk}/resolve", {"resolution": ""})
    assert resolve.status_code == 422
    assert resolve.json()["detail"][0]["loc"] == ["body", "resolution"]


def test_the_api_hides_what_is_out_of_scope(
    api_as, report, tromso_case_worker, frogner_case_worker
):
    outsider = api_as(tromso_case_worker)
    assert outsider.post("/devices/HV-0001/failures", {"description": "x"}).status_code == 404
    assert outsider.post(f"/failures/{report.pk}/repair").status_code == 404
    case_worker = api_as(frogner_case_worker)
    assert case_worker.post(f"/failures/{report.pk}/repair").status_code == 404
    resolved = case_worker.post(f"/failures/{report.pk}/resolve", {"resolution": "x"})
    assert resolved.status_code == 404
    assert FailureReport.objects.get().status == "open"


def test_the_api_repairs_after_the_return_and_resolves(api_as, report, loan, ous_technician):
    api = api_as(ous_technician)
    refused = api.post(f"/failures/{report.pk}/repair")
    assert refused.status_code == 409
    assert "register the return first" in refused.json()["detail"]
    actions.return_loan(loan, actor=ous_technician)
    repaired = api.post(f"/failures/{report.pk}/repair")
    assert repaired.status_code == 200
    assert (repaired.json()["status"], repaired.json()["device_status"]) == (
        "in-repair",
        "in-repair",
    )
    resolved = api.post(f"/failures/{report.pk}/resolve", {"resolution": "New sensor"})
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["device_status"] == "reprocessing"
    assert resolved.json()["resolution"] == "New sensor"


def test_the_unit_is_told_to_take_a_lent_device_back_before_repairing_it(
    as_user, report, ous_technician
):
    page = as_user(ous_technician).get(f"/devices/HV-0001/failures/{report.pk}/")
    assert page.status_code == 200
    assert "The device is on loan: register its return first." in page.content.decode()
