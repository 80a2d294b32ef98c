"""An Aalborg citizen's stay at Aalborg Universitetshospital, from admission to discharged,
in Danish (da), as the ward physician and Aalborg's visitator do it in their browsers:
the care plans, a need with its purpose (N2), the planned discharge, færdigbehandlet (no
§ 9 in Denmark), the municipality's duties from its worklist, the news back at the
hospital, the departure checklist (the final care plan, 003 3)."""

from __future__ import annotations

import pytest

from overgang.organisations.models import Role
from overgang.stays.models import Deadline, Stay

from .walk import admit, submit, switch_to, text

AREA = "aalborg"


@pytest.fixture
def people(make_user, aalborg_case_worker):
    make_user("aauh-clinician", ("aauh-lunge", Role.CLINICIAN))


@pytest.mark.locale("da-DK")
def test_an_aalborg_stay_from_admission_to_discharged_in_danish(
    page, log_in, shot, people, aalborg_patient
):
    # The physician admits the citizen and sends the hospital notification and the first
    # care plan (within 48 hours for a stay over 24 hours, 003 3).
    log_in("aauh-clinician")
    admit(page, aalborg_patient.pk, link="Indlæg", language="da")
    stay = Stay.objects.get(patient=aalborg_patient)
    assert page.url.endswith(f"/stays/{stay.pk}/")
    assert "1. plejeforløbsplan" in text(page, "#deadlines")
    assert "§ 9" not in text(page, "main"), "Danish law has no § 9"
    for code in ("SYGEHUSADVIS_INDLAGT", "PLEJEFORLOEBSPLAN:foerste"):
        page.locator("#id_message_type").select_option(code)
        submit(page, "#message form")
    shot(AREA, "admission")

    # The need, with what the aid is for in the agreement's terms: a wheelchair for
    # rehabilitation after discharge is the municipality's to grant and provide (003 2).
    page.locator("#need summary").click()
    page.locator("#id_need_kind input[value=aid]").check()
    page.locator("#id_need_description").fill("Kørestol til genoptræning efter hoftebrud")
    page.locator("#id_need_aid_type").select_option("wheelchair")
    page.locator("#id_need_purpose").select_option("rehabilitation")
    submit(page, "#need form")
    needs = text(page, "#needs")
    assert "Kørestol til genoptræning efter hoftebrud" in needs
    assert "Genoptræning efter udskrivning" in needs
    assert "003 " in needs and "000 " not in needs and "001 " not in needs
    assert "Aalborg Kommune" in needs or "Visitation" in needs
    shot(AREA, "needs")

    # The discharge is planned; the physician declares the citizen færdigbehandlet.
    page.locator("#event summary").click()
    page.locator("#id_event_event").select_option("discharge-planned")
    page.locator("#id_event_discharge_at").fill(page.locator("#id_event_at").input_value())
    submit(page, "#event form")
    assert "Endelig plejeforløbsplan" in text(page, "#deadlines")
    submit(page, "#discharge_ready form")
    stay.refresh_from_db()
    assert stay.status == "discharge-ready"
    assert "færdigbehandlet" in page.locator("h1").inner_text().lower()
    shot(AREA, "faerdigbehandlet")

    # Aalborg's visitator finds the municipality's duties on the worklist, follows the
    # citizen to the stay, and marks what is done.
    switch_to(page, log_in, "aalborg-case")
    page.goto("/worklist/")
    assert page.locator("h1").inner_text() == "Arbejdsliste"
    rows = text(page, "#worklist-rows")
    assert "Jens Jensen" in rows
    assert "Hjælp i hjemmet klar til udskrivning" in rows
    shot(AREA, "worklist")
    row = page.locator("#worklist-rows tr", has_text="Hjælp i hjemmet klar til udskrivning")
    with page.expect_navigation():
        row.get_by_role("link", name="Jens Jensen").click()
    assert page.url.endswith(f"/stays/{stay.pk}/")
    page.goto("/worklist/")
    for duty in ("Hjælp i hjemmet klar til udskrivning", "Kørestol"):
        while page.locator("#worklist-rows tr", has_text=duty).count():
            row = page.locator("#worklist-rows tr", has_text=duty).first
            row.locator("details[id^=done-] summary").click()  # not "Why?"
            row.locator("input[name=note]").fill(
                "Hjemmeplejen startet; kørestol leveret fra depotet"
            )
            with page.expect_navigation():
                row.locator("button[type=submit]").click()
            assert "Markeret som udført." in page.locator("main").inner_text()
    shot(AREA, "answer")

    # The hospital is told (the menu's count, its notifications) and sees it on the stay.
    switch_to(page, log_in, "aauh-clinician")
    page.goto("/notifications/")
    assert "Den anden part har markeret en opgave som udført" in text(page, "main")
    with page.expect_navigation():
        page.locator("main table a").first.click()
    assert page.url.endswith(f"/stays/{stay.pk}/")
    done = page.locator("#deadlines tr", has_text="Hjælp i hjemmet klar til udskrivning")
    assert "udført" in done.inner_text()
    shot(AREA, "hospital-sees")

    # The departure: the final care plan is the agreement's checklist item (003 3).
    assert "Tjekliste til hjemrejsen" in text(page, "#prepared")
    page.locator("#id_message_type").select_option("PLEJEFORLOEBSPLAN:endelig")
    submit(page, "#message form")
    assert "Endelig plejeforløbsplan" in text(page, "#timeline")
    submit(page, "#departure_ready form")
    assert "Klar til at tage hjem" in text(page, "#next")
    submit(page, "#next #discharge form")
    stay.refresh_from_db()
    assert stay.status == "discharged"
    assert "Patienten er udskrevet." in page.locator("main").inner_text()
    shot(AREA, "discharged")
    # The hospital's duties are done; the municipality may still train its staff at home.
    assert not Deadline.objects.filter(stay=stay, party="hospital", done_at__isnull=True).exists()
    assert "SYGEHUSADVIS_UDSKREVET" in set(stay.messages.values_list("type", flat=True))
