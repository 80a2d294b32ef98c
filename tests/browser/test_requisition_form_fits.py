"""The requisition form in the browser fits the case chosen (issue 19): choosing the route or
the requester's role shows that case's fields only (htmx asks the server for them), keeps
what was typed, and what is sent holds the fields of the case sent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.requisitions.models import Requisition
from overgang.stays import actions as stays

DEPENDING = ("stay", "need", "referred_by", "referred_on", "conferred_with", "conferred_at")


@pytest.fixture
def tromso_inpatient(system, areas, make_user):
    physician = make_user("unn-lege", ("unn-lunge", Role.CLINICIAN))
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number="03035512410",  # fictitious, valid check digits
        name="Nils Nordlys",
        municipality="Tromsø",
        address="Storgata 1",
    )
    stays.admit(
        patient,
        actor=physician,
        unit=areas["unn-lunge"],
        admission="emergency",
        admitted_at=timezone.now() - datetime.timedelta(hours=20),
        expected_stay_hours=96,
    )
    return patient


def shown_fields(page) -> set[str]:
    return {name for name in (*DEPENDING, "lymphoedema") if page.locator(f"#id_{name}").count()}


def test_choosing_a_route_shows_that_routes_fields_only(page, log_in, tromso_inpatient):
    log_in("unn-lege")
    page.goto(f"/patients/{tromso_inpatient.pk}/requisitions/new/")
    # The inpatient route, chosen from the open stay: the stay, and nothing of referrals.
    assert page.locator("input[name=route][value=inpatient]").is_checked()
    assert shown_fields(page) == {"stay"}
    assert "Nils Nordlys – UNN Tromsø, admitted" in page.locator("#id_stay").inner_text()
    # The button that does this without script is not there when script runs.
    assert page.locator("button[name=choose]").count() == 0
    page.locator("#id_aid_type").select_option("oxygen-concentrator")
    page.locator("#id_justification").fill("KOLS IV, pO2 7,1 kPa i hvile.")

    # The outpatient route: the referring GP instead of the stay.
    page.locator("input[name=route][value=outpatient]").check()
    page.locator("#id_referred_by").wait_for()
    assert shown_fields(page) == {"referred_by", "referred_on"}

    # A GP's requisition: the conference with the specialist service, no referral.
    page.locator("#id_requester_role").select_option("gp")
    page.locator("#id_conferred_with").wait_for()
    assert shown_fields(page) == {"conferred_with", "conferred_at"}

    # The lymphoedema physiotherapist: which lymphoedema.
    page.locator("#id_requester_role").select_option("lymphoedema-physiotherapist")
    page.locator("#id_lymphoedema").wait_for()
    assert shown_fields(page) == {"lymphoedema"}

    # Back to the specialist on the outpatient route; what was typed is still there.
    page.locator("#id_requester_role").select_option("specialist-physician")
    page.locator("#id_referred_by").wait_for()
    assert page.locator("#id_justification").input_value() == "KOLS IV, pO2 7,1 kPa i hvile."
    page.locator("#id_referred_by").fill("Fastlege Per Hansen")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the requisition").click()
    requisition = Requisition.objects.get()
    assert page.url.endswith(f"/requisitions/{requisition.pk}/")
    assert (requisition.route, requisition.referred_by) == ("outpatient", "Fastlege Per Hansen")
    assert requisition.conferred_with == "" and requisition.lymphoedema == ""


def test_without_script_the_button_shows_the_fields_of_the_route_chosen(
    browser, live_server, tromso_inpatient
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/login/")
        page.locator("#id_username").fill("unn-lege")
        page.locator("#id_password").fill("demo")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.goto(f"/patients/{tromso_inpatient.pk}/requisitions/new/")
        assert shown_fields(page) == {"stay"}
        page.locator("#id_justification").fill("KOLS IV.")
        page.locator("input[name=route][value=outpatient]").check()
        with page.expect_navigation():
            page.locator("button[name=choose]").click()
        assert shown_fields(page) == {"referred_by", "referred_on"}
        assert page.locator("#id_justification").input_value() == "KOLS IV."
        assert not Requisition.objects.exists()
    finally:
        context.close()
