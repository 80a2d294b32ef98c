"""The stays API as the contract fixes it: POST /stays, GET /stays/{id} with its deadlines
and blockers, POST /stays/{id}/events; and scope (404) and bad input (422) everywhere."""

from __future__ import annotations

import datetime

import pytest

from overgang.stays.models import Stay
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def physician_api(api_as, hnt_physician):
    return api_as(hnt_physician)


@pytest.fixture
def municipality_api(api_as, levanger_case_worker):
    return api_as(levanger_case_worker)


def _admit(api, patient, **changed):
    body = {
        "patient": patient.pk,
        "admitted_at": "2026-03-27T10:00:00+01:00",
        "admission": "emergency",
        "expected_stay_hours": 72,
        **changed,
    }
    return api.post("/stays", body)


def by_duty(stay_json):
    return {d["duty"]: d for d in stay_json["deadlines"]}


def test_admission_answers_with_the_deadlines_and_the_blockers(physician_api, levanger_patient):
    response = _admit(physician_api, levanger_patient)
    assert response.status_code == 201, response.content
    stay = response.json()
    assert stay["status"] == "admitted"
    assert stay["agreement"] == "hnt"
    assert stay["department"] == "hnt-levanger-med"
    duties = by_duty(stay)
    assert duties["hospital-admission-information"] == {
        **duties["hospital-admission-information"],
        "party": "hospital",
        "due": "2026-03-28T10:00:00+01:00",
        "done_at": None,
        "status": "overdue",
    }
    assert duties["functional-needs-description"]["due"] == "2026-03-29T23:59:59+02:00"
    assert len(stay["discharge_ready_blockers"]) == 5
    assert any("§ 9 a" in b for b in stay["discharge_ready_blockers"])


@pytest.mark.parametrize(
    ("changed", "field"),
    [
        ({"admitted_at": "2026-03-27T10:00:00"}, "admitted_at"),
        ({"admission": "sometime"}, "admission"),
        ({"expected_stay_hours": -1}, "expected_stay_hours"),
        ({"admitted_at": "2099-03-27T10:00:00+01:00"}, "admitted_at"),
        ({"department": "levanger-tildeling"}, "department"),
        ({"care": "dental"}, "care"),
    ],
)
def test_bad_admissions_are_422_naming_the_field(physician_api, levanger_patient, changed, field):
    response = _admit(physician_api, levanger_patient, **changed)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert not Stay.objects.exists()


@pytest.mark.parametrize("care", ["mental-health", "tsb"])
def test_the_care_type_is_set_at_admission_and_adds_the_laws_points(
    physician_api, levanger_patient, care
):
    response = _admit(physician_api, levanger_patient, care=care)
    assert response.status_code == 201, response.content
    stay = response.json()
    assert stay["care"] == care
    assert len(stay["discharge_ready_blockers"]) == (8 if care == "mental-health" else 7)
    assert _admit(physician_api, levanger_patient).status_code == 409  # already admitted


def test_leaving_before_the_answered_time_needs_an_early_reason(
    physician_api, municipality_api, levanger_patient
):
    pk = _admit(physician_api, levanger_patient).json()["id"]
    stay = Stay.objects.get(pk=pk)
    hnt = stay.checklists
    friday = "2026-04-10T09:00:00+02:00"
    items = [i.item for i in hnt.discharge_ready("somatic")]
    assert physician_api.put(
        f"/stays/{pk}/documented", {"items": items, "texts": written(items)}
    ).status_code in (
        200,
        201,
    )
    ready = physician_api.post(f"/stays/{pk}/events", {"event": "discharge-ready", "at": friday})
    assert ready.status_code == 201, ready.content
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR", "UTSKRIVNINGSRAPPORT"):
        sent = physician_api.post(f"/stays/{pk}/messages", {"type": code, "sent_at": friday})
        assert sent.status_code == 201, sent.content
    answer = {"can_receive": True, "receive_at": "2026-04-13T10:00:00+02:00", "service": "Care"}
    assert municipality_api.post(f"/stays/{pk}/answer", answer).status_code in (200, 201)
    ticked = [i.item for i in hnt.departure_ready("somatic") if not i.message]
    assert physician_api.put(f"/stays/{pk}/prepared", {"items": ticked}).status_code in (200, 201)
    saturday = {"event": "departure-ready", "at": "2026-04-11T10:00:00+02:00"}
    refused = physician_api.post(f"/stays/{pk}/events", saturday)
    assert refused.status_code == 422
    assert "reason" in str(refused.json()["detail"])
    reason = "The daughter takes her home."
    done = physician_api.post(f"/stays/{pk}/events", {**saturday, "early_reason": reason})
    assert done.status_code == 201, done.content
    assert done.json()["early_reason"] == reason
    assert municipality_api.get(f"/stays/{pk}").json()["early_reason"] == reason


def test_a_patient_outside_scope_cannot_be_admitted(physician_api, frogner_patient):
    response = _admit(physician_api, frogner_patient)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "patient"]


