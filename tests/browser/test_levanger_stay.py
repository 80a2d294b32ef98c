"""A Levanger patient's stay at Sykehuset Levanger, from admission to discharged, as the
discharge coordinator, the treatment-aids technician and the municipal case worker do it
in their browsers: needs, loan, training, discharge-ready, the municipality's answer, the
departure."""

from __future__ import annotations

import pytest

from overgang.aids import actions as aid_actions
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.stays.models import Deadline, Need, Stay

SECTION_9 = 5


@pytest.fixture
def levanger_patient(system, areas):
    return patient_actions.create_patient(
        actor=system,
        national_id_number="12035610039",  # fictitious, valid check digits
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
    )


@pytest.fixture
def people(make_user):
    make_user("hnt-clinician", ("hnt-levanger-med", Role.CLINICIAN))
    make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))
    make_user("stolav-bhm", ("stolav-bhm", Role.AIDS_STAFF))


def switch_to(page, log_in, username: str) -> None:
    page.context.clear_cookies()
    log_in(username)


def submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def test_a_levanger_stay_from_admission_to_discharged(
    page, log_in, shot, people, levanger_patient, system, areas, manuals
):
    aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-LEV-7", owner=areas["stolav-bhm"]
    )

    # The physician admits the patient from the patient's page.
    log_in("hnt-clinician")
    page.goto(f"/patients/{levanger_patient.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Admit").click()
    page.locator("#id_admission input[value=emergency]").check()
    page.locator("#id_expected_stay_hours").fill("72")
    submit(page, "main form")
    stay = Stay.objects.get(patient=levanger_patient)
    assert page.url.endswith(f"/stays/{stay.pk}/")
    # R1 "ved behov": supplementary information only once the ward asks for it.
    assert "Supplementary information" not in page.locator("#deadlines").inner_text()
    page.locator("#supplementary summary").click()
    page.locator("#id_supplementary_note").fill("Medicines list")
    submit(page, "#supplementary form")
    assert "Supplementary information" in page.locator("#deadlines").inner_text()
    shot("levanger", "admission")

    # H1: the needs, one of them an aid; the agreement gives the hospital the application.
    page.locator("#need summary").click()
    page.locator("#id_need_kind input[value=aid]").check()
    page.locator("#id_need_description").fill("CPAP at night for sleep apnoea")
    page.locator("#id_need_aid_type").select_option("cpap")
    submit(page, "#need form")
    need = Need.objects.get(stay=stay)
    assert "Apply: CPAP" in page.locator("#needs").inner_text()
    shot("levanger", "needs")

    # The application goes to St. Olavs by phone: done another way, on the worklist.
    page.goto("/worklist/")
    row = page.locator("tr", has_text="Apply: CPAP")
    row.locator("summary").click()
    row.locator("input[name=note]").fill("Requisition phoned to St. Olavs at 10:15")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert Deadline.objects.get(need=need, duty="aid-application").done_at is not None

    # The technician lends the CPAP with its manual.
    switch_to(page, log_in, "stolav-bhm")
    page.goto("/devices/CP-LEV-7/")
    page.locator("#id_find").fill("Levangsen")
    choice = page.locator("#patient-choices input[name=patient]").first
    choice.wait_for()
    choice.check()
    page.locator("form[action*='/lend/'] input[name=manual_handed_over]").check()
    with page.expect_navigation():
        page.locator("form[action*='/lend/'] button[type=submit]").click()
    assert "Lars Levangsen" in page.locator("#loan").inner_text()

    # Back on the stay: the loan fulfils the need; the patient is trained.
    switch_to(page, log_in, "hnt-clinician")
    page.goto(f"/stays/{stay.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="CP-LEV-7 on loan fulfils this need").click()
    need.refresh_from_db()
    assert need.status == "met"
    page.locator("#training-form summary").click()
    page.locator("#id_training_aid_type").select_option("cpap")
    page.locator("#id_training_trainee input[value=patient]").check()
    page.locator("#id_training_names").fill("Lars Levangsen")
    page.locator("#id_training_written_procedures").fill("Cleaning of the mask")
    submit(page, "#training-form form")
    assert "Cleaning of the mask" in page.locator("#training").inner_text()

    # Refused while § 9 is open; then documented and declared.
    submit(page, "#discharge_ready form")
    assert "Not discharge-ready yet" in page.locator("#refusal").inner_text()
    for box in page.locator("#documented input[type=checkbox]").all():
        box.check()
    submit(page, "#documented form")
    assert page.locator("#documented input[type=checkbox]:checked").count() == SECTION_9
    submit(page, "#discharge_ready form")
    stay.refresh_from_db()
    assert stay.status == "discharge-ready"

    # R4: updated health information first, then the notice.
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        page.locator("#id_message_type").select_option(code)
        submit(page, "#message form")
    assert "Waiting for the municipality's answer" in page.locator("#next").inner_text()

    # The case worker sees the answer due at once on the worklist, and answers.
    switch_to(page, log_in, "levanger-case")
    page.goto("/worklist/")
    assert "The municipality's answer" in page.locator("#worklist-rows").inner_text()
    shot("levanger", "worklist")
    page.goto(f"/stays/{stay.pk}/")
    page.locator("#id_answer_can_receive input[value=yes]").check()
    page.locator("#id_answer_receive_at").fill(page.locator("#id_message_sent_at").input_value())
    page.locator("#id_answer_service").fill("Home nursing morning and evening")
    submit(page, "#answer form")
    stay.refresh_from_db()
    assert stay.can_receive is True
    shot("levanger", "answer")

    # The departure: the checklist, the discharge report, ready to leave, gone.
    switch_to(page, log_in, "hnt-clinician")
    page.goto(f"/stays/{stay.pk}/")
    for box in page.locator("#prepared input[type=checkbox]").all():
        box.check()
    submit(page, "#prepared form")
    page.locator("#id_message_type").select_option("UTSKRIVNINGSRAPPORT")
    submit(page, "#message form")
    submit(page, "#departure_ready form")
    stay.refresh_from_db()
    assert stay.status == "departure-ready"
    submit(page, "#next #discharge form")
    stay.refresh_from_db()
    assert stay.status == "discharged"
    assert "discharged" in page.locator("h1").inner_text().lower()
    shot("levanger", "discharged")
    assert not Deadline.objects.filter(stay=stay, done_at__isnull=True).exists()
    assert {"EPIKRISE", "LOG_UTSKREVET"} <= set(stay.messages.values_list("type", flat=True))
