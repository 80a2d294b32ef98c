"""The lists the unit's start-page figures open (issue 19, item 6): open failures and loans
without the manual hold the unit's own and nothing of another unit; others may not open them;
the loans list logs its reads."""

import pytest

from overgang.aids import actions, failures
from overgang.audit.models import PatientRead

pytestmark = pytest.mark.django_db


@pytest.fixture
def unn_technician(make_user):
    return make_user("unn-bhm", ("unn-bhm", "aids-staff"))


@pytest.fixture
def lent_without_manual(ventilator, frogner_patient, ous_technician):
    return actions.lend_device(
        ventilator, frogner_patient, actor=ous_technician, manual_handed_over=False
    )


def test_the_unit_lists_its_loans_without_the_manual_and_the_read_is_logged(
    client, ous_technician, lent_without_manual, frogner_patient
):
    client.force_login(ous_technician)
    page = client.get("/loans/without-manual/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert lent_without_manual.device.serial in shown and frogner_patient.name in shown
    assert PatientRead.objects.filter(user=ous_technician, patient=frogner_patient).exists()


def test_a_loan_with_its_manual_is_not_listed(client, ous_technician, lent_without_manual, manuals):
    actions.hand_over(
        lent_without_manual, actor=ous_technician, manual_handed_over=True, instruction_given=True
    )
    client.force_login(ous_technician)
    page = client.get("/loans/without-manual/")
    assert lent_without_manual.device.serial not in page.content.decode()


def test_another_unit_sees_neither_the_loan_nor_the_failure(
    client, unn_technician, lent_without_manual, ous_technician, frogner_patient
):
    failures.report_failure(
        lent_without_manual.device, actor=ous_technician, description="Alarmen piper."
    )
    client.force_login(unn_technician)
    loans = client.get("/loans/without-manual/").content.decode()
    broken = client.get("/failures/").content.decode()
    serial = lent_without_manual.device.serial
    assert serial not in loans and serial not in broken
    assert not PatientRead.objects.filter(user=unn_technician, patient=frogner_patient).exists()


def test_the_owner_lists_the_open_failure_and_a_resolved_one_leaves(
    client, ous_technician, lent_without_manual
):
    report = failures.report_failure(
        lent_without_manual.device, actor=ous_technician, description="Alarmen piper."
    )
    client.force_login(ous_technician)
    assert "Alarmen piper." in client.get("/failures/").content.decode()
    failures.resolve_failure(report, actor=ous_technician, resolution="Byttet sensor.")
    assert "Alarmen piper." not in client.get("/failures/").content.decode()


@pytest.mark.parametrize("path", ["/failures/", "/loans/without-manual/"])
def test_a_case_worker_may_not_open_the_units_lists(client, frogner_case_worker, path):
    client.force_login(frogner_case_worker)
    assert client.get(path).status_code == 403