def test_a_municipality_cannot_admit(municipality_api, levanger_patient):
    assert _admit(municipality_api, levanger_patient).status_code == 403


def test_the_stay_is_seen_by_its_hospital_and_the_patients_municipality_only(
    physician_api, municipality_api, api_as, levanger_patient, frogner_case_worker, ous_clinician
):
    stay = _admit(physician_api, levanger_patient).json()
    assert municipality_api.get(f"/stays/{stay['id']}").status_code == 200
    for outsider in (frogner_case_worker, ous_clinician):
        api = api_as(outsider)
        assert api.get(f"/stays/{stay['id']}").status_code == 404
        assert api.post(f"/stays/{stay['id']}/events", {"event": "discharged"}).status_code == 404
        assert api.get("/stays").json() == []
    assert [s["id"] for s in municipality_api.get("/stays").json()] == [stay["id"]]


def test_messages_close_their_duties_and_the_worklists_follow(
    physician_api, municipality_api, levanger_patient
):
    stay = _admit(physician_api, levanger_patient).json()
    sent = physician_api.post(
        f"/stays/{stay['id']}/events",
        {"event": "admission-notified", "at": "2026-03-27T10:30:00+01:00"},
    )
    assert sent.status_code == 201
    assert by_duty(sent.json())["admission-report"]["due"] == "2026-03-27T14:30:00+01:00"
    mine = {d["duty"] for d in municipality_api.get("/deadlines").json()}
    # Supplementary information only once the hospital asks for it (R1 "ved behov").
    assert mine == {"admission-report"}
    report = municipality_api.post(
        f"/stays/{stay['id']}/messages",
        {"type": "INNLEGGELSESRAPPORT", "sent_at": "2026-03-27T13:00:00+01:00", "version": "1.6"},
    )
    assert report.status_code == 201, report.content
    assert report.json()["version"] == "1.6"
    # It leaves as a PLO Innleggelsesrapport through the outbox (docs/messages.md).
    assert report.json()["delivery"] == "queued"
    shown = physician_api.get(f"/stays/{stay['id']}").json()["messages"]
    assert ("INNLEGGELSESRAPPORT", "queued") in [(m["type"], m["delivery"]) for m in shown]
    after = by_duty(physician_api.get(f"/stays/{stay['id']}").json())["admission-report"]
    assert after["status"] == "done"
    assert after["done_at"] == "2026-03-27T13:00:00+01:00"
    assert municipality_api.get("/deadlines").json() == []


def test_bad_messages_are_422_and_out_of_order_is_409(
    physician_api, municipality_api, levanger_patient
):
    stay = _admit(physician_api, levanger_patient).json()
    path = f"/stays/{stay['id']}/messages"
    assert physician_api.post(path, {"type": "NOT_A_MESSAGE"}).status_code == 422
    wrong_side = municipality_api.post(path, {"type": "LOG_INNLAGT"})
    assert wrong_side.status_code == 422
    assert wrong_side.json()["detail"][0]["loc"] == ["body", "type"]
    naive = physician_api.post(path, {"type": "LOG_INNLAGT", "sent_at": "2026-03-27T10:00:00"})
    assert naive.status_code == 422
    early = physician_api.post(path, {"type": "LOG_UTSKRIVNINGSKLAR"})
    assert early.status_code == 409


def test_discharge_ready_through_the_api_with_blockers_then_documented(
    physician_api, levanger_patient
):
    stay = _admit(physician_api, levanger_patient).json()
    events = f"/stays/{stay['id']}/events"
    refused = physician_api.post(events, {"event": "discharge-ready"})
    assert refused.status_code == 409
    assert "§ 9" in refused.json()["detail"]
    bad = physician_api.put(f"/stays/{stay['id']}/documented", {"items": ["vibes"]})
    assert bad.status_code == 422
    documented = physician_api.put(
        f"/stays/{stay['id']}/documented", {"items": SECTION_9, "texts": written(SECTION_9)}
    )
    assert documented.json()["discharge_ready_blockers"] == []
    ready = physician_api.post(events, {"event": "discharge-ready"})
    assert ready.status_code == 201
    assert ready.json()["status"] == "discharge-ready"
    unknown = physician_api.post(events, {"event": "teleported"})
    assert unknown.status_code == 422
    assert "discharge-ready" in str(unknown.json()["detail"])


def test_the_answer_comes_after_the_notice(physician_api, municipality_api, levanger_patient):
    stay = _admit(physician_api, levanger_patient).json()
    answer = {
        "can_receive": True,
        "receive_at": "2026-03-30T14:00:00+02:00",
        "service": "Home nursing",
    }
    assert municipality_api.post(f"/stays/{stay['id']}/answer", answer).status_code == 409
    missing = municipality_api.post(f"/stays/{stay['id']}/answer", {"can_receive": True})
    assert missing.status_code == 422
    assert {e["loc"][1] for e in missing.json()["detail"]} == {"receive_at", "service"}


