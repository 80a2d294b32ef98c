"""A specialist's requisition in the browser, from the stay to the delivery at discharge: the
physician at Sykehuset Levanger requisitions an oxygen concentrator for an inpatient; St.
Olavs' regional treatment-aids unit grants it, reserves a device and prints the decision
letter; at discharge the unit records the delivery and the device is on loan."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from overgang.aids import actions as aid_actions
from overgang.aids.models import Device, Loan
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.requisitions.models import Requisition
from overgang.stays import actions as stays


@pytest.fixture
def levanger_inpatient(system, areas, make_user):
    physician = make_user("hnt-clinician", ("hnt-levanger-med", Role.CLINICIAN))
    make_user("stolav-bhm", ("stolav-bhm", Role.AIDS_STAFF))
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number="12035610039",  # fictitious, valid check digits
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
    )
    stays.admit(
        patient,
        actor=physician,
        unit=areas["hnt-levanger-med"],
        admission="emergency",
        admitted_at=timezone.now() - datetime.timedelta(hours=20),
        expected_stay_hours=96,
    )
    return patient


def switch_to(page, log_in, username: str) -> None:
    page.context.clear_cookies()
    log_in(username)


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{selector} button[type=submit]").first.click()


def test_a_specialists_requisition_through_decision_reservation_and_delivery(
    page, log_in, levanger_inpatient, system, areas
):
    aid_actions.register_device(
        actor=system, aid_type="oxygen-concentrator", serial="STO-OC-9", owner=areas["stolav-bhm"]
    )

    # The physician requisitions from the patient's page; the stay is chosen already.
    log_in("hnt-clinician")
    page.goto(f"/patients/{levanger_inpatient.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Requisition a treatment aid").click()
    page.locator("#id_aid_type").select_option("oxygen-concentrator")
    page.locator("#id_requester_role").select_option("gp")
    page.locator("#id_justification").fill("KOLS IV, pO2 7,1 kPa i hvile.")
    submit(page, "main form")
    # A GP may not requisition a concentrator outside palliative care: the cited refusal.
    assert "002 4" in page.locator(".field.invalid").first.inner_text()
    page.locator("#id_requester_role").select_option("specialist-physician")
    submit(page, "main form")
    requisition = Requisition.objects.get()
    assert page.url.endswith(f"/requisitions/{requisition.pk}/")
    assert "Regional enhet for behandlingshjelpemidler" in page.inner_text("main")

    # The unit finds it in its queue, grants it and reserves the device.
    switch_to(page, log_in, "stolav-bhm")
    page.goto("/requisitions/")
    with page.expect_navigation():
        page.locator(f"a[href='/requisitions/{requisition.pk}/']").click()
    page.locator("#decide input[name=approved][value=yes]").check()
    page.locator("#decide_reason").fill("Oppfyller kriteriene for langtids oksygenbehandling.")
    page.locator("#decide_device").select_option("STO-OC-9")
    submit(page, "form[action*='/decide/']")
    assert Device.objects.get(serial="STO-OC-9").status == "reserved"
    main = page.inner_text("main")
    assert "handed out at discharge" in main and "§ 2-1 b" in main
    letter = page.request.get(f"/requisitions/{requisition.pk}/letter-nb.pdf")
    assert letter.ok and letter.headers["content-type"] == "application/pdf"

    # It is on the list of aids to deliver, by the expected discharge.
    page.goto("/requisitions/?show=to-deliver")
    assert "STO-OC-9" in page.inner_text("main")

    # At discharge the unit hands it out: the device is lent to the patient.
    page.goto(f"/requisitions/{requisition.pk}/")
    page.locator("#deliver input[name=instruction_given]").check()
    submit(page, "form[action*='/deliver/']")
    loan = Loan.objects.get(device__serial="STO-OC-9")
    assert loan.patient == levanger_inpatient and loan.delivery == "handed-out"
    requisition.refresh_from_db()
    assert requisition.status == "delivered" and requisition.loan == loan
