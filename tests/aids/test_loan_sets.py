"""Loans as sets: what the agreement lends together (O5) and what a loan needs to be complete
(U7), spares the agreement does not lend (N9), and where the device will be."""

import pytest

from overgang.aids import actions
from overgang.aids.models import Device, Loan
from overgang.aids.sets import MANUAL, PART, SECOND_UNIT, is_complete, outstanding
from overgang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(system, areas):
    def make(aid_type: str, serial: str, owner: str = "ous-bhm") -> Device:
        return actions.register_device(
            actor=system, aid_type=aid_type, serial=serial, owner=areas[owner]
        )

    return make


def kinds_missing(loan: Loan) -> list[str]:
    return [item.kind for item in outstanding(loan)]


def test_a_ventilator_lent_alone_asks_for_its_second_unit_citing_the_agreement(
    ventilator, frogner_patient, ous_technician
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    missing = outstanding(loan)
    second = [m for m in missing if m.kind == SECOND_UNIT]
    assert (
        len(second) == 1
        and "000 4.0" in second[0].text
        and second[0].aid_type == ("home-ventilator")
    )
    assert not is_complete(missing)


def test_two_ventilators_lent_together_form_one_set(
    ventilator, register, frogner_patient, ous_technician, manuals
):
    second = register("home-ventilator", "HV-0002")
    loan = actions.lend_device(
        ventilator,
        frogner_patient,
        actor=ous_technician,
        companions=[second],
        manual_handed_over=True,
        instruction_given=True,
    )
    companion = Loan.objects.get(device=second)
    assert (companion.main, companion.role, companion.patient) == (
        loan,
        "second-unit",
        frogner_patient,
    )
    assert Device.objects.get(pk=second.pk).status == "on-loan"
    assert outstanding(loan) == [] and is_complete(outstanding(loan))


def test_the_second_unit_can_follow_later(ventilator, register, frogner_patient, ous_technician):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    second = register("home-ventilator", "HV-0002")
    added = actions.lend_with(loan, second, actor=ous_technician)
    assert added.main == loan and added.address == loan.address
    assert SECOND_UNIT not in kinds_missing(loan)


def test_long_term_oxygen_is_lent_as_concentrator_and_portable_cylinders(
    register, frogner_patient, ous_technician
):
    concentrator = register("oxygen-concentrator", "OC-1")
    cylinder = register("portable-oxygen-cylinder", "PC-1")
    alone = actions.lend_device(
        concentrator, frogner_patient, actor=ous_technician, therapy="long-term-oxygen"
    )
    parts = [m for m in outstanding(alone) if m.kind == PART]
    assert [p.aid_type for p in parts] == ["portable-oxygen-cylinder"]
    assert "000 4.0" in parts[0].text
    actions.lend_with(alone, cylinder, actor=ous_technician)
    extra = register("portable-oxygen-cylinder", "PC-2")
    actions.lend_with(alone, extra, actor=ous_technician)  # cylinders come several at a time
    assert PART not in kinds_missing(alone)
    assert Loan.objects.filter(main=alone, role="part").count() == 2


def test_a_device_that_does_not_go_with_the_set_is_refused_and_nothing_is_lent(
    ventilator, register, frogner_patient, ous_technician
):
    cpap = register("cpap", "CP-1")
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(ventilator, frogner_patient, actor=ous_technician, companions=[cpap])
    assert "does not go with" in raised.value.errors["companions"]
    assert not Loan.objects.exists()
    assert set(Device.objects.values_list("status", flat=True)) == {"available"}


def test_a_therapy_must_be_one_the_device_is_part_of(register, frogner_patient, ous_technician):
    cpap = register("cpap", "CP-1")
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(cpap, frogner_patient, actor=ous_technician, therapy="long-term-oxygen")
    assert "therapy" in raised.value.errors
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(cpap, frogner_patient, actor=ous_technician, therapy="cpap")
    assert "therapy" in raised.value.errors
    assert not Loan.objects.exists()


def test_if_one_device_of_a_set_is_taken_the_whole_set_waits(
    ventilator, register, frogner_patient, stovner_patient, ous_technician
):
    second = register("home-ventilator", "HV-0002")
    actions.lend_device(second, stovner_patient, actor=ous_technician)
    with pytest.raises(Conflict, match="HV-0002"):
        actions.lend_device(ventilator, frogner_patient, actor=ous_technician, companions=[second])
    assert Device.objects.get(pk=ventilator.pk).status == "available"
    assert Loan.objects.filter(patient=frogner_patient).count() == 0


def test_a_therapy_cannot_be_registered_as_a_device(system, areas):
    with pytest.raises(InvalidInput) as raised:
        actions.register_device(
            actor=system, aid_type="long-term-oxygen", serial="LTO-1", owner=areas["ous-bhm"]
        )
    assert "Oxygen concentrator" in raised.value.errors["aid_type"]
    assert not Device.objects.exists()


def test_nordjylland_lends_no_second_wheelchair_as_a_spare(register, aalborg_patient, system):
    first = register("wheelchair", "KS-1", owner="aalborg-depot")
    second = register("wheelchair", "KS-2", owner="aalborg-depot")
    actions.lend_device(first, aalborg_patient, actor=system)
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(second, aalborg_patient, actor=system)
    assert "003 4" in raised.value.errors["device"]
    assert Device.objects.get(pk=second.pk).status == "available"


def test_nordjylland_lends_nothing_for_activities_outside_the_home(
    register, aalborg_patient, system
):
    chair = register("wheelchair", "KS-1", owner="aalborg-depot")
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(chair, aalborg_patient, actor=system, purpose="activity-outside-home")
    assert "003 4" in raised.value.errors["device"] and "church" in raised.value.errors["device"]
    assert not Loan.objects.exists()


def test_an_unknown_purpose_or_delivery_is_refused_naming_the_field(
    ventilator, frogner_patient, ous_technician
):
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(
            ventilator, frogner_patient, actor=ous_technician, purpose="holiday", delivery="drone"
        )
    assert set(raised.value.errors) == {"purpose", "delivery"}
    assert not Loan.objects.exists()


def test_an_institution_placement_records_the_institution_and_its_address(
    system, areas, register, frogner_patient, ous_technician
):
    nursing_home = areas["oslo-frogner-skillebekk"]
    cpap = register("cpap", "CP-1")
    loan = actions.lend_device(
        cpap,
        frogner_patient,
        actor=ous_technician,
        placement="institution",
        institution=nursing_home,
    )
    assert loan.institution == nursing_home
    assert loan.address == (nursing_home.address or nursing_home.name)


def test_an_institution_placement_needs_an_institution(
    register, frogner_patient, ous_technician, areas
):
    cpap = register("cpap", "CP-1")
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(cpap, frogner_patient, actor=ous_technician, placement="institution")
    assert "institution" in raised.value.errors
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(
            cpap,
            frogner_patient,
            actor=ous_technician,
            placement="institution",
            institution=areas["oslo-frogner-bestiller"],
        )
    assert "not an institution" in raised.value.errors["institution"]
    assert not Loan.objects.exists()


def test_a_home_loan_records_the_home_address(ventilator, frogner_patient, ous_technician):
    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    assert loan.address == "Skovveien 12" and loan.institution is None


def test_the_manual_must_be_handed_over_before_the_loan_is_complete(
    register, frogner_patient, ous_technician, manuals
):
    cpap = register("cpap", "CP-1")
    loan = actions.lend_device(cpap, frogner_patient, actor=ous_technician)
    assert kinds_missing(loan) == [MANUAL, "instruction"]
    assert not is_complete(outstanding(loan))
    actions.hand_over(loan, actor=ous_technician, manual_handed_over=True)
    loan.refresh_from_db()
    assert loan.manual == manuals["cpap"] and is_complete(outstanding(loan))


def test_in_nordjylland_a_second_concentrator_is_a_spare_even_inside_a_therapy(
    register, aalborg_patient, system
):
    first = register("oxygen-concentrator", "OC-A", owner="rn-depot")
    second = register("oxygen-concentrator", "OC-B", owner="rn-depot")
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(
            first, aalborg_patient, actor=system, therapy="long-term-oxygen", companions=[second]
        )
    assert "003 4" in raised.value.errors["device"]
    loan = actions.lend_device(first, aalborg_patient, actor=system, therapy="long-term-oxygen")
    with pytest.raises(InvalidInput):
        actions.lend_with(loan, second, actor=system)
    assert Loan.objects.count() == 1


def test_when_the_first_device_of_a_set_comes_back_the_next_one_leads_the_set(
    ventilator, register, frogner_patient, ous_technician
):
    second = register("home-ventilator", "HV-0002")
    main = actions.lend_device(
        ventilator, frogner_patient, actor=ous_technician, companions=[second]
    )
    actions.return_loan(main, actor=ous_technician)
    leader = Loan.objects.get(device=second)
    assert (leader.main, leader.role) == (None, "main")
    assert SECOND_UNIT in kinds_missing(leader)
    third = register("home-ventilator", "HV-0003")
    added = actions.lend_with(leader, third, actor=ous_technician)
    assert added.main == leader and SECOND_UNIT not in kinds_missing(leader)


def test_a_unit_lent_on_its_own_earlier_counts_as_the_second(
    ventilator, register, frogner_patient, ous_technician
):
    first = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    later = actions.lend_device(
        register("home-ventilator", "HV-0002"), frogner_patient, actor=ous_technician
    )
    assert SECOND_UNIT not in kinds_missing(first) and SECOND_UNIT not in kinds_missing(later)
