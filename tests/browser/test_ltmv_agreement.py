"""An LTMV agreement drafted by OUS, completed with Oslo's district (Frogner), signed and
printed (O11): the ward physician drafts it from the stay, Frogner's case worker finds the
task on the district's worklist, fills in the assessment, a changed duty with its reason
and the training, and signs; the physician signs, and the agreement prints."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from overgang.organisations.models import Role
from overgang.stays import actions as stay_actions
from overgang.ventilation.models import VentilationAgreement, VersionStatus

from .walk import switch_to


def _today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


@pytest.fixture
def oslo_stay_needing_a_ventilator(make_user, frogner_case_worker, frogner_patient, areas):
    physician = make_user("ous-clinician", ("ous-lunge", Role.CLINICIAN))
    stay = stay_actions.admit(
        frogner_patient,
        actor=physician,
        unit=areas["ous-lunge"],
        admission="emergency",
        admitted_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=30),
    )
    stay_actions.record_need(
        stay,
        actor=physician,
        kind="aid",
        aid_type="home-ventilator",
        description="Nattlig respiratorbehandling hjemme",
        duration="long",
        purpose="treatment",
    )
    return stay


def test_an_ltmv_agreement_drafted_by_ous_completed_with_frogner_signed_and_printed(
    page, log_in, oslo_stay_needing_a_ventilator
):
    stay = oslo_stay_needing_a_ventilator
    log_in("ous-clinician")
    page.goto(f"/stays/{stay.pk}/")
    with page.expect_navigation():
        page.locator("#ventilation form button[type=submit]").click()
    agreement = VentilationAgreement.objects.get(stay=stay)
    assert page.url.endswith(f"/ventilation/{agreement.pk}/")

    # The district was invited when the need was recorded: the task is on its worklist.
    switch_to(page, log_in, "oslo-frogner")
    page.goto("/worklist/")
    assert "LTMV" in page.locator("main").inner_text()
    page.goto(f"/ventilation/{agreement.pk}/")
    page.locator("#id_assessment_date").fill(_today())
    for i, (name, role, organisation) in enumerate(
        [("Lise Lungelege", "overlege", "OUS"), ("Frida Frognersen", "saksbehandler", "Frogner")]
    ):
        page.locator(f"#id_participant_{i}_name").fill(name)
        page.locator(f"#id_participant_{i}_role").fill(role)
        page.locator(f"#id_participant_{i}_organisation").fill(organisation)
    page.locator("#id_party_consumables").select_option("municipality")
    # Without the reason the change is refused, and what was typed is kept.
    with page.expect_navigation():
        page.locator("#edit button[type=submit]").click()
    assert page.locator("#edit .error").count() >= 1
    assert page.locator("#id_participant_1_name").input_value() == "Frida Frognersen"
    page.locator("#id_reason_consumables").fill("Bydelens rammeavtale")
    page.locator("#id_training_0_trainer").fill("OUS BHM")
    page.locator("#id_training_0_trainees").fill("Hjemmesykepleien")
    page.locator("#id_training_0_by").fill(_today())
    with page.expect_navigation():
        page.locator("#edit button[type=submit]").click()
    assert "Bydelens rammeavtale" in page.locator("#responsibilities").inner_text()
    with page.expect_navigation():
        page.locator("#signatures button[type=submit]").click()

    switch_to(page, log_in, "ous-clinician")
    page.goto(f"/ventilation/{agreement.pk}/")
    with page.expect_navigation():
        page.locator("#signatures button[type=submit]").click()
    assert agreement.current.status == VersionStatus.SIGNED

    href = page.locator("a[href*='/pdf/?lang=da']").get_attribute("href")
    printed = page.request.get(href)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.body())).pages)
    assert "LTMV-aftale" in text and "Bydelens rammeavtale" in text
    assert "UDKAST" not in text
