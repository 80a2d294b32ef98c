"""Planned admissions before the patient arrives (issue 17: H4, H5, N5), in the four areas.

A planned admission with a time ahead is a planned stay: the notices of its agreement open
when the date is set (H4 at HNT; N5 at Nordjylland only where a need for aids is foreseeable
at the pre-examination; none at Oslo and UNN, whose agreements set none), the patient's one
open stay, never counted as in hospital or waiting. It becomes admitted when the patient
arrives (by hand or by the admission message), or is cancelled with a reason.
"""

from __future__ import annotations

import datetime

import pytest

from overgang import clock
from overgang.errors import Conflict, InvalidInput
from overgang.rules import deadlines as rules_deadlines
from overgang.stays import actions
from overgang.stays.figures import deadline_figures
from overgang.stays.models import Deadline, News, Notification, Stay, StayEvent
from overgang.stays.states import StayStatus

pytestmark = pytest.mark.django_db

# area -> (patient fixture, physician fixture, admitting unit, municipal case worker fixture)
AREAS = {
    "oslo": ("frogner_patient", "ous_clinician", "ous-lunge", "frogner_case_worker"),
    "tromso": ("tromso_patient", "unn_physician", "unn-lunge", "tromso_case_worker"),
    "levanger": ("levanger_patient", "hnt_physician", "hnt-levanger-med", "levanger_case_worker"),
    "aalborg": ("aalborg_patient", "aalborg_physician", "aauh-lunge", "aalborg_case_worker"),
}

# What planning opens, per area and whether a need for aids is foreseeable (H4, N5): the
# notice of aid needs, the hospital's, due at once.
NOTICES = {
    ("oslo", False): set(),
    ("oslo", True): set(),
    ("tromso", False): set(),
    ("tromso", True): set(),
    # H4 (002 2): when the date is set, whatever the pre-examination foresaw.
    ("levanger", False): {"aid-needs-notice"},
    ("levanger", True): {"aid-needs-notice"},
    # N5 (003 3): only "såfremt ... kan forudse et behov for hjælpemiddel".
    ("aalborg", False): set(),
    ("aalborg", True): {"aid-needs-notice"},
}


