"""Issue 17, part 2: outpatient episodes (R11, U1), in all four areas.

An outpatient episode is not an inpatient stay: no admission deadlines, no § 9 checklist,
no departure checklist, no waiting days. Where the agreement says so (HNT's 004 4) a change
of the patient's needs gives the municipality a task on its worklist, and the hospital is
told when it is done. An outpatient requisition follows the episode (U1's outpatient
route). The hospital closes the episode, with history."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.requisitions import actions as requisitions
from overgang.stays import actions
from overgang.stays.access import holder_for, worklist
from overgang.stays.actions.deadlines import open_deadlines_once_stayed
from overgang.stays.models import Deadline, Notification, NotificationKind, Stay
from overgang.stays.states import StayStatus
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db

AREAS = ("oslo", "tromso", "levanger", "aalborg")
# R11: which agreement gives the municipality a task when an outpatient's needs change, and
# where it says so. Only HNT's Retningslinje 1 (004 4) has the point; the others are silent.
NEEDS_TASK_CITES = {"oslo": None, "tromso": None, "levanger": ["004 4"], "aalborg": None}


@pytest.fixture
def area_people(
    areas,
    frogner_patient,
    tromso_patient,
    levanger_patient,
    aalborg_patient,
    ous_clinician,
    unn_physician,
    hnt_physician,
    aalborg_physician,
    frogner_case_worker,
    tromso_case_worker,
    levanger_case_worker,
    aalborg_case_worker,
):
    """area -> (patient, physician, admitting unit, the municipality's case worker)."""
    return {
        "oslo": (frogner_patient, ous_clinician, areas["ous-lunge"], frogner_case_worker),
        "tromso": (tromso_patient, unn_physician, areas["unn-lunge"], tromso_case_worker),
        "levanger": (
            levanger_patient,
            hnt_physician,
            areas["hnt-levanger-med"],
            levanger_case_worker,
        ),
        "aalborg": (aalborg_patient, aalborg_physician, areas["aauh-lunge"], aalborg_case_worker),
    }


def episode(area_people, area: str) -> Stay:
    patient, physician, unit, _worker = area_people[area]
    return actions.admit(
        patient,
        actor=physician,
        unit=unit,
        admission="outpatient",
        admitted_at=at("2026-03-27 10:00"),
    )


@pytest.mark.parametrize("area", AREAS)
def test_r11_an_outpatient_episode_has_no_inpatient_deadlines_or_checklists(area_people, area):
    stay = episode(area_people, area)
    physician = area_people[area][1]
    assert not Deadline.objects.filter(stay=stay).exists()
    # No § 9, no discharge-ready: the decision is refused, not merely blocked.
    with pytest.raises(Conflict, match="outpatient episode"):
        actions.declare_discharge_ready(stay, actor=physician, override="Seen.")
    if area != "aalborg":
        with pytest.raises(Conflict, match="outpatient episode"):
            actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.ADMITTED
    # The job that opens deadlines once a stay has lasted a while passes it by as well.
    open_deadlines_once_stayed(at("2026-03-30 10:00"))
    assert not Deadline.objects.filter(stay=stay).exists()


@pytest.mark.parametrize("area", AREAS)
def test_r11_a_changed_need_is_the_municipalitys_task_where_the_agreement_says_so(
    area_people, area
):
    stay = episode(area_people, area)
    _patient, physician, _unit, worker = area_people[area]
    actions.record_need(stay, actor=physician, kind="function", description="Trenger hjemmehjelp")
    tasks = Deadline.objects.filter(stay=stay, duty="outpatient-needs-follow-up")
    told = Notification.objects.filter(kind=NotificationKind.EVENT, news="outpatient-needs-changed")
    cites = NEEDS_TASK_CITES[area]
    if cites is None:
        assert not tasks.exists() and not told.exists()
        return
    task = tasks.get()
    assert (task.party, task.cites, task.due) == ("municipality", cites, None)
    assert task.holder == holder_for(stay, "municipality")
    assert list(worklist(worker)) == [task]
    assert told.get().organisation == holder_for(stay, "municipality")
    # A second change replaces the open task rather than piling up another.
    actions.record_need(stay, actor=physician, kind="function", description="Trenger rullator")
    assert tasks.filter(done_at__isnull=True).count() == 1
    # Done from the municipality's worklist: the hospital is told.
    open_task = tasks.get(done_at__isnull=True)
    actions.complete_deadline(open_task, actor=worker, note="Hjemmetjenesten har vært på besøk")
    done = Notification.objects.get(kind=NotificationKind.EVENT, news="duty-done")
    assert done.organisation == holder_for(stay, "hospital")


def test_r11_an_inpatient_stays_need_gives_no_outpatient_task(levanger_stay, hnt_physician):
    actions.record_need(
        levanger_stay, actor=hnt_physician, kind="function", description="Trenger hjemmehjelp"
    )
    assert not Deadline.objects.filter(duty="outpatient-needs-follow-up").exists()


@pytest.mark.parametrize("area", AREAS)
def test_u1_the_hospital_closes_the_episode_with_history(area_people, area):
    stay = episode(area_people, area)
    _patient, physician, _unit, worker = area_people[area]
    actions.record_need(stay, actor=physician, kind="function", description="Trenger hjemmehjelp")
    with pytest.raises(InvalidInput):
        actions.end_episode(stay, actor=worker, at=at("2026-03-27 12:00"))
    with pytest.raises(InvalidInput) as early:
        actions.end_episode(stay, actor=physician, at=at("2026-03-27 09:00"))
    assert "at" in early.value.errors
    closed = actions.end_episode(
        stay, actor=physician, at=at("2026-03-27 12:00"), note="Behandling avsluttet"
    )
    assert (closed.status, closed.ended_at, closed.exit_note) == (
        StayStatus.DISCHARGED,
        at("2026-03-27 12:00"),
        "Behandling avsluttet",
    )
    history = (
        ChangeRecord.objects.filter(model="stays.stay", object_id=str(stay.pk))
        .order_by("id")
        .last()
    )
    assert history is not None and history.actor == physician
    assert history.changes["status"] == [StayStatus.ADMITTED, StayStatus.DISCHARGED]
    assert history.reason == "Behandling avsluttet"
    assert stay.events.filter(name="episode-ended").exists()
    # What the municipality was asked to do stays on its worklist after the episode.
    if NEEDS_TASK_CITES[area]:
        assert worklist(worker).filter(stay=stay).count() == 1
    with pytest.raises(Conflict):
        actions.end_episode(stay, actor=physician, at=at("2026-03-27 13:00"))


def test_u1_an_inpatient_stay_is_not_closed_as_an_episode(levanger_stay, hnt_physician):
    with pytest.raises(Conflict):
        actions.end_episode(levanger_stay, actor=hnt_physician, at=at("2026-03-27 12:00"))
    assert Stay.objects.get(pk=levanger_stay.pk).status == StayStatus.ADMITTED


def _requisition(patient, physician, unit, **changed):
    fields = {
        "aid_type": "oxygen-concentrator",
        "justification": "KOLS grad IV, pO2 7,0 kPa i hvile.",
        "requester_role": "specialist-physician",
        "requester_name": "Ingrid Lege",
        "department": unit,
        "route": "outpatient",
        "referred_by": "Fastlege Per Hansen",
        **changed,
    }
    return requisitions.submit_requisition(
        requisitions.RequisitionInput(patient=patient, **fields), actor=physician
    )


def test_u1_an_outpatient_requisition_follows_the_open_episode(area_people):
    stay = episode(area_people, "tromso")
    patient, physician, unit, _worker = area_people["tromso"]
    requisition = _requisition(patient, physician, unit)
    assert requisition.stay_id == stay.pk
    # The inpatient route is not the episode's.
    with pytest.raises(InvalidInput) as refused:
        _requisition(patient, physician, unit, route="inpatient", stay=stay)
    assert "route" in refused.value.errors


def test_u1_an_outpatient_requisition_without_an_episode_has_no_stay(area_people, tromso_stay):
    """An inpatient stay is not an episode: the outpatient requisition stays without one."""
    patient, physician, unit, _worker = area_people["tromso"]
    assert _requisition(patient, physician, unit).stay_id is None


def test_u1_the_episode_page_shows_its_outpatient_requisition(area_people):
    stay = episode(area_people, "tromso")
    patient, physician, unit, _worker = area_people["tromso"]
    requisition = _requisition(patient, physician, unit)
    text = page(physician, stay)
    assert f"no. {requisition.pk} Oxygen concentrator" in text


def page(user, stay, language="en") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    response = client.get(f"/stays/{stay.pk}/")
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize("area", AREAS)
def test_r11_the_episode_page_says_outpatient_not_admission(area_people, area):
    stay = episode(area_people, area)
    physician = area_people[area][1]
    text = page(physician, stay)
    assert "Outpatient episode" in text and "outpatient episode, ongoing" in text
    assert "Declare discharge-ready" not in text and "Departure checklist" not in text
    assert "Close the episode" in text
    assert ("004 4" in text) is (area == "levanger")


@pytest.mark.parametrize(
    ("language", "words"), [("nb", "Poliklinisk forløp"), ("da", "Ambulant forløb")]
)
def test_r11_the_episode_page_in_norwegian_and_danish(area_people, language, words):
    stay = episode(area_people, "levanger" if language == "nb" else "aalborg")
    physician = area_people["levanger" if language == "nb" else "aalborg"][1]
    assert words in page(physician, stay, language)


def test_closing_the_episode_from_the_page_keeps_the_input_on_error(area_people):
    stay = episode(area_people, "levanger")
    physician = area_people["levanger"][1]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(physician)
    refused = client.post(
        f"/stays/{stay.pk}/episode_end/", {"at": "2026-03-27T08:00", "note": "Avsluttet"}
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "cannot end before it started" in body and "Avsluttet" in body
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.ADMITTED
    done = client.post(
        f"/stays/{stay.pk}/episode_end/", {"at": "2026-03-27T12:00", "note": "Avsluttet"}
    )
    assert done.status_code == 302
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.DISCHARGED
    assert "outpatient episode, closed" in page(physician, Stay.objects.get(pk=stay.pk))


def test_an_outsider_does_not_see_the_episode_page(area_people, ous_clinician):
    stay = episode(area_people, "levanger")
    client = Client()
    client.force_login(ous_clinician)
    assert client.get(f"/stays/{stay.pk}/").status_code == 404
    assert (
        client.post(f"/stays/{stay.pk}/episode_end/", {"at": "2026-03-27T12:00"}).status_code == 404
    )


# The API: POST /stays "admission": "outpatient" (the contract's additions of 2026-12).


def test_the_api_opens_and_closes_an_outpatient_episode(api_as, hnt_physician, levanger_patient):
    api = api_as(hnt_physician)
    created = api.post(
        "/stays",
        {
            "patient": levanger_patient.pk,
            "admitted_at": "2026-03-27T10:00:00+01:00",
            "admission": "outpatient",
        },
    )
    assert created.status_code == 201, created.content
    stay = created.json()
    assert stay["outpatient"] is True and stay["admission"] == "outpatient"
    assert stay["deadlines"] == [] and stay["discharge_ready_blockers"] == []
    assert stay["departure_ready_blockers"] == [] and stay["discharge_ready_warnings"] == []
    refused = api.post(f"/stays/{stay['id']}/events", {"event": "discharge-ready"})
    assert refused.status_code == 409
    bad = api.post(
        f"/stays/{stay['id']}/events",
        {"event": "episode-ended", "at": "2026-03-26T10:00:00+01:00"},
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "at"
    assert Stay.objects.get(pk=stay["id"]).status == StayStatus.ADMITTED
    ended = api.post(
        f"/stays/{stay['id']}/events",
        {"event": "episode-ended", "at": "2026-03-27T12:00:00+01:00", "note": "Ferdig"},
    )
    assert ended.status_code == 201, ended.content
    assert ended.json()["status"] == "discharged"
    assert "episode-ended" in [e["name"] for e in ended.json()["events"]]


def test_the_api_hides_an_episode_from_outsiders(
    api_as, hnt_physician, levanger_patient, frogner_case_worker, ous_clinician
):
    stay = api_as(hnt_physician).post(
        "/stays",
        {
            "patient": levanger_patient.pk,
            "admitted_at": "2026-03-27T10:00:00+01:00",
            "admission": "outpatient",
        },
    )
    for outsider in (frogner_case_worker, ous_clinician):
        api = api_as(outsider)
        assert api.get(f"/stays/{stay.json()['id']}").status_code == 404
        ended = api.post(f"/stays/{stay.json()['id']}/events", {"event": "episode-ended"})
        assert ended.status_code == 404
    assert Stay.objects.get(pk=stay.json()["id"]).status == StayStatus.ADMITTED


def test_u1_an_admission_waits_for_the_open_episode_to_be_closed(area_people):
    stay = episode(area_people, "levanger")
    patient, physician, unit, _worker = area_people["levanger"]
    with pytest.raises(Conflict, match="open outpatient episode; close it first"):
        actions.admit(
            patient,
            actor=physician,
            unit=unit,
            admission="emergency",
            admitted_at=at("2026-03-27 11:00"),
        )
    actions.end_episode(stay, actor=physician, at=at("2026-03-27 11:00"))
    admitted = actions.admit(
        patient,
        actor=physician,
        unit=unit,
        admission="emergency",
        admitted_at=at("2026-03-27 11:30"),
    )
    assert Deadline.objects.filter(stay=admitted).exists()  # an inpatient stay's deadlines
