"""The rest of the stays API: needs and their tasks, training, relatives, receipts and the
waiting days; each with its 404 outside scope and 422 for bad input."""

from __future__ import annotations

import pytest

from overgang.aids import actions as aid_actions
from overgang.stays import actions
from overgang.stays.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def physician_api(api_as, hnt_physician):
    return api_as(hnt_physician)


@pytest.fixture
def outsider_api(api_as, frogner_case_worker):
    return api_as(frogner_case_worker)


def test_an_aid_need_answers_with_its_tasks(physician_api, outsider_api, levanger_stay):
    path = f"/stays/{levanger_stay.pk}/needs"
    body = {"kind": "aid", "aid_type": "wheelchair", "description": "Outdoors", "duration": "long"}
    assert outsider_api.post(path, body).status_code == 404
    response = physician_api.post(path, body)
    assert response.status_code == 201, response.content
    need = response.json()
    assert {(t["duty"], t["party"], t["holder"]) for t in need["tasks"]} == {
        ("aid-assessment", "municipality", "levanger-tildeling"),
        ("aid-application", "municipality", "levanger-tildeling"),
        ("aid-delivery", "nav", "levanger-tildeling"),
    }
    assert "NAV" in need["notes"][0]
    assert [n["id"] for n in physician_api.get(path).json()] == [need["id"]]
    assert outsider_api.get(path).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "aid", "aid_type": "teleporter", "description": "x"}, "aid_type"),
        ({"kind": "aid", "description": "x"}, "aid_type"),
        ({"kind": "wish", "description": "x"}, "kind"),
        ({"kind": "function", "description": " "}, "description"),
        (
            {"kind": "aid", "aid_type": "cpap", "description": "x", "duration": "forever"},
            "duration",
        ),
    ],
)
def test_bad_needs_are_422(physician_api, levanger_stay, body, field):
    response = physician_api.post(f"/stays/{levanger_stay.pk}/needs", body)
    assert response.status_code == 422
    assert field in [e["loc"][-1] for e in response.json()["detail"]]
    assert not levanger_stay.needs.exists()


def test_training_closes_the_instruction_and_bad_training_is_422(physician_api, levanger_stay):
    path = f"/stays/{levanger_stay.pk}/trainings"
    bad = physician_api.post(path, {"aid_type": "cpap", "trainee": "cat", "names": ""})
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["detail"]} == {"trainee", "names"}
    naive = physician_api.post(
        path, {"aid_type": "cpap", "trainee": "patient", "names": "Lars", "at": "2026-03-28T10:00"}
    )
    assert naive.status_code == 422
    done = physician_api.post(
        path,
        {"aid_type": "cpap", "trainee": "patient", "names": "Lars", "interpreter": True},
    )
    assert done.status_code == 201
    assert done.json()["trainer_organisation"] == "hnt-levanger-med"


def test_relatives_are_assessed_through_the_api(
    api_as, levanger_case_worker, outsider_api, levanger_stay
):
    api = api_as(levanger_case_worker)
    path = f"/stays/{levanger_stay.pk}/relatives"
    body = {"relatives_need_support": True, "minor_children": False}
    assert outsider_api.put(path, body).status_code == 404
    assert api.put(path, body).status_code == 422
    assert api.put(path, {**body, "note": "Wife gets respite care"}).status_code == 200


def test_a_receipt_is_recorded_on_the_stays_own_messages_only(
    physician_api, levanger_stay, hnt_physician, levanger_patient
):
    message = actions.record_message(levanger_stay, "LOG_INNLAGT", actor=hnt_physician)
    path = f"/stays/{levanger_stay.pk}/messages/{message.pk}/receipt"
    bad = physician_api.post(path, {"receipt": "maybe", "at": "2026-03-27T10:10:00+01:00"})
    assert bad.status_code == 422
    ok = physician_api.post(path, {"receipt": "ok", "at": "2026-03-27T10:10:00+01:00"})
    assert ok.status_code == 200
    assert ok.json()["receipt"] == "ok"
    other = f"/stays/{levanger_stay.pk + 1}/messages/{message.pk}/receipt"
    assert (
        physician_api.post(other, {"receipt": "ok", "at": "2026-03-27T10:10:00+01:00"}).status_code
        == 404
    )


def test_the_supplementary_admission_report_closes_its_deadline(
    api_as, levanger_case_worker, levanger_stay, hnt_physician
):
    asked = api_as(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/events",
        {"event": "supplementary-information-requested", "at": "2026-03-27T12:00:00+01:00"},
    )
    assert asked.status_code == 201, asked.content
    api = api_as(levanger_case_worker)
    response = api.post(
        f"/stays/{levanger_stay.pk}/messages",
        {"type": "INNLEGGELSESRAPPORT:endring", "sent_at": "2026-03-28T09:00:00+01:00"},
    )
    assert response.status_code == 201
    deadline = Deadline.objects.get(stay=levanger_stay, duty="supplementary-admission-information")
    assert deadline.done_message_id == response.json()["id"]
    assert not deadline.late


def test_waiting_days_need_a_month(physician_api):
    assert physician_api.get("/waiting-days").status_code == 422
    assert physician_api.get("/waiting-days", month="2026-13").status_code == 422
    assert physician_api.get("/waiting-days", month="2026-11").json() == []


def test_the_hospital_hands_out_the_aids_when_every_aid_needed_is_lent(
    api_as, aalborg_physician, aalborg_patient, system, areas
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
    api.post(
        f"/stays/{stay['id']}/events",
        {
            "event": "discharge-planned",
            "at": "2026-03-31T10:00:00+02:00",
            "discharge_at": "2026-04-06T11:00:00+02:00",
        },
    )
    need = api.post(
        f"/stays/{stay['id']}/needs",
        {"kind": "aid", "aid_type": "oxygen-concentrator", "description": "Oxygen at home"},
    ).json()
    device = aid_actions.register_device(
        actor=system, aid_type="oxygen-concentrator", serial="OX-AAL-1", owner=areas["rn-depot"]
    )
    loan = aid_actions.lend_device(device, aalborg_patient, actor=system)
    linked = api.post(f"/stays/{stay['id']}/needs/{need['id']}/loan", {"loan": loan.pk})
    assert linked.status_code == 200, linked.content
    assert linked.json()["status"] == "met"
    handed = {
        d["party"]: d["status"]
        for d in api.get(f"/stays/{stay['id']}").json()["deadlines"]
        if d["duty"] == "aids-handed-out"
    }
    assert handed["hospital"] == "done"
    assert handed["municipality"] != "done"
