"""A technician's round with one device: lend → loan slip → return → reprocess → lend again."""

from overgang.aids import actions
from overgang.aids.models import Device, Loan


def lend_to(page, name: str) -> None:
    page.locator("#id_find").fill(name.split()[-1])
    choice = page.locator("#patient-choices input[name=patient]").first
    choice.wait_for()
    choice.check()
    with page.expect_navigation():
        page.locator("form[action*='/lend/'] button[type=submit]").click()


def test_a_technician_lends_prints_the_slip_takes_back_reprocesses_and_lends_again(
    page, log_in, ous_technician, frogner_patient, system, areas
):
    actions.register_device(
        actor=system, aid_type="cpap", serial="CP-ROUND", owner=areas["ous-bhm"]
    )
    log_in("ous-bhm")
    page.goto("/devices/CP-ROUND/")

    lend_to(page, frogner_patient.name)
    assert Device.objects.get(serial="CP-ROUND").status == "on-loan"
    assert frogner_patient.name in page.locator("#loan").inner_text()

    slip_link = page.locator("a[href*='/slip.pdf']")
    slip = page.request.get(slip_link.get_attribute("href"))
    assert slip.status == 200
    assert slip.headers["content-type"] == "application/pdf"
    assert slip.body().startswith(b"%PDF")

    with page.expect_navigation():
        page.locator("form[action*='/return/'] button[type=submit]").click()
    assert Device.objects.get(serial="CP-ROUND").status == "returned"

    # The reprocess form: a failed attempt first (no disinfection), then the real one.
    page.locator("#reprocess input[value=passed]").check()
    with page.expect_navigation():
        page.locator("#reprocess button[type=submit]").click()
    assert page.locator("#reprocess .error").count() >= 1
    assert Device.objects.get(serial="CP-ROUND").status == "returned"
    page.locator("#reprocess input[value=passed]").check()
    page.locator("#reprocess input[name=disinfection]").fill("thermal 90 °C")
    with page.expect_navigation():
        page.locator("#reprocess button[type=submit]").click()
    assert Device.objects.get(serial="CP-ROUND").status == "available"
    assert "thermal 90 °C" in page.content()

    lend_to(page, frogner_patient.name)
    assert Device.objects.get(serial="CP-ROUND").status == "on-loan"
    assert Loan.objects.filter(device__serial="CP-ROUND").count() == 2
