"""Needs give each party the agreement names its task; loans and training close them; and
where the patient's agreement says so (Oslo's 000 8.0), the discharge-ready checklist holds
until the aids are in place (H1, H4, H5, O9, O10); elsewhere they are warnings."""

from __future__ import annotations

import pytest

from overgang.aids import actions as aid_actions
from overgang.errors import Conflict, InvalidInput
from overgang.stays import actions
from overgang.stays.checklist import discharge_blockers, need_warnings
from overgang.stays.models import Deadline, NeedStatus
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db


def tasks(stay):
    return {(d.duty, d.party): d for d in Deadline.objects.filter(stay=stay, need__isnull=False)}


def test_describing_a_functional_difficulty_fulfils_h1(levanger_stay, hnt_physician):
    actions.record_need(
        levanger_stay,
        actor=hnt_physician,
        kind="function",
        description="Cannot walk stairs; needs help to shower.",
        own_part="The daughter helps in the evenings.",
        at=at("2026-03-28 09:00"),
    )
    h1 = Deadline.objects.get(stay=levanger_stay, duty="functional-needs-description")
    assert h1.done_at is not None
    assert not h1.late


def test_a_long_term_wheelchair_is_the_municipalitys_to_assess_and_navs_to_deliver(
    levanger_stay, hnt_physician, areas
):
    need = actions.record_need(
        levanger_stay,
        actor=hnt_physician,
        kind="aid",
        aid_type="wheelchair",
        description="Wheelchair for outdoor use",
        duration="long",
        at=at("2026-03-28 09:00"),
    )
    found = tasks(levanger_stay)
    assert set(found) == {
        ("aid-assessment", "municipality"),
        ("aid-application", "municipality"),
        ("aid-delivery", "nav"),
    }
    assert found["aid-application", "municipality"].holder == areas["levanger-tildeling"]
    assert found["aid-application", "municipality"].cites == ["002 2"]
    # Due by the expected discharge: admitted Friday 10:00 CET, 96 real hours later is
    # Tuesday 11:00 in summer time.
    assert found["aid-delivery", "nav"].due == at("2026-03-31 11:00")
    assert "NAV" in need.said("notes", "en")[0]


def test_a_short_term_need_is_the_municipalitys_from_its_depot(levanger_stay, hnt_physician):
    actions.record_need(
        levanger_stay,
        actor=hnt_physician,
        kind="aid",
        aid_type="wheelchair",
        description="For the first weeks",
        duration="short",
        at=at("2026-03-28 09:00"),
    )
    assert set(tasks(levanger_stay)) == {
        ("aid-assessment", "municipality"),
        ("aid-delivery", "municipality"),
    }


def test_a_treatment_aid_is_applied_for_by_the_hospital_and_blocks_until_lent_and_trained(
    oslo_stay, ous_clinician, system, areas, manuals
):
    """Oslo's routine makes it a condition (000 8.0, O9): the aids in place and the training
    done before the patient is declared discharge-ready."""
    oslo_stay = actions.document(
        oslo_stay, SECTION_9, actor=ous_clinician, texts=written(SECTION_9)
    )
    need = actions.record_need(
        oslo_stay,
        actor=ous_clinician,
        kind="aid",
        aid_type="cpap",
        description="CPAP at night",
        at=at("2026-03-28 09:00"),
    )
    assert ("aid-application", "hospital") in set(tasks(oslo_stay))
    blockers = discharge_blockers(oslo_stay)
    keys = [b.key for b in blockers]
    assert f"need:{need.pk}" not in keys  # the open application task stands for it
    instruction = tasks(oslo_stay)["aid-instruction", "hospital"]
    assert f"task:{instruction.pk}" in keys  # the training to give stands open
    assert all("(000 8.0)" in str(b) for b in blockers)  # cites Oslo's own routine
    with pytest.raises(Conflict):
        actions.declare_discharge_ready(oslo_stay, actor=ous_clinician)

    for task in tasks(oslo_stay).values():
        actions.complete_deadline(task, actor=ous_clinician, note="Done by phone")
    assert f"need:{need.pk}" in [b.key for b in discharge_blockers(oslo_stay)]
    device = aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-OSL-1", owner=areas["ous-bhm"]
    )
    loan = aid_actions.lend_device(device, oslo_stay.patient, actor=system, manual_handed_over=True)
    actions.link_loan(need, loan, actor=ous_clinician)
    need.refresh_from_db()
    assert need.status == NeedStatus.MET
    actions.record_training(
        oslo_stay,
        actor=ous_clinician,
        aid_type="cpap",
        trainee="patient",
        names="Kari Nordmann",
        at=at("2026-03-29 10:00"),
        written_procedures="Cleaning routine for the mask",
    )
    actions.record_training(
        oslo_stay,
        actor=ous_clinician,
        aid_type="cpap",
        trainee="staff",
        names="Hjemmesykepleien Frogner",
        at=at("2026-03-29 11:00"),
    )
    oslo_stay.refresh_from_db()
    assert discharge_blockers(oslo_stay) == []
    stay = actions.declare_discharge_ready(oslo_stay, actor=ous_clinician)
    assert stay.override_reason == ""


