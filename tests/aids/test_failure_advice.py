"""Failure advice comes from the patient's agreement: Oslo's 000 4.0 is Oslo's alone, the
emergency number is the country's, and "switch to the second unit" is only said to a
patient who has a second unit."""

import pytest

from overgang.aids import actions, failures
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions

pytestmark = pytest.mark.django_db


def lend(system, areas, patient, aid_type, serial, owner):
    device = actions.register_device(
        actor=system, aid_type=aid_type, serial=serial, owner=areas[owner]
    )
    actions.record_electrical_check(patient, actor=system, rooms="bedroom", result="passed")
    return actions.lend_device(device, patient, actor=system)


def all_text(advice) -> str:
    return " ".join(step.text(lang) for step in advice.steps for lang in ("nb", "da", "en"))


def test_a_unn_patient_with_one_ventilator_is_not_told_to_switch_to_a_second_unit(
    system, areas, tromso_patient
):
    loan = lend(system, areas, tromso_patient, "home-ventilator", "UNN-HV-1", "unn-bhm")
    report = failures.report_failure(loan.device, actor=system, description="Alarm")
    advice = report.advice
    assert "second unit" not in all_text(advice)
    assert "andre apparatet" not in all_text(advice)
    assert advice.agreement == "unn"
    assert advice.silent, "UNN's procedure says nothing about failures"
    assert "says nothing about failed equipment" in advice.steps[0].text("en")
    assert not any(step.citation.startswith("000") for step in advice.steps)


def test_a_danish_rollator_failure_cites_no_oslo_routine_and_gives_112(
    system, areas, aalborg_patient
):
    loan = lend(system, areas, aalborg_patient, "rollator", "DK-ROL-1", "rn-depot")
    report = failures.report_failure(
        loan.device, actor=system, description="Bremsen virker ikke", danger_to_life=True
    )
    advice = report.advice
    assert advice.agreement == "nordjylland"
    assert advice.emergency_number == "112"
    assert "112" in advice.steps[0].text("da") and "113" not in all_text(advice)
    assert not any("000 4.0" in step.citation for step in advice.steps)
    assert advice.steps[0].citation == "Alarmnummer 112 (Danmark)", "national, not a routine"
    assert advice.service_on is None, "Oslo's next-working-day wait is not the agreement's"


def test_an_oslo_patient_with_two_ventilators_is_told_to_switch(system, areas, frogner_patient):
    first = lend(system, areas, frogner_patient, "home-ventilator", "OUS-HV-1", "ous-bhm")
    lend(system, areas, frogner_patient, "home-ventilator", "OUS-HV-2", "ous-bhm")
    report = failures.report_failure(first.device, actor=system, description="Alarm")
    advice = report.advice
    assert advice.agreement == "oslo"
    assert "Switch to the second unit now" in advice.steps[0].text("en")
    assert {step.citation for step in advice.steps} == {"000 4.0"}


def test_an_oslo_patient_with_one_ventilator_is_told_to_call_the_unit_now(
    system, areas, frogner_patient
):
    loan = lend(system, areas, frogner_patient, "home-ventilator", "OUS-HV-1", "ous-bhm")
    advice = failures.report_failure(loan.device, actor=system, description="Alarm").advice
    assert "second unit" not in advice.steps[0].text("en")
    assert "only one unit on loan" in advice.steps[0].text("en")
    assert advice.steps[0].citation == "000 4.0"


def test_a_levanger_patient_is_pointed_to_the_regional_unit_at_st_olavs(system, areas):
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number="02027010019",
        name="Per Innherred",
        municipality="Levanger",
        address="Kirkegata 1",
    )
    loan = lend(system, areas, patient, "cpap", "HNT-CPAP-1", "stolav-bhm")
    advice = failures.report_failure(loan.device, actor=system, description="Lekker").advice
    assert advice.agreement == "hnt"
    assert advice.silent
    assert any(step.citation == "002 4" for step in advice.steps)
    assert not any(step.citation.startswith("000") for step in advice.steps)


def test_the_api_says_which_agreement_the_advice_comes_from(
    api_as, make_user, system, areas, tromso_patient
):
    loan = lend(system, areas, tromso_patient, "home-ventilator", "UNN-HV-1", "unn-bhm")
    staff = make_user("unn-staff", ("unn-bhm", Role.AIDS_STAFF))
    answer = api_as(staff).post(
        f"/devices/{loan.device.serial}/failures", {"description": "Alarm", "danger_to_life": True}
    )
    assert answer.status_code == 201, answer.content
    advice = answer.json()["advice"]
    assert advice["agreement"] == "unn"
    assert advice["silent"] is True
    assert advice["emergency_number"] == "113"
    assert advice["steps"][0]["citation"] == "Nasjonalt nødnummer 113 (medisinsk nødhjelp)"
    assert "second unit" not in " ".join(step["text"] for step in advice["steps"])


# The pages


def _failure_page(client, user, language, loan, danger=False) -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    serial = loan.device.serial
    data = {"description": "Alarm", **({"danger_to_life": "on"} if danger else {})}
    answer = client.post(f"/devices/{serial}/failures/new/", data)
    assert answer.status_code == 302, answer.content.decode()[:500]
    return client.get(answer["Location"]).content.decode()


def test_a_tromso_case_worker_sees_unns_silence_and_no_second_unit(
    client, system, areas, tromso_patient, tromso_case_worker
):
    loan = lend(system, areas, tromso_patient, "home-ventilator", "UNN-HV-9", "unn-bhm")
    page = _failure_page(client, tromso_case_worker, "nb", loan, danger=True)
    assert 'href="tel:113">113</a>' in page
    assert "andre apparatet" not in page and "000 4.0" not in page
    assert 'class="cite">()' not in page, "a step without a citation shows no empty brackets"
    assert "sier ikke noe om utstyr som svikter" in page, "UNN's silence is said"


def test_an_aalborg_case_worker_is_given_112_in_danish(
    client, system, areas, aalborg_patient, aalborg_case_worker
):
    loan = lend(system, areas, aalborg_patient, "rollator", "DK-ROL-9", "rn-depot")
    page = _failure_page(client, aalborg_case_worker, "da", loan, danger=True)
    assert 'href="tel:112">112</a>' in page and "tel:113" not in page
    assert "000 4.0" not in page
