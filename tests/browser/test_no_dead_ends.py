"""No dead ends (issue 19, item 6), as a clinician meets them: a figure on the start page
opens the list of what it counts; the device a requisition reserved opens as a read view, not
"Not found"; and "Who is responsible?" offers Tromsø under UNN's agreement and answers."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from overgang.aids import actions as aid_actions
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.requisitions import actions as requisitions
from overgang.stays import actions as stays

SHOTS = os.environ.get("OVERGANG_SHOTS", "")


@pytest.fixture
def reserved_for_inpatient(system, areas, make_user):
    """A Levanger inpatient with a granted requisition for which St. Olavs reserved STO-OC-9,
    and a second patient in hospital."""
    physician = make_user("hnt-clinician", ("hnt-levanger-med", Role.CLINICIAN))
    physician.first_name, physician.last_name = "Henrik", "Levang"
    physician.save()
    unit = make_user("stolav-bhm", ("stolav-bhm", Role.AIDS_STAFF))
    patients = [
        patient_actions.create_patient(
            actor=system,
            national_id_number=number,  # fictitious, valid check digits
            name=name,
            municipality="Levanger",
            address="Kirkegata 5",
        )
        for number, name in (("12035610039", "Lars Levangsen"), ("15108695088", "Kari Kirke"))
    ]
    admitted = [
        stays.admit(
            patient,
            actor=physician,
            unit=areas["hnt-levanger-med"],
            admission="emergency",
            admitted_at=timezone.now() - datetime.timedelta(hours=20),
            expected_stay_hours=96,
        )
        for patient in patients
    ]
    device = aid_actions.register_device(
        actor=system,
        aid_type="oxygen-concentrator",
        serial="STO-OC-9",
        owner=areas["stolav-bhm"],
        location="Lager B, hylle 3",
    )
    requisition = requisitions.submit_requisition(
        requisitions.RequisitionInput(
            patient=patients[0],
            aid_type="oxygen-concentrator",
            justification="KOLS IV, pO2 7,1 kPa i hvile.",
            requester_role="specialist-physician",
            requester_name="Henrik Levang",
            department=areas["hnt-levanger-med"],
            route="inpatient",
            stay=admitted[0],
        ),
        actor=physician,
    )
    requisitions.start_assessment(requisition, actor=unit)
    requisitions.decide_requisition(
        requisition, actor=unit, approved=True, reason="Oppfyller kriteriene.", device=device
    )
    return requisition


def shoot(page, name: str) -> None:
    """The page at a desktop's and a phone's width, when OVERGANG_SHOTS names a folder."""
    if not SHOTS:
        return
    language = page.locator("html").get_attribute("lang") or "en"
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        path = Path(SHOTS) / f"{name}-{width}-{language}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def count_of(page) -> int:
    status = page.locator("main [role=status].count").first.inner_text()
    match = re.search(r"\d+", status)
    assert match is not None, status
    return int(match[0])


@pytest.mark.parametrize(
    "language",
    [
        pytest.param("nb", marks=pytest.mark.locale("nb-NO")),
        pytest.param("da", marks=pytest.mark.locale("da-DK")),
    ],
)
def test_a_clinician_follows_a_figure_and_opens_the_reserved_device(
    page, log_in, reserved_for_inpatient, language
):
    log_in("hnt-clinician")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    shoot(page, "start")
    card = page.locator("a.figure-card[href*='/stays/']")
    figure = int(card.locator(".figure").inner_text())
    assert figure == 2
    with page.expect_navigation():
        card.click()
    assert count_of(page) == figure
    assert page.locator("main table.list tbody tr").count() == figure

    # From the requisition to the device it reserved: a read view, not "Not found".
    page.goto(f"/requisitions/{reserved_for_inpatient.pk}/")
    with page.expect_navigation():
        page.locator("main a[href='/devices/STO-OC-9/']").first.click()
    main = page.inner_text("main")
    assert "STO-OC-9" in main and "Lager B, hylle 3" in main and "Lars Levangsen" in main
    assert (
        page.locator("main form").count() == 0
        or not page.locator(
            "form[action*='/lend/'], form[action*='/reprocess/'], form[action*='/discard/']"
        ).count()
    )
    shoot(page, "device-read-view")


def test_who_is_responsible_offers_tromso_under_unns_agreement(page, log_in, make_user):
    make_user("tromso-case", ("tromso-tildeling", Role.CASE_WORKER))
    log_in("tromso-case")
    page.goto("/rules/")
    group = page.locator("#id_municipality optgroup[label*='Nord-Norge']")
    assert group.locator("option[value='Tromsø']").count() == 1
    page.locator("#id_municipality").select_option("Tromsø")
    page.locator("#id_aid_type").select_option("oxygen-concentrator")
    with page.expect_navigation():
        page.locator("form.grid-form button[type=submit]").first.click()
    answer = page.locator("section.answer")
    assert "Universitetssykehuset Nord-Norge" in answer.inner_text()
    assert page.locator("#id_municipality").input_value() == "Tromsø"
    shoot(page, "responsibility")