@pytest.mark.parametrize("area", ["levanger", "tromso"])
def test_where_the_routine_is_silent_open_aid_tasks_warn_and_do_not_block(stays_of, area):
    """HNT's and UNN's routines do not make the aids a condition of discharge-ready: the
    open tasks are shown as warnings, and the physician decides on § 9 alone (issue 14)."""
    stay, physician = stays_of[area]
    stay = actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.record_need(
        stay, actor=physician, kind="aid", aid_type="wheelchair", description="Wheelchair"
    )
    assert discharge_blockers(stay) == []
    warnings = need_warnings(stay)
    assert warnings and all(b.key.startswith(("task:", "need:")) for b in warnings)
    assert not any("000 8.0" in str(w) for w in warnings)
    stay = actions.declare_discharge_ready(stay, actor=physician)
    assert stay.status == "discharge-ready"
    assert stay.override_reason == ""


def test_an_aid_already_on_loan_fulfils_the_need_at_once(
    levanger_stay, hnt_physician, system, areas
):
    device = aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-LEV-2", owner=areas["stolav-bhm"]
    )
    loan = aid_actions.lend_device(device, levanger_stay.patient, actor=system)
    need = actions.record_need(
        levanger_stay, actor=hnt_physician, kind="aid", aid_type="cpap", description="CPAP"
    )
    assert need.loan == loan
    assert need.status == NeedStatus.MET


def test_a_training_to_repeat_keeps_the_warning(levanger_stay, hnt_physician):
    need = actions.record_need(
        levanger_stay, actor=hnt_physician, kind="aid", aid_type="cpap", description="CPAP"
    )
    actions.record_training(
        levanger_stay,
        actor=hnt_physician,
        aid_type="cpap",
        trainee="relative",
        names="Liv Levangsen",
        interpreter=True,
        repeat=True,
    )
    assert f"training:{need.pk}" in [b.key for b in need_warnings(levanger_stay)]


def test_a_cancelled_need_withdraws_its_open_tasks(levanger_stay, hnt_physician):
    need = actions.record_need(
        levanger_stay,
        actor=hnt_physician,
        kind="aid",
        aid_type="wheelchair",
        description="Wheelchair",
        duration="long",
    )
    with pytest.raises(InvalidInput):
        actions.cancel_need(need, actor=hnt_physician, reason=" ")
    actions.cancel_need(need, actor=hnt_physician, reason="Walks with a rollator now")
    assert not Deadline.objects.filter(need=need, done_at__isnull=True).exists()
    assert set(Deadline.objects.filter(need=need).values_list("outcome", flat=True)) == {
        "withdrawn"
    }
    assert discharge_blockers(levanger_stay)[0].key.startswith("section-9")


def test_bad_needs_and_trainings_name_their_fields(
    levanger_stay, hnt_physician, levanger_case_worker
):
    with pytest.raises(InvalidInput) as error:
        actions.record_need(
            levanger_stay, actor=hnt_physician, kind="aid", aid_type="teleporter", description=""
        )
    assert set(error.value.errors) == {"aid_type", "description"}
    with pytest.raises(InvalidInput) as error:
        actions.record_need(
            levanger_stay, actor=levanger_case_worker, kind="function", description="x"
        )
    assert "kind" in error.value.errors  # the hospital describes the needs
    with pytest.raises(InvalidInput) as error:
        actions.record_training(
            levanger_stay, actor=hnt_physician, aid_type="", trainee="cat", names=""
        )
    assert set(error.value.errors) == {"aid_type", "trainee", "names"}
    assert not levanger_stay.needs.exists() and not levanger_stay.trainings.exists()


def test_relatives_who_need_support_need_a_note(levanger_stay, levanger_case_worker):
    with pytest.raises(InvalidInput) as error:
        actions.assess_relatives(
            levanger_stay,
            actor=levanger_case_worker,
            relatives_need_support=True,
            minor_children=False,
        )
    assert set(error.value.errors) == {"note"}
    stay = actions.assess_relatives(
        levanger_stay,
        actor=levanger_case_worker,
        relatives_need_support=False,
        minor_children=True,
        note="The children's school nurse is told, with the parents' consent.",
        individual_plan="requested",
        coordinator="Kari Koordinator, Levanger kommune",
    )
    assert stay.relatives_assessed_at is not None
    assert stay.get_individual_plan_display() == "reported to the coordinating unit"
