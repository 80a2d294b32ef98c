"""A discharge to a new place moves the patient, and where the agreement says so gives the
party it names the second-time training of staff on the treatment aids (O10, 000 9.3)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from overgang.aids import actions as aid_actions
from overgang.errors import InvalidInput
from overgang.stays import actions
from overgang.stays.models import Deadline

pytestmark = pytest.mark.django_db


def _leave(patient, physician, case_worker, areas, *, destination):
    now = timezone.now() - datetime.timedelta(hours=5)
    hour = datetime.timedelta(hours=1)
    stay = actions.admit(
        patient, actor=physician, unit=areas["ous-lunge"], admission="emergency", admitted_at=now
    )
    actions.declare_discharge_ready(stay, actor=physician, at=now + hour, override="Test")
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR", "UTSKRIVNINGSRAPPORT"):
        actions.record_message(stay, code, actor=physician, sent_at=now + hour)
    actions.record_answer(
        stay, actor=case_worker, can_receive=True, receive_at=now + 2 * hour, service="Care"
    )
    # Oslo's routine has no departure checklist of its own (HNT's 004 Vedlegg 3.1.2 is not it).
    actions.declare_departure_ready(stay, actor=physician, at=now + 2 * hour)
    return actions.discharge(stay, actor=physician, at=now + 3 * hour, destination=destination)


@pytest.fixture
def on_cpap(system, areas, frogner_patient):
    device = aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-MOVE", owner=areas["ous-bhm"]
    )
    aid_actions.lend_device(device, frogner_patient, actor=system)
    return frogner_patient


def test_moving_from_home_into_a_nursing_home_gives_the_municipality_the_second_training(
    on_cpap, ous_clinician, frogner_case_worker, areas
):
    stay = _leave(
        on_cpap, ous_clinician, frogner_case_worker, areas, destination="oslo-frogner-skillebekk"
    )
    on_cpap.refresh_from_db()
    assert on_cpap.residence == "institution"
    assert on_cpap.institution == areas["oslo-frogner-skillebekk"]
    task = Deadline.objects.get(stay=stay, duty="second-training")
    assert task.done_at is None
    assert task.cites == ["000 9.3"]
    assert task.holder == areas["oslo-frogner-bestiller"]


def test_leaving_a_nursing_home_gives_the_institution_left_the_second_training(
    on_cpap, ous_clinician, frogner_case_worker, areas, system
):
    from overgang.patients import actions as patient_actions

    patient_actions.update_patient(
        on_cpap, actor=system, residence="institution", institution=areas["oslo-frogner-skillebekk"]
    )
    on_cpap.refresh_from_db()
    stay = _leave(on_cpap, ous_clinician, frogner_case_worker, areas, destination="home")
    task = Deadline.objects.get(stay=stay, duty="second-training")
    assert task.holder == areas["oslo-frogner-skillebekk"]


def test_going_back_home_or_without_treatment_aids_needs_no_second_training(
    frogner_patient, ous_clinician, frogner_case_worker, areas
):
    stay = _leave(frogner_patient, ous_clinician, frogner_case_worker, areas, destination="home")
    assert not Deadline.objects.filter(stay=stay, duty="second-training").exists()


def test_a_destination_that_is_no_institution_is_refused_and_the_stay_stays_open(
    on_cpap, ous_clinician, frogner_case_worker, areas
):
    with pytest.raises(InvalidInput) as error:
        _leave(on_cpap, ous_clinician, frogner_case_worker, areas, destination="ous-lunge")
    assert set(error.value.errors) == {"destination"}
    assert on_cpap.stays.get().status == "departure-ready"