def ahead(days: int = 10) -> datetime.datetime:
    return (clock.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def plan(request, area: str, *, foreseeable: bool = False, days: int = 10, **fields) -> Stay:
    patient_fixture, physician_fixture, unit, _worker = AREAS[area]
    return actions.admit(
        request.getfixturevalue(patient_fixture),
        actor=request.getfixturevalue(physician_fixture),
        unit=request.getfixturevalue("areas")[unit],
        admission="planned",
        admitted_at=ahead(days),
        expected_stay_hours=96,
        aid_need_foreseeable=foreseeable,
        **fields,
    )


def open_duties(stay: Stay) -> set[str]:
    return set(
        Deadline.objects.filter(stay=stay, done_at__isnull=True).values_list("duty", flat=True)
    )


@pytest.mark.parametrize(("area", "foreseeable"), sorted(NOTICES))
def test_planning_opens_the_notices_of_the_areas_agreement_before_arrival(
    request, area, foreseeable
):
    """H4, N5: the notices open when the date is set, due at once, before the patient is in
    hospital; nothing of an admission (R1, R2, H1, N5's care plan) runs yet."""
    stay = plan(request, area, foreseeable=foreseeable)
    assert stay.status == StayStatus.PLANNED
    assert open_duties(stay) == NOTICES[area, foreseeable]
    for deadline in Deadline.objects.filter(stay=stay):
        assert deadline.party == "hospital"
        assert deadline.due is not None
        assert deadline.due <= clock.now()
        assert deadline.cites in (["002 2"], ["003 3"])
    assert not StayEvent.objects.filter(stay=stay, name="admitted").exists()


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_patient_arrives_and_the_admissions_deadlines_start(request, area):
    stay = plan(request, area, foreseeable=True)
    physician = request.getfixturevalue(AREAS[area][1])
    notices = open_duties(stay)
    arrived_at = clock.now().replace(microsecond=0) - datetime.timedelta(minutes=10)
    actions.record_arrival(stay, actor=physician, at=arrived_at)
    stay.refresh_from_db()
    assert stay.status == StayStatus.ADMITTED
    assert stay.admitted_at == arrived_at
    assert stay.expected_discharge == arrived_at + datetime.timedelta(hours=96)
    # What the engine says an admission at that time starts (R1, R2, H1, N5's care plan).
    on_admission = rules_deadlines(
        {
            "agreement": stay.agreement,
            "event": "admitted",
            "at": arrived_at.isoformat(),
            "context": {"admission": "planned", "expected_stay_hours": 96},
        }
    )["deadlines"]
    opened = Deadline.objects.filter(stay=stay, event__name="admitted")
    assert {(d.duty, d.due) for d in opened} == {
        (d["duty"], datetime.datetime.fromisoformat(d["due"]) if d["due"] else None)
        for d in on_admission
    }
    # The notices given (or owed) before arrival stay as they were.
    assert notices <= open_duties(stay)
    names = StayEvent.objects.filter(stay=stay, at=arrived_at).values_list("name", flat=True)
    assert sorted(names) == ["admitted", "arrived"]


@pytest.mark.parametrize("area", sorted(AREAS))
def test_an_emergency_admission_for_a_time_ahead_stays_refused(request, area):
    patient_fixture, physician_fixture, unit, _worker = AREAS[area]
    with pytest.raises(InvalidInput) as refused:
        actions.admit(
            request.getfixturevalue(patient_fixture),
            actor=request.getfixturevalue(physician_fixture),
            unit=request.getfixturevalue("areas")[unit],
            admission="emergency",
            admitted_at=ahead(),
        )
    assert set(refused.value.errors) == {"admitted_at"}
    assert not Stay.objects.exists()


def test_a_planned_time_without_its_offset_is_refused(levanger_patient, hnt_physician, areas):
    with pytest.raises(InvalidInput) as refused:
        actions.admit(
            levanger_patient,
            actor=hnt_physician,
            unit=areas["hnt-levanger-med"],
            admission="planned",
            admitted_at=ahead().replace(tzinfo=None),
        )
    assert set(refused.value.errors) == {"admitted_at"}
    assert not Stay.objects.exists()


@pytest.mark.parametrize("area", sorted(AREAS))
def test_an_emergency_admission_while_a_planned_one_waits_is_a_clear_conflict(request, area):
    """The planned stay is the patient's one open stay: an emergency admission meanwhile is
    refused, naming the planned stay and what to do (record the arrival, or cancel it)."""
    stay = plan(request, area)
    patient_fixture, physician_fixture, unit, _worker = AREAS[area]
    with pytest.raises(Conflict) as refused:
        actions.admit(
            request.getfixturevalue(patient_fixture),
            actor=request.getfixturevalue(physician_fixture),
            unit=request.getfixturevalue("areas")[unit],
            admission="emergency",
            admitted_at=clock.now(),
        )
    assert "planned admission" in str(refused.value)
    assert stay.hospital.name in str(refused.value)
    assert list(Stay.objects.values_list("pk", "status")) == [(stay.pk, StayStatus.PLANNED)]


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_cancelled_planned_admission_ends_its_duties_and_tells_the_municipality(request, area):
    stay = plan(request, area, foreseeable=True)
    physician = request.getfixturevalue(AREAS[area][1])
    with pytest.raises(InvalidInput) as refused:
        actions.cancel_planned(stay, actor=physician, reason=" ")
    assert set(refused.value.errors) == {"reason"}
    actions.cancel_planned(stay, actor=physician, reason="The operation is postponed.")
    stay.refresh_from_db()
    assert stay.status == StayStatus.CANCELLED
    assert stay.ended_at is not None
    assert open_duties(stay) == set()
    assert Notification.objects.filter(news=News.PLANNED_CANCELLED, patient=stay.patient).exists()
    # The patient may be planned again (the one open stay is free).
    assert plan(request, area).status == StayStatus.PLANNED


@pytest.mark.parametrize("area", sorted(AREAS))
def test_only_the_hospital_records_the_arrival(request, area):
    stay = plan(request, area)
    case_worker = request.getfixturevalue(AREAS[area][3])
    with pytest.raises(InvalidInput):
        actions.record_arrival(stay, actor=case_worker, at=clock.now())
    with pytest.raises(InvalidInput):
        actions.cancel_planned(stay, actor=case_worker, reason="No.")
    stay.refresh_from_db()
    assert stay.status == StayStatus.PLANNED


def test_an_arrival_in_the_future_or_twice_is_refused(levanger_patient, hnt_physician, areas):
    stay = actions.admit(
        levanger_patient,
        actor=hnt_physician,
        unit=areas["hnt-levanger-med"],
        admission="planned",
        admitted_at=ahead(),
    )
    with pytest.raises(InvalidInput) as refused:
        actions.record_arrival(stay, actor=hnt_physician, at=ahead(1))
    assert set(refused.value.errors) == {"at"}
    actions.record_arrival(stay, actor=hnt_physician, at=clock.now())
    with pytest.raises(Conflict):
        actions.record_arrival(stay, actor=hnt_physician, at=clock.now())


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_planned_stay_is_not_among_the_patients_in_hospital(request, area):
    stay = plan(request, area)
    physician = request.getfixturevalue(AREAS[area][1])
    case_worker = request.getfixturevalue(AREAS[area][3])
    for user in (physician, case_worker):
        figures = deadline_figures(user)
        assert figures is not None
        assert figures["stays"] == 0
        assert figures["waiting"] == 0
    actions.record_arrival(stay, actor=physician, at=clock.now())
    figures = deadline_figures(case_worker)
    assert figures is not None
    assert figures["stays"] == 1


def test_the_levanger_notice_given_before_arrival_puts_the_aids_on_the_municipalitys_worklist(
    levanger_patient, hnt_physician, levanger_case_worker, areas
):
    """H4 then H5: the hospital tells which aid is needed and for how long; the municipality
    holds its tasks (assess, apply to NAV with the signed application) before the patient
    arrives, and may register the application on the planned stay (H5 "før innleggelse")."""
    from overgang.requisitions import actions as requisitions
    from overgang.requisitions.actions.nav import NavApplicationInput
    from overgang.stays.access import worklist

    stay = actions.admit(
        levanger_patient,
        actor=hnt_physician,
        unit=areas["hnt-levanger-med"],
        admission="planned",
        admitted_at=ahead(14),
        expected_stay_hours=120,
    )
    assert {d.duty for d in worklist(hnt_physician).filter(stay=stay)} == {"aid-needs-notice"}
    need = actions.record_need(
        stay,
        actor=hnt_physician,
        kind="aid",
        aid_type="wheelchair",
        description="Wheelchair after the hip operation",
        duration="long",
    )
    assert "aid-needs-notice" not in open_duties(stay)
    municipal = {d.duty for d in worklist(levanger_case_worker).filter(stay=stay)}
    assert {"aid-assessment", "aid-application"} <= municipal
    application = requisitions.register_application(
        NavApplicationInput(
            patient=levanger_patient,
            municipality=areas["levanger-tildeling"],
            aid_type="wheelchair",
            duration_months=36,
            stay=stay,
            need=need,
        ),
        actor=levanger_case_worker,
    )
    assert application.stay_id == stay.pk
    stay.refresh_from_db()
    assert stay.status == StayStatus.PLANNED


def test_the_admission_notice_waits_for_the_arrival(levanger_patient, hnt_physician, areas):
    """R1's clock starts at the admission notice: not before the patient is here."""
    stay = actions.admit(
        levanger_patient,
        actor=hnt_physician,
        unit=areas["hnt-levanger-med"],
        admission="planned",
        admitted_at=ahead(),
    )
    with pytest.raises(Conflict):
        actions.record_message(stay, "LOG_INNLAGT", actor=hnt_physician, sent_at=clock.now())
    assert not stay.messages.exists()
    actions.record_arrival(stay, actor=hnt_physician, at=clock.now())
    actions.record_message(stay, "LOG_INNLAGT", actor=hnt_physician, sent_at=clock.now())
    assert "admission-report" in open_duties(stay)


@pytest.mark.parametrize("name", ["arrived", "planned-admission-cancelled"])
def test_the_planned_stays_events_are_named_on_the_timeline(name):
    from overgang.stays.timeline import event_name

    assert event_name(name) != name