def test_a_deadline_done_another_way_needs_a_note_and_only_its_holder(
    physician_api, municipality_api, levanger_patient
):
    stay = _admit(physician_api, levanger_patient).json()
    asked = physician_api.post(
        f"/stays/{stay['id']}/events", {"event": "supplementary-information-requested"}
    )
    assert asked.status_code == 201, asked.content
    stay = asked.json()
    theirs = by_duty(stay)["supplementary-admission-information"]["id"]
    ours = by_duty(stay)["hospital-admission-information"]["id"]
    assert municipality_api.post(f"/deadlines/{ours}/done", {"note": "phone"}).status_code == 404
    assert municipality_api.post(f"/deadlines/{theirs}/done", {"note": " "}).status_code == 422
    done = municipality_api.post(f"/deadlines/{theirs}/done", {"note": "By phone at 11:00"})
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    again = municipality_api.post(f"/deadlines/{theirs}/done", {"note": "again"})
    assert again.status_code == 404  # no longer on the worklist


def test_a_danish_planned_discharge_sets_the_care_plan_and_the_aids_by_working_days(
    api_as, aalborg_physician, aalborg_patient
):
    api = api_as(aalborg_physician)
    stay = api.post(
        "/stays",
        {
            "patient": aalborg_patient.pk,
            "admitted_at": "2026-03-30T09:00:00+02:00",
            "admission": "planned",
            "expected_stay_hours": 96,
        },
    ).json()
    assert by_duty(stay)["first-care-plan"]["due"] == "2026-04-01T09:00:00+02:00"
    # Discharge on Easter Monday: the final care plan by noon on Wednesday before Maundy
    # Thursday; the aids handed out on the last working day before, the same Wednesday.
    planned = api.post(
        f"/stays/{stay['id']}/events",
        {
            "event": "discharge-planned",
            "at": "2026-03-31T10:00:00+02:00",
            "discharge_at": "2026-04-06T11:00:00+02:00",
        },
    ).json()
    duties = {(d["duty"], d["party"]): d["due"] for d in planned["deadlines"]}
    assert duties["final-care-plan", "hospital"] == "2026-04-01T12:00:00+02:00"
    assert duties["aids-handed-out", "hospital"] == "2026-04-01T11:00:00+02:00"
    assert duties["aids-handed-out", "municipality"] == "2026-04-01T11:00:00+02:00"
    missing_time = api.post(f"/stays/{stay['id']}/events", {"event": "discharge-planned"})
    assert missing_time.status_code == 422
    assert "discharge_at" in str(missing_time.json()["detail"])
    plan = api.post(
        f"/stays/{stay['id']}/messages",
        {"type": "PLEJEFORLOEBSPLAN:foerste", "sent_at": "2026-03-31T08:00:00+02:00"},
    )
    assert plan.status_code == 201
    after = by_duty(api.get(f"/stays/{stay['id']}").json())
    assert after["first-care-plan"]["status"] == "done"
    assert datetime.datetime.fromisoformat(after["first-care-plan"]["done_at"]) == at(
        "2026-03-31 08:00"
    )


def test_a_row_of_the_stay_list_says_what_the_stay_says(physician_api, levanger_patient):
    stay = _admit(physician_api, levanger_patient).json()
    [row] = physician_api.get("/stays").json()
    assert row == {
        "id": stay["id"],
        "patient": levanger_patient.pk,
        "hospital": stay["hospital"],
        "status": stay["status"],
        # The list gives its moments in UTC, the stay in its agreement's time zone.
        "admitted_at": "2026-03-27T09:00:00Z",
        "expected_discharge": "2026-03-30T09:00:00Z",
        "agreement": stay["agreement"],
    }
    assert datetime.datetime.fromisoformat(row["admitted_at"]) == datetime.datetime.fromisoformat(
        stay["admitted_at"]
    )


def test_the_stay_read_with_its_lists_in_its_row_answers_as_read_apart(
    physician_api, municipality_api, levanger_patient
):
    """GET /stays/{id} reads the deadlines, messages and events in the stay's own row (on
    PostgreSQL) and asks for aid needs there; an event's answer reads them each apart. Both
    answer the same bytes, a message received, an event planned and a note among them."""
    stay = _admit(physician_api, levanger_patient).json()
    path = f"/stays/{stay['id']}"
    at_ten_thirty = {"event": "admission-notified", "at": "2026-03-27T10:30:00+01:00"}
    assert physician_api.post(f"{path}/events", at_ten_thirty).status_code == 201
    report = {"type": "INNLEGGELSESRAPPORT", "sent_at": "2026-03-27T13:00:00.5+01:00"}
    assert municipality_api.post(f"{path}/messages", report).status_code == 201
    last = physician_api.post(
        f"{path}/events",
        {"event": "supplementary-information-requested", "at": "2026-03-27T14:00:00+01:00"},
    )
    assert last.status_code == 201, last.content
    answer = last.json()
    assert answer["messages"] and answer["events"] and answer["deadlines"]
    assert physician_api.get(path).content == last.content
