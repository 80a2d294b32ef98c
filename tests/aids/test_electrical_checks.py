"""O4, U4: a device that needs the electrical check is not placed before the check passed."""

import pytest

from overgang.aids import actions
from overgang.aids.models import ElectricalCheck, Loan
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def unchecked_ventilator(system, areas):
    return actions.register_device(
        actor=system, aid_type="home-ventilator", serial="HV-NEW", owner=areas["ous-bhm"]
    )


def test_a_ventilator_is_not_lent_before_the_installation_is_checked(
    unchecked_ventilator, frogner_patient, ous_technician
):
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(unchecked_ventilator, frogner_patient, actor=ous_technician)
    message = raised.value.errors["device"]
    assert "Skovveien 12" in message and "000 3.3" in message
    unchecked_ventilator.refresh_from_db()
    assert unchecked_ventilator.status == "available" and not Loan.objects.exists()


def test_a_failed_check_blocks_until_the_installation_is_remedied(
    unchecked_ventilator, frogner_patient, ous_technician
):
    check = actions.record_electrical_check(
        frogner_patient,
        actor=ous_technician,
        rooms="bedroom",
        result="failed",
        remedy_by="the owner of the flat",
    )
    with pytest.raises(InvalidInput):
        actions.lend_device(unchecked_ventilator, frogner_patient, actor=ous_technician)
    actions.mark_remedied(check, actor=ous_technician, notes="new circuit by an electrician")
    loan = actions.lend_device(unchecked_ventilator, frogner_patient, actor=ous_technician)
    assert loan.device == unchecked_ventilator
    with pytest.raises(Conflict):
        actions.mark_remedied(check, actor=ous_technician)


def test_a_check_at_another_address_does_not_count(
    system, unchecked_ventilator, frogner_patient, ous_technician
):
    actions.record_electrical_check(frogner_patient, actor=system, rooms="bedroom", result="passed")
    from overgang.patients.actions import update_patient

    update_patient(frogner_patient, actor=system, address="Bygdøy allé 5", reason="moved")
    frogner_patient.refresh_from_db()
    with pytest.raises(InvalidInput):
        actions.lend_device(unchecked_ventilator, frogner_patient, actor=ous_technician)


def test_a_cpap_needs_no_check(system, areas, frogner_patient, ous_technician):
    cpap = actions.register_device(
        actor=system, aid_type="cpap", serial="C-1", owner=areas["ous-bhm"]
    )
    assert actions.lend_device(cpap, frogner_patient, actor=ous_technician)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rooms": " ", "result": "passed"}, "rooms"),
        ({"rooms": "bedroom", "result": "maybe"}, "result"),
        ({"rooms": "bedroom", "result": "failed"}, "remedy_by"),
    ],
)
def test_bad_checks_name_the_field_and_save_nothing(frogner_patient, ous_technician, fields, field):
    with pytest.raises(InvalidInput) as raised:
        actions.record_electrical_check(frogner_patient, actor=ous_technician, **fields)
    assert field in raised.value.errors
    assert not ElectricalCheck.objects.exists()


def test_a_check_is_recorded_in_the_history(frogner_patient, ous_technician):
    check = actions.record_electrical_check(
        frogner_patient, actor=ous_technician, rooms="bedroom, living room", result="passed"
    )
    change = ChangeRecord.objects.get(model="aids.electricalcheck", object_id=str(check.pk))
    assert change.actor == ous_technician
    assert change.changes["rooms"] == [None, "bedroom, living room"]


def test_the_technician_records_a_check_from_the_patient_page(
    client, ous_technician, frogner_patient, unchecked_ventilator
):
    client.force_login(ous_technician)
    page = client.get(f"/patients/{frogner_patient.pk}/")
    assert f"/patients/{frogner_patient.pk}/electrical-checks/" in page.content.decode()
    bad = client.post(
        f"/patients/{frogner_patient.pk}/electrical-checks/",
        {"placement": "home", "rooms": "bedroom", "result": "failed"},
    )
    assert bad.status_code == 422
    assert "remedy_by" in bad.context["form"].errors
    done = client.post(
        f"/patients/{frogner_patient.pk}/electrical-checks/",
        {"placement": "home", "rooms": "bedroom", "result": "passed"},
    )
    assert done.status_code == 302
    assert actions.lend_device(unchecked_ventilator, frogner_patient, actor=ous_technician)


def test_a_case_worker_sees_checks_but_cannot_record_them(
    client, frogner_case_worker, frogner_patient, tromso_case_worker, ous_technician
):
    actions.record_electrical_check(
        frogner_patient, actor=ous_technician, rooms="bedroom", result="failed", remedy_by="owner"
    )
    client.force_login(frogner_case_worker)
    page = client.get(f"/patients/{frogner_patient.pk}/").content.decode()
    assert "bedroom" in page
    assert "/remedied/" not in page and "/electrical-checks/" not in page
    assert client.get(f"/patients/{frogner_patient.pk}/electrical-checks/").status_code == 403
    client.force_login(tromso_case_worker)
    assert client.get(f"/patients/{frogner_patient.pk}/").status_code == 404


# The refusal cites the patient's own routine: Oslo's 000 3.3 in Oslo, UNN's 001
# Beskrivelse 5 in Tromsø, and nothing at all where the agreement asks for no check.


def test_an_oslo_refusal_cites_oslos_routine_only(
    unchecked_ventilator, frogner_patient, ous_technician
):
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(unchecked_ventilator, frogner_patient, actor=ous_technician)
    message = raised.value.errors["device"]
    assert "(000 3.3)" in message and "001 " not in message


def test_a_unn_refusal_cites_unns_routine_only(system, areas, tromso_patient):
    ventilator = actions.register_device(
        actor=system, aid_type="home-ventilator", serial="UNN-HV-1", owner=areas["unn-bhm"]
    )
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(ventilator, tromso_patient, actor=system)
    message = raised.value.errors["device"]
    assert "Storgata 1" in message and "(001 Beskrivelse 5)" in message
    assert "000 " not in message


@pytest.mark.parametrize("where", ["levanger", "aalborg"])
def test_an_agreement_without_the_check_never_refuses_for_it(system, areas, aalborg_patient, where):
    """HNT's and Nordjylland's agreements ask for no electrical check: a dialysis machine
    (which UNN's agreement checks for) goes home without one, and no message speaks of one."""
    from overgang.patients.actions import create_patient
    from tests.stays.conftest import LEVANGER_FNR

    patient = aalborg_patient
    if where == "levanger":
        patient = create_patient(
            actor=system,
            national_id_number=LEVANGER_FNR,
            name="Lars Levangsen",
            municipality="Levanger",
            address="Kirkegata 5",
        )
    machine = actions.register_device(
        actor=system, aid_type="dialysis-machine", serial="DM-1", owner=areas["ous-bhm"]
    )
    loan = actions.lend_device(machine, patient, actor=system)
    assert loan.patient == patient
