"""An Oslo patient's stay at OUS, from admission to discharged, in Norwegian (nb), as the
ward physician, the treatment-aids technician and Frogner's case worker do it in their
browsers: the admission notice, the needs, O9 (the aids in place before discharge-ready)
and § 9, the notice, the district's duties from its worklist, the news back at the
hospital, the departure."""

from __future__ import annotations

import pytest

from overgang.aids import actions as aid_actions
from overgang.organisations.models import Role
from overgang.stays.models import Deadline, Stay

from .walk import admit, lend, submit, switch_to, text

AREA = "oslo"
SECTION_9 = 5  # the points of utskrivningsklare § 9 for somatic care


@pytest.fixture
def people(make_user, frogner_case_worker, ous_technician):
    make_user("ous-clinician", ("ous-lunge", Role.CLINICIAN))


@pytest.mark.locale("nb-NO")
def test_an_oslo_stay_from_admission_to_discharged_in_norwegian(
    page, log_in, shot, people, frogner_patient, checked_homes, system, areas, manuals
):
    aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-OUS-9", owner=areas["ous-bhm"]
    )

    # The physician admits the patient and sends the admission notice.
    log_in("ous-clinician")
    admit(page, frogner_patient.pk, link="Legg inn", language="nb")
    stay = Stay.objects.get(patient=frogner_patient)
    assert page.url.endswith(f"/stays/{stay.pk}/")
    page.locator("#id_message_type").select_option("LOG_INNLAGT")
    submit(page, "#message form")
    assert "Melding om innlagt pasient" in text(page, "#timeline")
    assert "Avklare omsorgsnivå og tilbud" in text(page, "#deadlines")
    shot(AREA, "admission")

    # The needs: a CPAP. O9: it must be in place before the patient is discharge-ready.
    page.locator("#need summary").click()
    page.locator("#id_need_kind input[value=aid]").check()
    page.locator("#id_need_description").fill("CPAP om natten mot søvnapné")
    page.locator("#id_need_aid_type").select_option("cpap")
    submit(page, "#need form")
    needs = text(page, "#needs")
    assert "CPAP om natten mot søvnapné" in needs
    assert "000 " in needs, "the needs' tasks cite Oslo's routine"
    assert "001 " not in needs and "004 " not in needs and "003 " not in needs
    blockers = text(page, "#next .blockers")
    assert "CPAP" in blockers and "000 8.0" in blockers
    shot(AREA, "needs")
    for box in page.locator("#documented input[type=checkbox]").all():
        box.check()
    # What the physician wrote for each item (R9, forskrift § 14).
    for written in page.locator("#documented textarea").all():
        written.fill("Vurdert og skrevet i journalen.")
    submit(page, "#documented form")
    submit(page, "#discharge_ready form")
    refusal = text(page, "#refusal")
    assert "Ikke utskrivningsklar ennå" in refusal and "CPAP" in refusal

    # The district's case worker settles the level of care from the worklist.
    switch_to(page, log_in, "oslo-frogner")
    page.goto("/worklist/")
    row = page.locator("#worklist-rows tr", has_text="Avklare omsorgsnivå og tilbud")
    assert "Kari Nordmann" in row.inner_text()
    assert "Rutinen setter ingen frist" in row.inner_text()
    shot(AREA, "worklist-care-level")
    row.locator("details[id^=done-] summary").click()  # not the agreement's "Why?"
    row.locator("input[name=note]").fill("Hjemmesykepleie avklart med Frogner hjemmetjeneste")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert "Merket som utført." in page.locator("main").inner_text()
    assert "Avklare omsorgsnivå" not in text(page, "#worklist-rows")

    # The technician lends the CPAP with its manual; the loan meets the need.
    switch_to(page, log_in, "ous-bhm")
    lend(page, "CP-OUS-9", "Nordmann")
    assert "Kari Nordmann" in text(page, "#loan")
    switch_to(page, log_in, "ous-clinician")
    page.goto(f"/stays/{stay.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="CP-OUS-9 (utlånt) dekker dette behovet").click()
    assert "dekket" in text(page, "#needs")

    # The loan closes the need's assessment, application and delivery: none is left on the
    # worklist to mark by hand (O9 would otherwise still block discharge-ready).
    page.goto("/worklist/")
    for duty in ("Vurdere behovet: CPAP", "Søke: CPAP", "Levere: CPAP"):
        assert duty not in text(page, "main")
    # The training, of the patient and of the home nursing's staff (O9).
    page.goto(f"/stays/{stay.pk}/")
    for trainee, names in (("patient", "Kari Nordmann"), ("staff", "Frogner hjemmesykepleie")):
        page.locator("#training-form summary").click()
        page.locator("#id_training_aid_type").select_option("cpap")
        page.locator(f"#id_training_trainee input[value={trainee}]").check()
        page.locator("#id_training_names").fill(names)
        submit(page, "#training-form form")
    assert "Frogner hjemmesykepleie" in text(page, "#training")
    assert "Alt er på plass" in text(page, "#next")

    # Now the patient can be declared, and the municipality notified (R4's order).
    submit(page, "#discharge_ready form")
    stay.refresh_from_db()
    assert stay.status == "discharge-ready"
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        page.locator("#id_message_type").select_option(code)
        submit(page, "#message form")
    assert "Venter på kommunens svar" in text(page, "#next")
    shot(AREA, "notified")

    # The case worker finds the answer due on the worklist, follows the patient, answers.
    switch_to(page, log_in, "oslo-frogner")
    page.goto("/worklist/")
    row = page.locator("#worklist-rows tr", has_text="Kari Nordmann")
    assert "Kommunens svar" in row.inner_text()
    shot(AREA, "worklist")
    with page.expect_navigation():
        row.get_by_role("link", name="Kari Nordmann").click()
    assert "Svar sykehuset" in text(page, "#answer")
    page.locator("#id_answer_can_receive input[value=yes]").check()
    page.locator("#id_answer_receive_at").fill(page.locator("#id_message_sent_at").input_value())
    page.locator("#id_answer_service").fill("Hjemmesykepleie morgen og kveld")
    submit(page, "#answer form")
    assert "Svaret er sendt til sykehuset." in page.locator("main").inner_text()
    assert "Kommunen tar imot pasienten fra" in text(page, "#next")
    shot(AREA, "answer")

    # The hospital hears of the answer: the menu's count, then the notifications page.
    switch_to(page, log_in, "ous-clinician")
    assert page.locator("#news-count").is_visible()
    with page.expect_navigation():
        page.locator("#news-link").click()
    # Also that the care level was settled (marked done from the worklist above).
    assert "Den andre parten har merket en oppgave som utført" in text(page, "main table")
    news = page.locator(
        "main table tr", has_text="Kommunen har svart på meldingen om utskrivningsklar pasient"
    )
    assert "Kari Nordmann" in news.inner_text()
    shot(AREA, "notifications")
    with page.expect_navigation():
        news.get_by_role("link", name="Kari Nordmann").click()
    assert "Hjemmesykepleie morgen og kveld" in text(page, "#next")

    # The departure: Oslo's routine has no departure checklist; ready to leave, gone.
    assert page.locator("#prepared").count() == 0
    submit(page, "#departure_ready form")
    assert "Utreiseklar" in text(page, "#next")
    submit(page, "#next #discharge form")
    stay.refresh_from_db()
    assert stay.status == "discharged"
    assert "Pasienten er utskrevet." in page.locator("main").inner_text()
    shot(AREA, "discharged")
    assert not Deadline.objects.filter(stay=stay, done_at__isnull=True).exists()
    assert "LOG_UTSKREVET" in set(stay.messages.values_list("type", flat=True))
