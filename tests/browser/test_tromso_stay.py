"""A Tromsø patient's stay at UNN, from admission to discharged, in Norwegian (nb), as the
ward physician and the municipal case worker do it in their browsers: the needs, § 9 in
the record, discharge-ready, the notice, the municipality's answer from its worklist, the
news back at the hospital, the departure."""

from __future__ import annotations

import pytest

from overgang.aids import actions as aid_actions
from overgang.organisations.models import Role
from overgang.stays.models import Deadline, Stay

from .walk import admit, lend, submit, switch_to, text

AREA = "tromso"
SECTION_9 = 5  # the points of utskrivningsklare § 9 for somatic care


@pytest.fixture
def people(make_user):
    make_user("unn-clinician", ("unn-lunge", Role.CLINICIAN))
    make_user("tromso-case", ("tromso-tildeling", Role.CASE_WORKER))
    make_user("unn-bhm", ("unn-bhm", Role.AIDS_STAFF))


@pytest.mark.locale("nb-NO")
def test_a_tromso_stay_from_admission_to_discharged_in_norwegian(
    page, log_in, shot, people, tromso_patient, system, areas, manuals
):
    aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-UNN-3", owner=areas["unn-bhm"]
    )

    # The physician admits the patient from the patient's page.
    log_in("unn-clinician")
    admit(page, tromso_patient.pk, link="Legg inn", language="nb")
    stay = Stay.objects.get(patient=tromso_patient)
    assert page.url.endswith(f"/stays/{stay.pk}/")
    assert "Neste steg" in text(page, "#next")
    shot(AREA, "admission")

    # The needs: a CPAP, which UNN's procedure gives the specialist service to apply for.
    page.locator("#need summary").click()
    page.locator("#id_need_kind input[value=aid]").check()
    page.locator("#id_need_description").fill("CPAP om natten mot søvnapné")
    page.locator("#id_need_aid_type").select_option("cpap")
    submit(page, "#need form")
    needs = text(page, "#needs")
    assert "CPAP om natten mot søvnapné" in needs
    assert "Søke" in needs
    assert "001" in needs, "the needs' tasks cite UNN's procedure"
    assert "000 " not in needs and "004 " not in needs and "003 " not in needs
    shot(AREA, "needs")

    # The treatment-aids section lends the CPAP with its manual; the loan meets the need.
    switch_to(page, log_in, "unn-bhm")
    lend(page, "CP-UNN-3", "Nordlys")
    assert "Nils Nordlys" in text(page, "#loan")
    switch_to(page, log_in, "unn-clinician")
    page.goto(f"/stays/{stay.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="CP-UNN-3 (utlånt) dekker dette behovet").click()
    assert "dekket" in text(page, "#needs")

    # Refused while § 9 is open; the points are documented, then the patient is declared.
    submit(page, "#discharge_ready form")
    assert "Ikke utskrivningsklar ennå" in text(page, "#refusal")
    boxes = page.locator("#documented input[type=checkbox]")
    assert boxes.count() == SECTION_9
    for box in boxes.all():
        box.check()
    # What the physician wrote for each item (R9, forskrift § 14).
    for written in page.locator("#documented textarea").all():
        written.fill("Vurdert og skrevet i journalen.")
    submit(page, "#documented form")
    submit(page, "#discharge_ready form")
    stay.refresh_from_db()
    assert stay.status == "discharge-ready"
    assert "Varsle kommunen" in text(page, "#next")

    # R4: updated health information first, then the notice of a discharge-ready patient.
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        page.locator("#id_message_type").select_option(code)
        submit(page, "#message form")
    assert "Venter på kommunens svar" in text(page, "#next")
    shot(AREA, "notified")

    # The case worker finds the answer due on the worklist, follows the patient, answers.
    switch_to(page, log_in, "tromso-case")
    page.goto("/worklist/")
    assert page.locator("h1").inner_text() == "Arbeidsliste"
    row = page.locator("#worklist-rows tr", has_text="Nils Nordlys")
    assert "Kommunens svar" in row.inner_text()
    shot(AREA, "worklist")
    with page.expect_navigation():
        row.get_by_role("link", name="Nils Nordlys").click()
    assert page.url.endswith(f"/stays/{stay.pk}/")
    assert "Svar sykehuset" in text(page, "#answer")
    page.locator("#id_answer_can_receive input[value=yes]").check()
    page.locator("#id_answer_receive_at").fill(page.locator("#id_message_sent_at").input_value())
    page.locator("#id_answer_service").fill("Hjemmesykepleie morgen og kveld")
    submit(page, "#answer form")
    assert "Svaret er sendt til sykehuset." in page.locator("main").inner_text()
    assert "Kommunen tar imot pasienten fra" in text(page, "#next")
    shot(AREA, "answer")
    page.goto("/worklist/")
    assert "Nils Nordlys" not in text(page, "#worklist-rows")

    # The hospital hears of the answer: the menu's count, then the notifications page.
    switch_to(page, log_in, "unn-clinician")
    assert page.locator("#news-count").is_visible()
    with page.expect_navigation():
        page.locator("#news-link").click()
    assert page.locator("h1").inner_text() == "Varsler"
    news = page.locator("main table tr", has_text="Nils Nordlys")
    assert "Kommunen har svart på meldingen om utskrivningsklar pasient" in news.inner_text()
    shot(AREA, "notifications")
    with page.expect_navigation():
        news.get_by_role("link", name="Nils Nordlys").click()
    assert "Hjemmesykepleie morgen og kveld" in text(page, "#next")

    # The departure: UNN's procedure has no departure checklist; ready to leave, gone.
    assert page.locator("#prepared").count() == 0
    submit(page, "#departure_ready form")
    stay.refresh_from_db()
    assert stay.status == "departure-ready"
    assert "Utreiseklar" in text(page, "#next")
    submit(page, "#next #discharge form")
    stay.refresh_from_db()
    assert stay.status == "discharged"
    assert "Pasienten er utskrevet." in page.locator("main").inner_text()
    assert "utskrevet" in page.locator("h1").inner_text().lower()
    shot(AREA, "discharged")
    assert not Deadline.objects.filter(stay=stay, done_at__isnull=True).exists()
    assert "LOG_UTSKREVET" in set(stay.messages.values_list("type", flat=True))
