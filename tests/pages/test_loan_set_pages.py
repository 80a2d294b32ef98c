"""Lending a set, handing over the manual and lending with a set, on the device page."""

import pytest
from django.conf import settings

from overgang.aids import actions
from overgang.aids.models import Device, Loan

pytestmark = pytest.mark.django_db


@pytest.fixture
def technician(client, ous_technician):
    client.force_login(ous_technician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def second(system, areas, ventilator):
    return actions.register_device(
        actor=system, aid_type="home-ventilator", serial="HV-0002", owner=areas["ous-bhm"]
    )


def test_an_available_device_page_offers_what_is_on_the_shelf(technician, second):
    text = technician.get("/devices/HV-0001/").content.decode()
    assert "Available now" in text and "HV-0002" in text


def test_a_ventilator_lent_alone_shows_the_missing_second_unit_and_offers_to_lend_it(
    technician, ventilator, second, frogner_patient
):
    lent = technician.post("/devices/HV-0001/lend/", {"patient": frogner_patient.pk})
    assert lent.status_code == 302
    page = technician.get("/devices/HV-0001/")
    text = page.content.decode()
    assert "The loan is not complete" in text and "Second unit not lent" in text
    assert 'id="lend-with"' in text
    main = Loan.objects.get(device=ventilator)
    added = technician.post("/devices/HV-0001/lend-with/", {"loan": main.pk, "device": "HV-0002"})
    assert added.status_code == 302
    assert Loan.objects.get(device=second).main == main
    text = technician.get("/devices/HV-0001/").content.decode()
    assert "Second unit not lent" not in text and 'id="lend-with"' not in text
    assert "HV-0002" in text, "the set lists its other device"


def test_both_units_lent_in_one_go_from_the_lend_form(
    technician, ventilator, second, frogner_patient
):
    lent = technician.post(
        "/devices/HV-0001/lend/", {"patient": frogner_patient.pk, "companions": "HV-0002"}
    )
    assert lent.status_code == 302
    assert set(Device.objects.values_list("status", flat=True)) == {"on-loan"}


def test_an_unknown_serial_in_lent_with_is_a_form_error_and_lends_nothing(
    technician, ventilator, frogner_patient
):
    page = technician.post(
        "/devices/HV-0001/lend/", {"patient": frogner_patient.pk, "companions": "HV-0002, X-9"}
    )
    assert page.status_code == 422
    assert "HV-0002, X-9" in str(page.context["lend_form"].errors["companions"])
    assert not Loan.objects.exists()


def test_a_companion_that_does_not_go_with_the_device_is_a_form_error(
    technician, system, areas, ventilator, frogner_patient
):
    actions.register_device(actor=system, aid_type="cpap", serial="CP-1", owner=areas["ous-bhm"])
    page = technician.post(
        "/devices/HV-0001/lend/", {"patient": frogner_patient.pk, "companions": "CP-1"}
    )
    assert page.status_code == 422
    assert "does not go with" in str(page.context["lend_form"].errors["companions"])
    assert not Loan.objects.exists()


def test_the_handover_without_a_manual_in_the_catalogue_is_a_form_error(
    technician, ventilator, frogner_patient, system
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    page = technician.post(
        "/devices/HV-0001/handover/", {"loan": loan.pk, "manual_handed_over": "on"}
    )
    assert page.status_code == 422
    assert "no user manual" in str(page.context["handover_form"].errors["manual_handed_over"])
    loan.refresh_from_db()
    assert not loan.manual_handed_over


def test_the_handover_records_the_manual_and_the_instruction(
    technician, ventilator, frogner_patient, system, manuals
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    saved = technician.post(
        "/devices/HV-0001/handover/",
        {"loan": loan.pk, "manual_handed_over": "on", "instruction_given": "on"},
    )
    assert saved.status_code == 302
    loan.refresh_from_db()
    assert loan.manual == manuals["home-ventilator"] and loan.instruction_given
    text = technician.get("/devices/HV-0001/").content.decode()
    assert manuals["home-ventilator"].title in text


def test_a_handover_from_a_stale_page_is_409(technician, ventilator, frogner_patient, system):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    actions.return_loan(loan, actor=system)
    page = technician.post(
        "/devices/HV-0001/handover/", {"loan": loan.pk, "instruction_given": "on"}
    )
    assert page.status_code == 409
    loan.refresh_from_db()
    assert not loan.instruction_given


def test_lend_with_an_empty_serial_is_a_form_error(technician, ventilator, frogner_patient, system):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    page = technician.post("/devices/HV-0001/lend-with/", {"loan": loan.pk, "device": ""})
    assert page.status_code == 422
    assert "serial number" in str(page.context["lend_with_form"].errors["device"])
    assert Loan.objects.count() == 1


def test_a_nordjylland_activity_outside_the_home_is_refused_on_the_page(
    client, make_user, system, areas, aalborg_patient
):
    depot = make_user("aalborg-depot", ("aalborg-depot", "depot-staff"))
    actions.register_device(
        actor=system, aid_type="wheelchair", serial="KS-1", owner=areas["aalborg-depot"]
    )
    client.force_login(depot)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        "/devices/KS-1/lend/",
        {"patient": aalborg_patient.pk, "purpose": "activity-outside-home"},
    )
    assert page.status_code == 422
    assert "003 4" in page.content.decode()
    assert not Loan.objects.exists()
