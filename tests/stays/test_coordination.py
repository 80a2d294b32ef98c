"""Issue 17, part 6: coordination (R10), in all four areas.

Reporting an individual plan or the need of a coordinator gives the municipality's
coordinating unit a task on its worklist, where the agreement (HNT's 004 5.1 b, 5.2 a) or
the law (helse- og omsorgstjenesteloven § 7-1, § 7-2) has the municipality make the plan;
the hospital is told when it is done. Whether relatives need support, minor children among
them, is prompted before discharge-ready where the routine or the law has it assessed
(HNT's 004 2.1, 2.2; helsepersonelloven § 10 a): a warning, never a blocker."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from overgang.stays import actions
from overgang.stays.access import holder_for, worklist
from overgang.stays.checklist import discharge_blockers, discharge_warnings
from overgang.stays.models import Deadline, Notification, NotificationKind, Stay
from overgang.stays.states import StayStatus
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db

AREAS = ("oslo", "tromso", "levanger", "aalborg")
LAW = [
    "helse-og-omsorgstjenesteloven § 7-1",
    "helse-og-omsorgstjenesteloven § 7-2",
    "spesialisthelsetjenesteloven § 2-5",
]
# R10: where the coordinating unit's task is cited to; Denmark has no such rule.
COORDINATION_CITES = {
    "oslo": LAW,
    "tromso": LAW,
    "levanger": ["004 5.1 b", "004 5.2 a"],
    "aalborg": None,
}
# R10: the relatives' prompt before discharge-ready, and what it cites (English names).
RELATIVES_PROMPT = {
    "oslo": "(Health Personnel Act § 10 a)",
    "tromso": "(Health Personnel Act § 10 a)",
    "levanger": "(004 2.1, 004 2.2, Health Personnel Act § 10 a)",
    "aalborg": None,
}


@pytest.fixture
def workers(frogner_case_worker, tromso_case_worker, levanger_case_worker, aalborg_case_worker):
    return {
        "oslo": frogner_case_worker,
        "tromso": tromso_case_worker,
        "levanger": levanger_case_worker,
        "aalborg": aalborg_case_worker,
    }


def report(stay, physician, **changed):
    fields = {
        "relatives_need_support": False,
        "minor_children": False,
        "individual_plan": "requested",
        **changed,
    }
    return actions.assess_relatives(stay, actor=physician, **fields)


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize(
    "asked", [{"individual_plan": "requested"}, {"individual_plan": "", "coordinator_needed": True}]
)
def test_r10_the_coordinating_unit_gets_the_task_where_the_agreement_or_law_says(
    stays_of, workers, area, asked
):
    stay, physician = stays_of[area]
    report(stay, physician, **asked)
    tasks = Deadline.objects.filter(stay=stay, duty="coordination")
    cites = COORDINATION_CITES[area]
    if cites is None:
        assert not tasks.exists()
        assert not Notification.objects.filter(news="coordination-requested").exists()
        return
    task = tasks.get()
    assert (task.party, task.cites, task.due) == ("municipality", cites, None)
    assert task in worklist(workers[area])
    told = Notification.objects.get(kind=NotificationKind.EVENT, news="coordination-requested")
    assert told.organisation == holder_for(stay, "municipality")
    # Saved again with the plan still asked for: no second task.
    report(stay, physician, **asked, note="")
    assert tasks.count() == 1
    # The coordinating unit takes it on; the hospital is told.
    actions.complete_deadline(task, actor=workers[area], note="Koordinator: Kari Hansen")
    done = Notification.objects.get(kind=NotificationKind.EVENT, news="duty-done")
    assert done.organisation == holder_for(stay, "hospital")


@pytest.mark.parametrize("area", AREAS)
def test_r10_the_municipality_reporting_to_itself_gives_no_task(stays_of, workers, area):
    stay, _physician = stays_of[area]
    report(stay, workers[area])
    assert not Deadline.objects.filter(stay=stay, duty="coordination").exists()


@pytest.mark.parametrize("area", AREAS)
def test_r10_relatives_are_prompted_before_discharge_ready_not_required(stays_of, area):
    stay, physician = stays_of[area]
    expected = RELATIVES_PROMPT[area]
    prompts = [w for w in discharge_warnings(stay) if w.key == "relatives"]
    assert not [b for b in discharge_blockers(stay) if b.key == "relatives"]
    if expected is None:
        assert prompts == []
    else:
        assert len(prompts) == 1 and str(prompts[0]).endswith(expected)
    report(stay, physician, individual_plan="not-needed")
    assert not [w for w in discharge_warnings(Stay.objects.get(pk=stay.pk)) if w.key == "relatives"]


def test_r10_discharge_ready_is_not_held_up_by_the_relatives(stays_of):
    stay, physician = stays_of["levanger"]
    stay = actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    ready = actions.declare_discharge_ready(stay, actor=physician, at=at("2026-03-30 09:00"))
    assert ready.status == StayStatus.DISCHARGE_READY


def shown(user, stay) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(f"/stays/{stay.pk}/")
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize("area", AREAS)
def test_r10_the_stay_page_prompts_and_shows_the_coordination(stays_of, area):
    stay, physician = stays_of[area]
    text = shown(physician, stay)
    assert ("Assess the relatives" in text) is (area != "aalborg")
    assert ("Coordinating unit" in text) is (area != "aalborg")
    assert ("Needs a municipal coordinator" in text) is (area != "aalborg")
    report(stay, physician)
    text = shown(physician, Stay.objects.get(pk=stay.pk))
    assert ("the individual plan or coordinator is on its worklist" in text) is (area != "aalborg")
    assert "Assess the relatives" not in text


def test_r10_the_relatives_form_refuses_bad_input_and_keeps_it(stays_of):
    stay, physician = stays_of["levanger"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(physician)
    refused = client.post(
        f"/stays/{stay.pk}/relatives/",
        {"minor_children": "on", "note": "", "individual_plan": "requested"},
    )
    assert refused.status_code == 422
    assert "Say what is done for the relatives" in refused.content.decode()
    assert not Deadline.objects.filter(stay=stay, duty="coordination").exists()
    assert Stay.objects.get(pk=stay.pk).relatives_assessed_at is None
    done = client.post(
        f"/stays/{stay.pk}/relatives/",
        {"coordinator_needed": "on", "individual_plan": ""},
    )
    assert done.status_code == 302
    assert Deadline.objects.filter(stay=stay, duty="coordination").count() == 1


def test_r10_the_coordination_task_on_the_municipalitys_worklist_page(
    stays_of, levanger_case_worker
):
    stay, physician = stays_of["levanger"]
    report(stay, physician)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(levanger_case_worker)
    text = client.get("/worklist/").content.decode()
    assert "Individual plan / coordinator" in text and "Lars Levangsen" in text


# The API: PUT /stays/{id}/relatives with coordinator_needed.


def test_r10_the_api_reports_the_coordinator_and_refuses_bad_input(
    api_as, stays_of, levanger_case_worker, ous_clinician
):
    stay, physician = stays_of["levanger"]
    api = api_as(physician)
    bad = api.put(
        f"/stays/{stay.pk}/relatives",
        {"relatives_need_support": False, "minor_children": False, "individual_plan": "maybe"},
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "individual_plan"
    assert not Deadline.objects.filter(stay=stay, duty="coordination").exists()
    assert (
        api_as(ous_clinician)
        .put(
            f"/stays/{stay.pk}/relatives",
            {"relatives_need_support": False, "minor_children": False, "coordinator_needed": True},
        )
        .status_code
        == 404
    )
    assert not Deadline.objects.filter(stay=stay, duty="coordination").exists()
    done = api.put(
        f"/stays/{stay.pk}/relatives",
        {"relatives_need_support": False, "minor_children": False, "coordinator_needed": True},
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["coordinator_needed"] is True and body["relatives_assessed_at"]
    [task] = [d for d in body["deadlines"] if d["duty"] == "coordination"]
    assert (task["party"], task["cites"]) == ("municipality", ["004 5.1 b", "004 5.2 a"])
    listed = api_as(levanger_case_worker).get("/deadlines")
    assert task["id"] in [d["id"] for d in listed.json()]
