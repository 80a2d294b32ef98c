"""A planned Levanger admission from notice to discharge, in Norwegian (nb): HNT plans the
admission ahead, gives its notice of the aids needed before the patient arrives (H4), the
municipality sees its tasks on its worklist before the arrival (H5), the patient arrives,
and the stay goes on to discharge as an emergency one does."""

from __future__ import annotations

import datetime

import pytest

from overgang import clock
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.stays.models import Deadline, Stay

from .walk import submit, switch_to, text

AREA = "levanger-planned"
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


@pytest.mark.locale("nb-NO")
def test_a_planned_levanger_admission_from_notice_to_discharge(
    page, log_in, shot, people, levanger_patient
):
    # HNT plans the admission: the date is set, eight days ahead.
    log_in("hnt-clinician")
    page.goto(f"/patients/{levanger_patient.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Legg inn", exact=True).click()
    planned_for = clock.local_now("Europe/Oslo") + datetime.timedelta(days=8)
    page.locator("#id_admission input[value=planned]").check()
    page.locator("#id_admitted_at").fill(planned_for.strftime("%Y-%m-%dT08:00"))
    page.locator("#id_expected_stay_hours").fill("96")
    shot(AREA, "admit-form")
    submit(page, "main form")
    stay = Stay.objects.get(patient=levanger_patient)
    assert stay.status == "planned"
    assert page.url.endswith(f"/stays/{stay.pk}/")
    planned = text(page, "#planned")
    assert "Varsel om hjelpemiddelbehov" in planned
    assert "002 2" in planned
    assert "straks" in planned
    shot(AREA, "planned")

    # The notice (H4): the wheelchair the patient will need, for more than two years.
    page.locator("#need summary").click()
    page.locator("#id_need_kind input[value=aid]").check()
    page.locator("#id_need_description").fill("Rullestol etter hofteoperasjonen")
    page.locator("#id_need_aid_type").select_option("wheelchair")
    page.locator("#id_need_duration").select_option("long")
    submit(page, "#need form")
    assert Deadline.objects.get(stay=stay, duty="aid-needs-notice").done_at is not None
    assert stay.deadlines.filter(party="municipality", done_at__isnull=True).exists()

    # The municipality has its tasks before the patient arrives (H5: assess, apply to NAV
    # with the signed application).
    switch_to(page, log_in, "levanger-case")
    page.goto("/worklist/")
    rows = text(page, "#worklist-rows")
    assert "Lars Levangsen" in rows
    assert "002 2" in rows
    shot(AREA, "municipal-worklist")
    page.goto(f"/stays/{stay.pk}/")
    assert "Rullestol etter hofteoperasjonen" in text(page, "#needs")
    assert page.locator("#arrived").count() == 0  # the hospital records the arrival

    # The patient arrives; the admission's deadlines start.
    switch_to(page, log_in, "hnt-clinician")
    page.goto(f"/stays/{stay.pk}/")
    submit(page, "#arrived form")
    stay.refresh_from_db()
    assert stay.status == "admitted"
    assert page.locator("#planned").count() == 0
    assert "Status og forventet utskrivning (24 t)" in text(page, "#deadlines")
    shot(AREA, "arrived")

    # On to discharge: § 9, discharge-ready, the notice, the municipality's answer.
    for box in page.locator("#documented input[type=checkbox]").all():
        box.check()
    # What the physician wrote for each item (R9, forskrift § 14).
    for written in page.locator("#documented textarea").all():
        written.fill("Vurdert og skrevet i journalen.")
    submit(page, "#documented form")
    submit(page, "#discharge_ready form")
    stay.refresh_from_db()
    assert stay.status == "discharge-ready"
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        page.locator("#id_message_type").select_option(code)
        submit(page, "#message form")
    assert "Venter på kommunens svar" in text(page, "#next")

    switch_to(page, log_in, "levanger-case")
    page.goto(f"/stays/{stay.pk}/")
    page.locator("#id_answer_can_receive input[value=yes]").check()
    page.locator("#id_answer_receive_at").fill(page.locator("#id_message_sent_at").input_value())
    page.locator("#id_answer_service").fill("Hjemmesykepleie morgen og kveld")
    submit(page, "#answer form")
    assert "Svaret er sendt til sykehuset." in page.locator("main").inner_text()

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
    assert "Pasienten er utskrevet." in page.locator("main").inner_text()
    shot(AREA, "discharged")
    # The notice given before arrival is in the stay's history, done.
    assert Deadline.objects.get(stay=stay, duty="aid-needs-notice").done_at is not None
