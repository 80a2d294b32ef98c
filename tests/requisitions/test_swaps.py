"""Swap reports (O3, 000 3.1): the institution reports a resident on its own equipment; the
agreement decides; no swap in the terminal phase; the unit lends the hospital's equipment."""

import pytest

from overgang.aids import actions as aids
from overgang.aids.models import Loan
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.patients import actions as patients
from overgang.requisitions import actions
from overgang.requisitions.models import SwapReport

pytestmark = pytest.mark.django_db


def test_a_resident_whose_treatment_the_hospital_started_is_swapped(
    resident, nursing_home, reported
):
    report = reported()
    assert (report.status, report.swap, report.cites) == ("to-swap", True, ["000 3.1"])
    assert report.institution.key == "oslo-frogner-skillebekk"
    assert "institution documents" in report.reason


def test_no_swap_in_the_terminal_phase(resident, nursing_home, reported):
    report = reported(terminal=True)
    assert (report.status, report.swap) == ("no-swap", False)
    assert "terminal phase" in report.reason and report.closed_at is not None


def test_no_swap_when_a_municipal_doctor_started_the_treatment(resident, nursing_home):
    report = actions.report_swap(
        resident,
        actor=nursing_home,
        aid_type="oxygen-concentrator",
        started_by="nursing-home-doctor",
    )
    assert report.status == "no-swap" and "started in hospital" in report.reason


def test_a_start_in_hospital_must_be_documented(resident, nursing_home):
    with pytest.raises(InvalidInput) as raised:
        actions.report_swap(
            resident, actor=nursing_home, aid_type="oxygen-concentrator", started_by="specialist"
        )
    assert "000 3.1" in raised.value.errors["documentation"]
    assert not SwapReport.objects.exists()


def test_only_residents_of_an_institution_are_reported(frogner_patient, nursing_home, reported):
    with pytest.raises(InvalidInput) as raised:
        actions.report_swap(
            frogner_patient,
            actor=nursing_home,
            aid_type="rocket",
            started_by="nobody",
        )
    assert set(raised.value.errors) == {"patient", "aid_type", "started_by"}
    assert not SwapReport.objects.exists()


def test_the_same_equipment_is_reported_once_while_open(resident, nursing_home, reported):
    reported()
    with pytest.raises(Conflict):
        reported()
    assert SwapReport.objects.count() == 1


def test_an_agreement_without_a_swap_rule_does_not_decide(system, areas, make_user):
    tromso = patients.create_patient(
        actor=system,
        national_id_number="03035512410",
        name="Nils Nordlys",
        municipality="Tromsø",
        address="Storgata 1",
        residence="institution",
        institution=next(
            o for o in areas.values() if o.kind == "nursing_home" and o.key.startswith("tromso")
        ),
    )
    worker = make_user("tromso-home", ("tromso-tildeling", "case-worker"))
    report = actions.report_swap(
        tromso,
        actor=worker,
        aid_type="oxygen-concentrator",
        started_by="specialist",
        documentation="x",
    )
    assert (report.status, report.swap) == ("not-covered", None)


def test_a_tromso_report_without_documentation_does_not_cite_oslos_routine(
    system, areas, make_user
):
    """UNN's routine says nothing of a swap's documentation: the message says so, and never
    cites Oslo's 000 3.1 to a Tromsø resident."""
    tromso = patients.create_patient(
        actor=system,
        national_id_number="03035512410",
        name="Nils Nordlys",
        municipality="Tromsø",
        address="Storgata 1",
        residence="institution",
        institution=next(
            o for o in areas.values() if o.kind == "nursing_home" and o.key.startswith("tromso")
        ),
    )
    worker = make_user("tromso-home", ("tromso-tildeling", "case-worker"))
    with pytest.raises(InvalidInput) as raised:
        actions.report_swap(
            tromso, actor=worker, aid_type="oxygen-concentrator", started_by="specialist"
        )
    message = raised.value.errors["documentation"]
    assert "000 " not in message and "names no routine" in message


def test_the_unit_lends_its_device_in_the_institution_and_the_swap_is_done(
    resident, nursing_home, system, areas, ous_technician, reported
):
    report = reported()
    device = aids.register_device(
        actor=system, aid_type="oxygen-concentrator", serial="OC-1", owner=areas["ous-bhm"]
    )
    loan = actions.lend_for_swap(report, device, actor=ous_technician)
    report.refresh_from_db()
    assert (report.status, report.loan) == ("swapped", loan)
    assert (loan.placement, loan.institution.key) == ("institution", "oslo-frogner-skillebekk")
    with pytest.raises(Conflict):
        actions.lend_for_swap(report, device, actor=ous_technician)
    steps = ChangeRecord.objects.filter(model="requisitions.swapreport", object_id=str(report.pk))
    assert [s.changes.get("status") for s in steps.order_by("at", "id")] == [
        [None, "to-swap"],
        ["to-swap", "swapped"],
    ]


def test_a_device_of_another_kind_is_refused_and_nothing_is_lent(
    resident, nursing_home, system, areas, ous_technician, reported
):
    report = reported()
    cpap = aids.register_device(
        actor=system, aid_type="cpap", serial="CP-1", owner=areas["ous-bhm"]
    )
    with pytest.raises(InvalidInput) as raised:
        actions.lend_for_swap(report, cpap, actor=ous_technician)
    assert "device" in raised.value.errors
    report.refresh_from_db()
    assert report.status == "to-swap" and not Loan.objects.exists()


def test_a_report_is_withdrawn_once(resident, nursing_home, reported):
    report = reported()
    actions.withdraw_swap(report, actor=nursing_home)
    report.refresh_from_db()
    assert report.status == "withdrawn"
    with pytest.raises(Conflict):
        actions.withdraw_swap(report, actor=nursing_home)


def test_the_reason_is_read_in_the_readers_language(resident, nursing_home, reported):
    from django.utils import translation

    report = reported(terminal=True)
    with translation.override("nb"):
        assert report.reason.startswith("Utskifting av utstyr unngås")
    with translation.override("da"):
        assert (
            "terminalfasen" in report.reason and "unødig belastning for patienten" in report.reason
        )
    with translation.override("en"):
        assert "terminal phase" in report.reason
