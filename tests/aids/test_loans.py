import pytest

from overgang.aids import actions
from overgang.aids.models import DeviceTransition, Loan
from overgang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def test_lending_puts_the_device_on_loan_and_writes_its_history(
    ventilator, frogner_patient, ous_technician
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    ventilator.refresh_from_db()
    assert ventilator.status == "on-loan"
    change = DeviceTransition.objects.filter(device=ventilator).first()
    assert (change.old, change.new, change.actor) == ("available", "on-loan", ous_technician)
    assert change.details == {"loan": loan.pk, "patient": frogner_patient.pk}


def test_a_device_on_loan_cannot_be_lent_to_another_patient(
    ventilator, frogner_patient, stovner_patient, ous_technician
):
    actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    with pytest.raises(Conflict, match="on loan"):
        actions.lend_device(ventilator, stovner_patient, actor=ous_technician)
    assert Loan.objects.count() == 1


def test_returned_device_cannot_be_lent_before_reprocessing(
    ventilator, frogner_patient, stovner_patient, ous_technician
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    actions.return_loan(loan, actor=ous_technician)
    with pytest.raises(Conflict, match="returned"):
        actions.lend_device(ventilator, stovner_patient, actor=ous_technician)
    actions.reprocess_device(
        ventilator, actor=ous_technician, technical_check="passed", disinfection="thermal 90 °C"
    )
    again = actions.lend_device(ventilator, stovner_patient, actor=ous_technician)
    assert again.patient == stovner_patient
    path = list(
        DeviceTransition.objects.filter(device=ventilator)
        .order_by("at", "id")
        .values_list("new", flat=True)
    )
    assert path == ["available", "on-loan", "returned", "reprocessing", "available", "on-loan"]


def test_a_loan_is_returned_once(ventilator, frogner_patient, ous_technician):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    actions.return_loan(loan, actor=ous_technician)
    with pytest.raises(Conflict, match="already returned"):
        actions.return_loan(loan, actor=ous_technician)


def test_reprocessing_needs_the_disinfection_method_and_changes_nothing_without_it(
    ventilator, frogner_patient, ous_technician
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    actions.return_loan(loan, actor=ous_technician)
    before = DeviceTransition.objects.count()
    with pytest.raises(InvalidInput) as raised:
        actions.reprocess_device(ventilator, actor=ous_technician, technical_check="passed")
    assert "disinfection" in raised.value.errors
    ventilator.refresh_from_db()
    assert ventilator.status == "returned"
    assert DeviceTransition.objects.count() == before


def test_a_failed_technical_check_sends_the_device_to_repair(
    ventilator, frogner_patient, ous_technician
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    actions.return_loan(loan, actor=ous_technician)
    actions.reprocess_device(ventilator, actor=ous_technician, technical_check="failed")
    ventilator.refresh_from_db()
    assert ventilator.status == "in-repair"


def test_the_agreement_refuses_training_gear_with_its_reason(system, areas, aalborg_patient):
    aalborg = aalborg_patient
    balls = actions.register_device(
        actor=system, aid_type="training-equipment", serial="TR-1", owner=areas["rn-depot"]
    )
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(balls, aalborg, actor=system)
    assert "003 4" in raised.value.errors["device"]
    balls.refresh_from_db()
    assert balls.status == "available" and not Loan.objects.exists()


def test_a_serial_is_registered_once_and_the_type_must_exist(system, areas, ventilator):
    with pytest.raises(Conflict):
        actions.register_device(
            actor=system, aid_type="cpap", serial="HV-0001", owner=areas["ous-bhm"]
        )
    with pytest.raises(InvalidInput) as raised:
        actions.register_device(actor=system, aid_type="rocket", serial="X", owner=areas["ous-bhm"])
    assert "aid_type" in raised.value.errors
    with pytest.raises(InvalidInput) as raised:
        actions.register_device(
            actor=system, aid_type="cpap", serial="Y", owner=areas["oslo-frogner"]
        )
    assert "owner" in raised.value.errors
