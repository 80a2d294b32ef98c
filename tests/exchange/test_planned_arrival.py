"""The admission message of a patient whose admission was planned (issue 17): PLO's
LOG_INNLAGT at Levanger and MedCom's admit-inpatient at Aalborg find the planned stay at that
trust (region) and mark it admitted, instead of opening a second stay; the notices given
before arrival stay on it."""

from __future__ import annotations

import datetime

from overgang import clock
from overgang.exchange.actions import receive
from overgang.patients import actions as patient_actions
from overgang.stays import actions
from overgang.stays.models import Deadline, Stay
from overgang.stays.states import StayStatus
from tests.exchange.conftest import PATIENT
from tests.exchange.test_aalborg_stay import acknowledged, notification

ADMITTED = "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"


def ahead(days: int = 5) -> datetime.datetime:
    return clock.now() + datetime.timedelta(days=days)


def planned_levanger(system, areas, unit: str = "hnt-levanger-med") -> Stay:
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number=PATIENT,
        name="Roland Gundersen",
        municipality="Levanger",
        address="Kirkegata 7",
    )
    return actions.admit(
        patient, actor=system, unit=areas[unit], admission="planned", admitted_at=ahead()
    )


def test_levanger_admission_message_admits_the_planned_stay(addressed, areas, system):
    stay = planned_levanger(system, areas)
    notice = Deadline.objects.get(stay=stay, duty="aid-needs-notice")
    result = receive(addressed(ADMITTED, days_ago=0), actor=system)
    assert result.status == "accepted", result.errors
    assert result.stay == stay.pk
    assert Stay.objects.count() == 1
    stay.refresh_from_db()
    assert stay.status == StayStatus.ADMITTED
    assert stay.admitted_at <= clock.now()
    assert result.events == ["admission-notified"]
    # The notice opened before arrival is the same duty still; the admission's own run too.
    assert Deadline.objects.filter(pk=notice.pk).exists()
    duties = set(Deadline.objects.filter(stay=stay).values_list("duty", flat=True))
    assert {"aid-needs-notice", "admission-report", "functional-needs-description"} <= duties


def test_a_planned_stay_at_another_trust_is_not_this_admission(addressed, areas, system):
    stay = planned_levanger(system, areas, unit="ous-lunge")
    result = receive(addressed(ADMITTED, days_ago=0), actor=system)
    assert result.status != "accepted"
    assert "planned admission at another hospital" in " ".join(map(str, result.errors))
    stay.refresh_from_db()
    assert stay.status == StayStatus.PLANNED
    assert Stay.objects.count() == 1


def test_aalborg_admit_inpatient_admits_the_planned_stay(areas, system, aalborg_patient):
    stay = actions.admit(
        aalborg_patient,
        actor=system,
        unit=areas["aauh-lunge"],
        admission="planned",
        admitted_at=ahead(),
        aid_need_foreseeable=True,
    )
    assert Deadline.objects.filter(stay=stay, duty="aid-needs-notice").exists()
    start = clock.now() - datetime.timedelta(minutes=20)
    admitted = receive(notification("admit-inpatient", start=start), actor=system)
    assert admitted.status == "accepted", admitted.errors
    assert acknowledged(admitted) == "ok"
    assert admitted.stay == stay.pk
    stay.refresh_from_db()
    assert stay.status == StayStatus.ADMITTED
    assert abs(stay.admitted_at - start) < datetime.timedelta(seconds=1)
    assert Stay.objects.count() == 1
