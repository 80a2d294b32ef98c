"""A ventilator pair from lending to return: the technician lends both units with the manual,
the municipality reports them for pickup from the phone page, the unit agrees the pickup
and checks the devices in, which closes the return."""

import datetime
import io

from django.utils import timezone
from pypdf import PdfReader

from overgang.aids import actions
from overgang.aids.models import Device, ReturnRequest


def switch_user(page, log_in, username: str):
    page.context.clear_cookies()
    return log_in(username)


def test_a_ventilator_pair_goes_out_complete_and_comes_back_by_pickup(
    page,
    log_in,
    ous_technician,
    frogner_case_worker,
    frogner_patient,
    checked_homes,
    manuals,
    system,
    areas,
):
    for serial in ("HV-B1", "HV-B2"):
        actions.register_device(
            actor=system, aid_type="home-ventilator", serial=serial, owner=areas["ous-bhm"]
        )
    log_in("ous-bhm")
    page.goto("/devices/HV-B1/")
    page.locator("#id_find").fill("Nordmann")
    page.locator("#patient-choices input[name=patient]").first.check()
    page.locator("#id_companions").fill("HV-B2")
    page.locator("#id_manual_handed_over").check()
    page.locator("#id_instruction_given").check()
    with page.expect_navigation():
        page.locator("form[action*='/lend/'] button[type=submit]").click()
    assert set(Device.objects.values_list("status", flat=True)) == {"on-loan"}
    loan_card = page.locator("#loan").inner_text()
    assert "HV-B2" in loan_card
    assert page.locator("#outstanding").count() == 0, "both units, manuals, instruction: complete"
    slip = page.request.get(page.locator("a[href*='/slip.pdf']").get_attribute("href"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.body())).pages)
    assert "HV-B1" in text and "HV-B2" in text

    switch_user(page, log_in, "oslo-frogner")
    page.goto("/d/HV-B1/")
    with page.expect_navigation():
        page.locator("a[href$='/return-request/']").click()
    page.locator("input[name=method][value=pickup]").check()
    page.locator("input[name=reported_for][value=relative]").check()
    page.locator("#id_contact_name").fill("Ola Nordmann")
    page.locator("#id_contact_phone").fill("912 34 567")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    request = ReturnRequest.objects.get()
    assert request.loans.count() == 2 and request.status == "requested"

    switch_user(page, log_in, "ous-bhm")
    page.goto("/returns/")
    with page.expect_navigation():
        page.locator(f"a[href='/returns/{request.pk}/']").click()
    when = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=9, minute=30)
    page.locator("#id_appointment").fill(when.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.locator("#schedule button[type=submit]").click()
    request.refresh_from_db()
    assert request.status == "scheduled"
    assert timezone.localtime(request.appointment).strftime("%H:%M") == "09:30"

    for serial in ("HV-B1", "HV-B2"):
        page.goto(f"/d/{serial}/")
        with page.expect_navigation():
            page.locator("form[action$='/check-in/'] button[type=submit]").click()
    request.refresh_from_db()
    assert request.status == "done"
    assert set(Device.objects.values_list("status", flat=True)) == {"returned"}
