"""A Levanger patient's stay at Sykehuset Levanger, from admission to discharged, in Norwegian
(nb), as the discharge coordinator, the treatment-aids technician and the municipal case
worker do it in their browsers: supplementary information asked for, the needs, the loan,
the training, § 9, discharge-ready, the municipality's answer from its worklist, the news
back at the hospital, the departure checklist, the departure."""

from __future__ import annotations

import pytest

from overgang.aids import actions as aid_actions
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.stays.models import Deadline, Need, Stay

from .walk import admit, lend, submit, switch_to, text

AREA = "levanger"
SECTION_9 = 5  # the points of utskrivningsklare § 9 for somatic care


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


@pytest.mark.locale("nb-NO")
def test_a_levanger_stay_from_admission_to_discharged_in_norwegian(
    page, log_in, shot, people, levanger_patient, system, areas, manuals
):
    aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-LEV-7", owner=areas["stolav-bhm"]
    )

    # The physician admits the patient from the patient's page.
    log_in("hnt-clinician")
    admit(page, levanger_patient.pk, link="Legg inn", language="nb")
    stay = Stay.objects.get(patient=levanger_patient)
    assert page.url.endswith(f"/stays/{stay.pk}/")
    deadlines = text(page, "#deadlines")
    assert "Status og forventet utskrivning (24 t)" in deadlines
    assert "004 Vedlegg 1.2 k" in deadlines

    # R1 "ved behov": supplementary information is due only once the ward asks for it.
    assert "Supplerende opplysninger" not in deadlines
    page.get_by_text("Be kommunen om supplerende opplysninger").click()
    page.locator("#id_supplementary_note").fill("Legemiddelliste")
    submit(page, "#supplementary form")
    row = page.locator("#deadlines tr", has_text="Supplerende opplysninger")
    assert "Tildelingskontoret, Levanger kommune" in row.inner_text()
    assert "004 Vedlegg 1.1 g" in row.inner_text()
    asked = page.locator("#timeline li", has_text="Legemiddelliste")
    assert "Supplerende opplysninger etterspurt fra kommunen" in asked.inner_text()
    shot(AREA, "admission")

    # H1: the needs, one of them an aid; HNT's routine gives the hospital the application.
    page.locator("#need summary").click()
    page.locator("#id_need_kind input[value=aid]").check()
    page.locator("#id_need_description").fill("CPAP om natten mot søvnapné")
    page.locator("#id_need_aid_type").select_option("cpap")
    submit(page, "#need form")
    need = Need.objects.get(stay=stay)
    needs = text(page, "#needs")
    assert "CPAP om natten mot søvnapné" in needs
    assert "Søke: CPAP" in needs
    assert "002 4" in needs, "the needs' tasks cite HNT's routine"
    assert "000 " not in needs and "001 " not in needs and "003 " not in needs
    shot(AREA, "needs")

    # The application goes to St. Olavs by phone: done another way, on the worklist.
    page.goto("/worklist/")
    assert page.locator("h1").inner_text() == "Arbeidsliste"
    row = page.locator("#worklist-rows tr", has_text="Søke: CPAP")
    assert "Lars Levangsen" in row.inner_text()
    row.get_by_text("Gjort på annen måte").click()
    row.locator("input[name=note]").fill("Rekvisisjon ringt inn til St. Olavs kl. 10.15")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert "Merket som utført." in page.locator("main").inner_text()
    assert "Søke: CPAP" not in text(page, "#worklist-rows")
    assert Deadline.objects.get(need=need, duty="aid-application").done_at is not None

    # The technician lends the CPAP with its manual.
    switch_to(page, log_in, "stolav-bhm")
    lend(page, "CP-LEV-7", "Levangsen")
    loan = text(page, "#loan")
    assert "Lars Levangsen" in loan
    assert "Opplæring i bruk av CP-LEV-7 er ikke registrert." in loan

    # Back on the stay: the loan meets the need; the patient is trained.
    switch_to(page, log_in, "hnt-clinician")
    page.goto(f"/stays/{stay.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="CP-LEV-7 (utlånt) dekker dette behovet").click()
    assert "dekket" in text(page, "#needs")
    need.refresh_from_db()
    assert need.status == "met"
    page.locator("#training-form summary").click()
    page.locator("#id_training_aid_type").select_option("cpap")
    page.locator("#id_training_trainee input[value=patient]").check()
    page.locator("#id_training_names").fill("Lars Levangsen")
    page.locator("#id_training_written_procedures").fill("Rengjøring av masken")
    submit(page, "#training-form form")
    training = text(page, "#training")
    assert "CPAP: pasienten (Lars Levangsen)" in training
    assert "Skriftlige prosedyrer: Rengjøring av masken" in training

    # Refused while § 9 is open; the points are documented, then the patient is declared.
    submit(page, "#discharge_ready form")
    refusal = text(page, "#refusal")
    assert "Ikke utskrivningsklar ennå" in refusal
    assert "forskrift om utskrivningsklare pasienter § 9 a" in refusal
    boxes = page.locator("#documented input[type=checkbox]")
    assert boxes.count() == SECTION_9
    for box in boxes.all():
        box.check()
    # What the physician wrote for each item (R9, forskrift § 14).
    for written in page.locator("#documented textarea").all():
        written.fill("Vurdert og skrevet i journalen.")
    submit(page, "#documented form")
    assert page.locator("#documented input[type=checkbox]:checked").count() == SECTION_9
    submit(page, "#discharge_ready form")
    stay.refresh_from_db()
    assert stay.status == "discharge-ready"
    assert "Varsle kommunen" in text(page, "#next")

    # R4 (004 Vedlegg 3.1.1 b): updated health information first, then the notice.
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        page.locator("#id_message_type").select_option(code)
        submit(page, "#message form")
    waiting = text(page, "#next")
    assert "Venter på kommunens svar" in waiting
    assert "kommunen svarer straks" in waiting and "004 Vedlegg 3.2 a" in waiting
    shot(AREA, "notified")

    # The case worker sees the answer due at once on the worklist, follows the patient,
    # answers.
    switch_to(page, log_in, "levanger-case")
    # The application marked done from the hospital's worklist is news to the municipality.
    assert page.locator("#news-count").is_visible()
    page.goto("/notifications/")
    news = page.locator(
        "main table tr", has_text="Den andre parten har merket en oppgave som utført"
    )
    assert "Lars Levangsen" in news.inner_text()
    page.goto("/worklist/")
    row = page.locator("#worklist-rows tr", has_text="Kommunens svar")
    assert "Lars Levangsen" in row.inner_text()
    assert "straks" in row.inner_text()
    shot(AREA, "worklist")
    with page.expect_navigation():
        row.get_by_role("link", name="Lars Levangsen").click()
    assert page.url.endswith(f"/stays/{stay.pk}/")
    assert "Svar sykehuset" in text(page, "#answer")
    page.locator("#id_answer_can_receive input[value=yes]").check()
    page.locator("#id_answer_receive_at").fill(page.locator("#id_message_sent_at").input_value())
    page.locator("#id_answer_service").fill("Hjemmesykepleie morgen og kveld")
    submit(page, "#answer form")
    assert "Svaret er sendt til sykehuset." in page.locator("main").inner_text()
    assert "Kommunen tar imot pasienten fra" in text(page, "#next")
    stay.refresh_from_db()
    assert stay.can_receive is True
    shot(AREA, "answer")
    page.goto("/worklist/")
    assert "Kommunens svar" not in text(page, "#worklist-rows")

    # The hospital hears of the answer: the menu's count, then the notifications page.
    switch_to(page, log_in, "hnt-clinician")
    assert page.locator("#news-count").is_visible()
    with page.expect_navigation():
        page.locator("#news-link").click()
    assert page.locator("h1").inner_text() == "Varsler"
    news = page.locator(
        "main table tr", has_text="Kommunen har svart på meldingen om utskrivningsklar pasient"
    )
    assert "Lars Levangsen" in news.inner_text()
    shot(AREA, "notifications")
    with page.expect_navigation():
        news.get_by_role("link", name="Lars Levangsen").click()
    assert "Hjemmesykepleie morgen og kveld" in text(page, "#next")

    # The departure: HNT's checklist (004 Vedlegg 3.1.2), the discharge report, ready to
    # leave, gone.
    prepared = text(page, "#prepared")
    assert "Sjekkliste for utreise" in prepared and "004 Vedlegg 3.1.2" in prepared
    for box in page.locator("#prepared input[type=checkbox]").all():
        box.check()
    submit(page, "#prepared form")
    page.locator("#id_message_type").select_option("UTSKRIVNINGSRAPPORT")
    submit(page, "#message form")
    submit(page, "#departure_ready form")
    stay.refresh_from_db()
    assert stay.status == "departure-ready"
    assert "Utreiseklar" in text(page, "#next")
    shot(AREA, "departure-ready")
    submit(page, "#next #discharge form")
    stay.refresh_from_db()
    assert stay.status == "discharged"
    assert "Pasienten er utskrevet." in page.locator("main").inner_text()
    assert "utskrevet" in page.locator("h1").inner_text().lower()
    shot(AREA, "discharged")
    assert not Deadline.objects.filter(stay=stay, done_at__isnull=True).exists()
    assert {"EPIKRISE", "LOG_UTSKREVET"} <= set(stay.messages.values_list("type", flat=True))
