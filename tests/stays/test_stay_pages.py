"""The stay pages as people use them: the stay's page and its steps, the needs, admission,
the list of stays, the worklist, deadlines done another way, notifications, waiting days
and the hospital's reasoning.

Outside the scope everything is 404 and nothing changes; bad input is 422 with the error
next to its field; a step the stay's state refuses is 409 with the reason on the page.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone

from overgang.audit.models import ChangeRecord, PatientRead
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.rules.registry import all_agreements
from overgang.stays import actions, notify
from overgang.stays.checklist import physician_items
from overgang.stays.models import (
    Deadline,
    Message,
    Need,
    Notification,
    Stay,
    StayEvent,
    StayStatus,
    Training,
)
from overgang.web.stays import views as stays_views
from tests.stays.conftest import OSLO, at, written

pytestmark = pytest.mark.django_db

# Levanger's stays: HNT's agreement with the law (§ 9), somatic care.
HNT = next(a for a in all_agreements() if a.id == "hnt").checklists
SECTION_9 = [i.item for i in HNT.discharge_ready("somatic")]
TICKED = [i.item for i in HNT.departure_ready("somatic") if not i.message]
WHEN = "2026-03-30T10:00"  # a time on the stay's clock, as a datetime-local field sends it


def _texts(items: list[str]) -> dict[str, str]:
    """The documented step's text boxes, one per § 9 item (R9, forskrift § 14)."""
    return {f"texts.{item}": text for item, text in written(items).items()}


def local(value: datetime.datetime) -> str:
    """As a datetime-local field of a Norwegian user sends it."""
    return value.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def browser():
    """A browser of its own for each person, reading English."""

    def open_as(user) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        return client

    return open_as


def snapshot(stay: Stay) -> tuple[object, ...]:
    """Everything a step could change."""
    return (
        Stay.objects.filter(pk=stay.pk).values().get(),
        Stay.objects.count(),
        tuple(Deadline.objects.filter(stay=stay).order_by("pk").values_list("pk", "done_at")),
        tuple(Need.objects.filter(stay=stay).order_by("pk").values_list("pk", "status")),
        Message.objects.filter(stay=stay).count(),
        StayEvent.objects.filter(stay=stay).count(),
        Training.objects.filter(stay=stay).count(),
        ChangeRecord.objects.count(),
    )


def text(response) -> str:
    return response.content.decode()


def field_error(response, field_id: str) -> str:
    """The error shown right under the field with this element id."""
    found = re.search(
        rf'<p class="error" role="alert" id="{field_id}_error">(.*?)</p>', text(response)
    )
    assert found, f"no error next to {field_id}"
    return found.group(1)


def refusal(response) -> str:
    found = re.search(
        r'<p class="error refusal" role="alert" id="refusal">(.*?)</p>', text(response)
    )
    assert found, "no refusal on the page"
    return found.group(1)


def declared(stay: Stay, physician, when: str = "2026-03-30 09:00") -> Stay:
    actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    return actions.declare_discharge_ready(stay, actor=physician, at=at(when))


def notified(stay: Stay, physician, when: str = "2026-03-30 10:00") -> Stay:
    declared(stay, physician, when)
    actions.record_message(stay, "HELSEOPPL_SOKNAD:oppdatert", actor=physician, sent_at=at(when))
    actions.record_message(stay, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=at(when))
    return Stay.objects.get(pk=stay.pk)


# Input each step would take from someone allowed to take it.
STEP_DATA: dict[str, dict[str, object]] = {
    "need": {"kind": "function", "description": "Cannot climb stairs", "duration": "unknown"},
    "training": {"aid_type": "cpap", "trainee": "patient", "names": "Lars", "at": WHEN},
    "relatives": {"individual_plan": "not-needed"},
    "message": {"type": "EPIKRISE", "sent_at": WHEN},
    "event": {"event": "pre-examination", "at": WHEN},
    "documented": {"items": SECTION_9},
    "discharge_ready": {"at": WHEN, "override": "Seen by phone."},
    "answer": {"can_receive": "yes", "receive_at": WHEN, "service": "Home nursing"},
    "prepared": {"items": TICKED},
    "departure_ready": {"at": WHEN},
    "discharge": {"at": WHEN, "force_majeure": "The ward burnt."},
    "leave": {"at": WHEN, "competent": "on", "safe": "on", "note": "Daughter takes over."},
    "death": {"at": WHEN},
    "withdraw": {"reason": "Worse again."},
    "supplementary": {"at": WHEN, "note": "Medicines list."},
    "arrived": {"at": WHEN},
    "cancel_planned": {"reason": "The operation is postponed."},
    "move_planned": {"admitted_at": WHEN, "reason": "The operation is postponed."},
    "episode_end": {"at": WHEN, "note": "Treatment finished."},
}


def test_every_step_of_the_page_is_covered_here():
    assert set(STEP_DATA) == set(stays_views.STEPS)


@pytest.mark.parametrize("outsider", ["frogner_case_worker", "ous_clinician"])
def test_outside_the_scope_every_page_and_step_is_404_and_nothing_changes(
    request, browser, outsider, levanger_stay, hnt_physician, levanger_case_worker
):
    stay = notified(levanger_stay, hnt_physician)
    actions.record_answer(
        stay, actor=levanger_case_worker, can_receive=False, sent_at=at("2026-03-30 10:30")
    )
    need = actions.record_need(
        stay, actor=hnt_physician, kind="function", description="Cannot climb stairs"
    )
    actions.request_supplementary_information(stay, actor=hnt_physician, at=stay.admitted_at)
    notify.sweep()
    theirs = Deadline.objects.filter(stay=stay, party="municipality", done_at__isnull=True)
    deadline = theirs.first()
    lists = (
        "/stays/?show=all",
        "/worklist/",
        "/notifications/",
        "/waiting-days/?month=2026-03",
        "/waiting-days/?month=2026-03&format=csv",
    )
    # The patient's municipality sees the patient on every list …
    insider = browser(levanger_case_worker)
    for path in lists:
        assert "Levangsen" in text(insider.get(path)), path

    # … someone outside sees nothing, and can do nothing.
    outside = request.getfixturevalue(outsider)
    someone_name = outside.username
    someone = browser(outside)
    before = snapshot(stay)
    pages = (
        f"/stays/{stay.pk}/",
        f"/stays/{stay.pk}/reasoning/",
        f"/patients/{stay.patient_id}/admit/",
    )
    for path in pages:
        assert someone.get(path).status_code == 404, path
    admission = {"department": "hnt-levanger-med", "admission": "planned", "admitted_at": WHEN}
    assert someone.post(f"/patients/{stay.patient_id}/admit/", admission).status_code == 404
    for step, data in STEP_DATA.items():
        assert someone.post(f"/stays/{stay.pk}/{step}/", data).status_code == 404, step
    assert someone.post(f"/stays/{stay.pk}/nonsense/", {}).status_code == 404
    assert someone.post(f"/stays/{stay.pk}/needs/{need.pk}/link/", {"loan": 1}).status_code == 404
    cancel = f"/stays/{stay.pk}/needs/{need.pk}/cancel/"
    assert someone.post(cancel, {"reason": "Gone"}).status_code == 404
    assert someone.post(f"/deadlines/{deadline.pk}/done/", {"note": "By phone"}).status_code == 404
    for path in lists:
        response = someone.get(path)
        assert response.status_code == 200, path
        assert "Levangsen" not in text(response), path
    assert snapshot(stay) == before
    assert not PatientRead.objects.filter(user__username=someone_name).exists()


# --- Bad input: 422, the error next to the field, nothing changed -------------------------


def test_a_need_without_a_description_is_shown_next_to_the_field(
    browser, levanger_stay, hnt_physician
):
    before = snapshot(levanger_stay)
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/need/", {**STEP_DATA["need"], "description": ""}
    )
    assert response.status_code == 422
    assert field_error(response, "id_need_description") == "This field is required."
    assert '<details id="need" open>' in text(response)  # the form stays open with the error
    assert snapshot(levanger_stay) == before


def test_an_aid_need_without_the_aid_names_the_aid_field(browser, levanger_stay, hnt_physician):
    before = snapshot(levanger_stay)
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/need/",
        {"kind": "aid", "description": "Oxygen at home", "duration": "short", "aid_type": ""},
    )
    assert response.status_code == 422
    assert field_error(response, "id_need_aid_type") == "Choose the aid."
    assert snapshot(levanger_stay) == before


def test_a_training_without_names_is_shown_next_to_the_field(
    browser, levanger_stay, levanger_case_worker
):
    before = snapshot(levanger_stay)
    response = browser(levanger_case_worker).post(
        f"/stays/{levanger_stay.pk}/training/", {**STEP_DATA["training"], "names": "  "}
    )
    assert response.status_code == 422
    assert field_error(response, "id_training_names") == "This field is required."
    assert snapshot(levanger_stay) == before


def test_an_answer_yes_without_time_and_service_says_what_is_missing(
    browser, levanger_stay, hnt_physician, levanger_case_worker
):
    stay = notified(levanger_stay, hnt_physician)
    before = snapshot(stay)
    response = browser(levanger_case_worker).post(
        f"/stays/{stay.pk}/answer/", {"can_receive": "yes", "receive_at": "", "service": ""}
    )
    assert response.status_code == 422
    assert field_error(response, "id_answer_receive_at") == "Say when the patient can be received."
    assert field_error(response, "id_answer_service") == (
        "Say which service the patient gets after discharge."
    )
    assert snapshot(stay) == before
    assert Stay.objects.get(pk=stay.pk).answered_at is None


def test_an_admission_in_the_future_is_refused_next_to_the_time(
    browser, levanger_patient, hnt_physician
):
    tomorrow = local(timezone.now() + datetime.timedelta(days=1))
    client = browser(hnt_physician)
    form = client.get(f"/patients/{levanger_patient.pk}/admit/")
    assert form.status_code == 200
    assert 'value="hnt-levanger-med"' in text(form)
    response = client.post(
        f"/patients/{levanger_patient.pk}/admit/",
        {"department": "hnt-levanger-med", "admission": "emergency", "admitted_at": tomorrow},
    )
    assert response.status_code == 422
    assert field_error(response, "id_admitted_at") == (
        "The time of admission cannot be in the future."
    )
    assert not Stay.objects.exists()


def test_an_admission_on_the_page_opens_the_stay_at_the_local_time(
    browser, levanger_patient, hnt_physician
):
    response = browser(hnt_physician).post(
        f"/patients/{levanger_patient.pk}/admit/",
        {
            "department": "hnt-levanger-med",
            "admission": "planned",
            "admitted_at": "2026-03-27T10:00",
            "expected_stay_hours": "72",
        },
    )
    stay = Stay.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/stays/{stay.pk}/"
    assert stay.admitted_at == at("2026-03-27 10:00")
    assert stay.department.key == "hnt-levanger-med"
    assert stay.admission == "planned"
    assert stay.expected_stay_hours == 72


def test_a_need_cancelled_without_a_reason_or_linked_without_a_loan_is_422(
    browser, levanger_stay, hnt_physician
):
    need = actions.record_need(
        levanger_stay, actor=hnt_physician, kind="function", description="Cannot climb stairs"
    )
    client = browser(hnt_physician)
    before = snapshot(levanger_stay)
    cancel = client.post(f"/stays/{levanger_stay.pk}/needs/{need.pk}/cancel/", {"reason": ""})
    assert cancel.status_code == 422
    assert refusal(cancel) == "Say why the need is gone."
    link = client.post(f"/stays/{levanger_stay.pk}/needs/{need.pk}/link/", {"loan": "999999"})
    assert link.status_code == 422
    assert refusal(link) == "Choose the loan."
    assert snapshot(levanger_stay) == before
    done = client.post(f"/stays/{levanger_stay.pk}/needs/{need.pk}/cancel/", {"reason": "Better"})
    assert done.status_code == 302
    assert Need.objects.get(pk=need.pk).status == "cancelled"
    again = client.post(f"/stays/{levanger_stay.pk}/needs/{need.pk}/cancel/", {"reason": "x"})
    assert again.status_code == 409
    assert refusal(again) == "This need is cancelled already."


# --- Refused by the state of the stay: 409 with the reason ---------------------------------


def test_discharge_ready_with_open_section_9_items_is_409_with_the_items(
    browser, levanger_stay, hnt_physician
):
    actions.document(
        levanger_stay, SECTION_9[:3], actor=hnt_physician, texts=written(SECTION_9[:3])
    )
    before = snapshot(levanger_stay)
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/discharge_ready/", {"at": WHEN, "override": ""}
    )
    assert response.status_code == 409
    reason = refusal(response)
    assert reason.startswith("Not discharge-ready yet:")
    assert "§ 9 d" in reason and "§ 9 e" in reason
    assert "§ 9 a" not in reason
    assert snapshot(levanger_stay) == before


def test_ready_to_leave_before_the_municipality_answered_is_409(
    browser, levanger_stay, hnt_physician
):
    stay = notified(levanger_stay, hnt_physician)
    before = snapshot(stay)
    response = browser(hnt_physician).post(
        f"/stays/{stay.pk}/departure_ready/", {"at": "2026-03-30T11:00"}
    )
    assert response.status_code == 409
    assert "The municipality has not answered" in refusal(response)
    assert snapshot(stay) == before
    assert Stay.objects.get(pk=stay.pk).status == StayStatus.DISCHARGE_READY


def test_a_step_on_an_ended_stay_is_409(browser, levanger_stay, hnt_physician):
    actions.record_death(levanger_stay, actor=hnt_physician, at=at("2026-03-28 03:10"))
    before = snapshot(levanger_stay)
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/documented/", {"items": SECTION_9, **_texts(SECTION_9)}
    )
    assert response.status_code == 409
    assert refusal(response) == "The stay has ended (died)."
    assert snapshot(levanger_stay) == before


# --- Happy paths ---------------------------------------------------------------------------


def test_a_physician_documents_and_declares_discharge_ready_on_the_page(
    browser, levanger_stay, hnt_physician
):
    client = browser(hnt_physician)
    page = text(client.get(f"/stays/{levanger_stay.pk}/"))
    assert "5 items before discharge-ready" in page
    assert 'id="discharge_ready"' in page
    saved = client.post(
        f"/stays/{levanger_stay.pk}/documented/",
        {"items": SECTION_9, **_texts(SECTION_9)},
        follow=True,
    )
    assert saved.redirect_chain == [(f"/stays/{levanger_stay.pk}/", 302)]
    assert "The documented items are saved." in text(saved)
    assert "Everything is in place: a physician can declare" in text(saved)
    declared_page = client.post(
        f"/stays/{levanger_stay.pk}/discharge_ready/",
        {"at": "2026-03-30T09:00", "override": ""},
        follow=True,
    )
    assert "The patient is discharge-ready. Notify the municipality." in text(declared_page)
    assert "Notify the municipality" in text(declared_page)
    stay = Stay.objects.get(pk=levanger_stay.pk)
    assert stay.status == StayStatus.DISCHARGE_READY
    assert stay.discharge_ready_at == at("2026-03-30 09:00")
    assert stay.discharge_ready_by == hnt_physician
    assert stay.documented == SECTION_9
    assert stay.override_reason == ""


def test_a_coordinator_who_is_no_physician_is_not_offered_the_decision(
    browser, levanger_stay, hnt_coordinator
):
    client = browser(hnt_coordinator)
    page = text(client.get(f"/stays/{levanger_stay.pk}/"))
    assert "A physician documents the items and declares" in page
    assert 'id="discharge_ready"' not in page
    before = snapshot(levanger_stay)
    response = client.post(
        f"/stays/{levanger_stay.pk}/documented/", {"items": SECTION_9, **_texts(SECTION_9)}
    )
    assert response.status_code == 422
    assert snapshot(levanger_stay) == before


def test_the_case_worker_answers_and_the_hospital_sees_the_answer(
    browser, levanger_stay, hnt_physician, levanger_case_worker
):
    stay = notified(levanger_stay, hnt_physician)
    municipality = browser(levanger_case_worker)
    page = text(municipality.get(f"/stays/{stay.pk}/"))
    assert "Waiting for the municipality" in page
    assert 'id="answer"' in page
    response = municipality.post(
        f"/stays/{stay.pk}/answer/",
        {
            "can_receive": "yes",
            "receive_at": "2026-03-30T14:00",
            "service": "Home nursing twice a day",
            "needs_from_hospital": "Oxygen for the weekend",
        },
        follow=True,
    )
    assert "The answer is sent to the hospital." in text(response)
    stay.refresh_from_db()
    assert stay.can_receive is True
    assert stay.receive_at == at("2026-03-30 14:00")
    assert stay.service == "Home nursing twice a day"
    answer = Deadline.objects.get(stay=stay, duty="municipality-answer")
    assert answer.done_at is not None
    hospital = text(browser(hnt_physician).get(f"/stays/{stay.pk}/"))
    assert "The municipality receives the patient from" in hospital
    assert "Service: Home nursing twice a day" in hospital
    assert 'id="departure_ready"' in hospital


def test_the_way_out_on_the_page_from_checklist_to_discharge(
    browser, levanger_stay, hnt_physician, levanger_case_worker
):
    stay = notified(levanger_stay, hnt_physician, "2026-04-01 10:00")
    actions.record_answer(
        stay,
        actor=levanger_case_worker,
        can_receive=True,
        receive_at=at("2026-04-01 14:00"),
        service="Home nursing",
        needs_from_hospital="Oxygen for the weekend",
        sent_at=at("2026-04-01 10:20"),
    )
    client = browser(hnt_physician)
    assert client.post(f"/stays/{stay.pk}/prepared/", {"items": TICKED}).status_code == 302
    report = {"type": "UTSKRIVNINGSRAPPORT", "sent_at": "2026-04-01T11:00", "payload": ""}
    assert client.post(f"/stays/{stay.pk}/message/", report).status_code == 302
    ready = client.post(
        f"/stays/{stay.pk}/departure_ready/", {"at": "2026-04-01T14:00"}, follow=True
    )
    # Same-day departure before Easter: supplies until Tuesday 7 April (R7).
    assert "send medicines and equipment with the patient until Tuesday 7. April" in text(ready)
    left = client.post(f"/stays/{stay.pk}/discharge/", {"at": "2026-04-01T14:30"}, follow=True)
    assert "The patient is discharged." in text(left)
    stay.refresh_from_db()
    assert stay.status == StayStatus.DISCHARGED
    assert stay.ended_at == at("2026-04-01 14:30")
    assert not Deadline.objects.filter(stay=stay, done_at__isnull=True).exists()


def test_the_reasoning_page_lists_the_section_9_items_and_the_override(
    browser, levanger_stay, hnt_physician, levanger_case_worker
):
    client = browser(hnt_physician)
    client.post(
        f"/stays/{levanger_stay.pk}/documented/", {"items": SECTION_9[:3], **_texts(SECTION_9[:3])}
    )
    client.post(
        f"/stays/{levanger_stay.pk}/discharge_ready/",
        {"at": "2026-03-30T09:00", "override": "Function assessed by phone with the GP."},
    )
    page = browser(levanger_case_worker).get(f"/stays/{levanger_stay.pk}/reasoning/")
    assert page.status_code == 200
    shown = re.findall(
        r"<li>(✔|✘ <strong>not documented</strong>) (.*?)(?:<blockquote|</li>)", text(page)
    )
    expected = [
        ("✔" if done else "✘ <strong>not documented</strong>", item_text)
        for _item, item_text, done in physician_items(Stay.objects.get(pk=levanger_stay.pk))
    ]
    assert shown == expected
    assert [mark for mark, _ in shown] == ["✔"] * 3 + ["✘ <strong>not documented</strong>"] * 2
    # § 9 is the law's, cited as law, not as HNT's routine (issue 14).
    assert "(regulation on discharge-ready patients § 9 a)" in shown[0][1]
    assert "Function assessed by phone with the GP." in text(page)
    assert PatientRead.objects.filter(
        user=levanger_case_worker, purpose="discharge-reasoning"
    ).exists()


def _recent_stay_with_an_overdue_answer(patient, physician, areas) -> Stay:
    """Admitted two hours ago (supplementary information due in 22 hours), then notified ten
    minutes ago: the answer, due at once, is overdue and opened after the other."""
    now = timezone.now()
    stay = actions.admit(
        patient,
        actor=physician,
        unit=areas["hnt-levanger-med"],
        admission="emergency",
        admitted_at=now - datetime.timedelta(hours=2),
    )
    # The hospital asked for supplementary information at once (R1 "ved behov").
    actions.request_supplementary_information(
        stay, actor=physician, at=now - datetime.timedelta(hours=2)
    )
    actions.declare_discharge_ready(
        stay, actor=physician, at=now - datetime.timedelta(minutes=30), override="Seen by GP."
    )
    for code, minutes in (("HELSEOPPL_SOKNAD:oppdatert", 20), ("LOG_UTSKRIVNINGSKLAR", 10)):
        actions.record_message(
            stay, code, actor=physician, sent_at=now - datetime.timedelta(minutes=minutes)
        )
    return stay


def test_the_worklist_shows_the_municipalitys_deadlines_overdue_first(
    browser, areas, levanger_patient, hnt_physician, levanger_case_worker
):
    stay = _recent_stay_with_an_overdue_answer(levanger_patient, hnt_physician, areas)
    client = browser(levanger_case_worker)
    page = client.get("/worklist/")
    rows = [(d.duty, state) for d, state in page.context["rows"]]
    assert rows == [
        ("municipality-answer", "at-once"),
        ("supplementary-admission-information", "open"),
    ]
    assert page.context["overdue"] == 1
    html = text(page)
    assert "2 open deadlines" in html and "1 overdue" in html
    assert html.index("The municipality&#x27;s answer") < html.index("Supplementary information")
    assert f'href="/stays/{stay.pk}/"' in html
    assert "<html" in html
    # Refreshing itself (htmx), the page gets only its rows.
    rows_only = client.get("/worklist/", headers={"HX-Request": "true"})
    assert rows_only.status_code == 200
    partial = text(rows_only)
    assert partial.startswith('<div id="worklist-rows"')
    assert "<html" not in partial
    assert "The municipality&#x27;s answer" in partial
    # The hospital's worklist holds the hospital's duties only.
    # (Helseopplysninger – oppdatert fulfilled the description of needs, H1.)
    hospital = browser(hnt_physician).get("/worklist/")
    assert {d.duty for d, _state in hospital.context["rows"]} == {"hospital-admission-information"}


def test_a_long_worklist_and_the_start_page_count_up_to_the_cap_and_say_more(
    browser, areas, levanger_patient, hnt_physician, levanger_case_worker, settings
):
    _recent_stay_with_an_overdue_answer(levanger_patient, hnt_physician, areas)
    client = browser(levanger_case_worker)
    settings.WORKLIST_COUNT_CAP = 2  # the municipality holds two open deadlines: not more
    html = text(client.get("/worklist/"))
    assert "2 open deadlines" in html and "More than" not in html
    settings.WORKLIST_COUNT_CAP = 1
    page = client.get("/worklist/")
    html = text(page)
    assert "More than 1 open deadline" in html and "1 overdue" in html
    assert "Page 1 of more than 1" not in html  # one page of rows: no pager
    assert len(page.context["rows"]) == 2  # every row is still there
    settings.WORKLIST_COUNT_CAP = 0
    start = text(client.get("/"))
    assert "more than 0 open in all" in start and "0+" in start


def test_a_patients_stays_follow_the_patient_to_a_new_municipality(
    browser, areas, levanger_patient, hnt_physician, levanger_case_worker, make_user
):
    stay = _recent_stay_with_an_overdue_answer(levanger_patient, hnt_physician, areas)
    assert browser(levanger_case_worker).get(f"/stays/{stay.pk}/").status_code == 200
    patient_actions.update_patient(
        levanger_patient, actor=hnt_physician, municipality="Verdal", district=""
    )
    stay.refresh_from_db()
    assert stay.municipality.key == "verdal"
    assert browser(levanger_case_worker).get(f"/stays/{stay.pk}/").status_code == 404
    verdal = make_user("verdal-case", ("verdal-tildeling", Role.CASE_WORKER))
    assert browser(verdal).get(f"/stays/{stay.pk}/").status_code == 200
    assert '<span class="figure">1</span> patient in hospital' in text(browser(verdal).get("/"))


def test_a_deadline_done_another_way_needs_a_note_and_leaves_the_worklist(
    browser, areas, levanger_patient, hnt_physician, levanger_case_worker
):
    stay = _recent_stay_with_an_overdue_answer(levanger_patient, hnt_physician, areas)
    answer = Deadline.objects.get(stay=stay, duty="municipality-answer")
    client = browser(levanger_case_worker)
    # Not the hospital's to mark.
    assert (
        browser(hnt_physician)
        .post(f"/deadlines/{answer.pk}/done/", {"note": "By phone"})
        .status_code
        == 404
    )
    empty = client.post(f"/deadlines/{answer.pk}/done/", {"note": " "})
    assert empty.status_code == 422
    assert "Say how the duty was done." in text(empty)
    answer.refresh_from_db()
    assert answer.done_at is None
    done = client.post(
        f"/deadlines/{answer.pk}/done/", {"note": "By phone with the ward at 10:40"}, follow=True
    )
    assert "Marked as done." in text(done)
    answer.refresh_from_db()
    assert answer.done_at is not None
    assert answer.done_by == levanger_case_worker
    assert answer.done_note == "By phone with the ward at 10:40"
    assert [d.duty for d, _ in done.context["rows"]] == ["supplementary-admission-information"]
    again = client.post(f"/deadlines/{answer.pk}/done/", {"note": "again"})
    assert again.status_code == 404


def test_notifications_go_to_the_holder_of_each_deadline(
    browser, asked_stay, hnt_physician, levanger_case_worker
):
    notify.sweep()
    assert Notification.objects.exists()
    municipality = browser(levanger_case_worker).get("/notifications/")
    notices = [n for n in municipality.context["page"].object_list if n.deadline_id]
    assert {n.deadline.duty for n in notices} == {"supplementary-admission-information"}
    assert "Supplementary information" in text(municipality)
    assert "Lars Levangsen" in text(municipality)
    hospital = browser(hnt_physician).get("/notifications/")
    assert {n.deadline.duty for n in hospital.context["page"].object_list} == {
        "hospital-admission-information",
        "functional-needs-description",
    }


# --- The list of stays ---------------------------------------------------------------------


@pytest.fixture
def three_stays(system, areas, levanger_stay, hnt_physician):
    """Berit Berg admitted first and expected last; Ola Aas discharge-ready; Lars Levangsen
    admitted last (levanger_stay)."""

    def admitted(number, name, when, expected):
        patient = patient_actions.create_patient(
            actor=system,
            national_id_number=number,
            name=name,
            municipality="Levanger",
            address="Kirkegata 1",
        )
        return actions.admit(
            patient,
            actor=hnt_physician,
            unit=areas["hnt-levanger-med"],
            admission="planned",
            admitted_at=at(when),
            expected_discharge=at(expected),
        )

    berg = admitted("01017012343", "Berit Berg", "2026-03-20 10:00", "2026-04-10 12:00")
    aas = admitted("01017012424", "Ola Aas", "2026-03-25 10:00", "2026-03-28 12:00")
    actions.declare_discharge_ready(
        aas, actor=hnt_physician, at=at("2026-03-27 09:00"), override="x"
    )
    return {"berg": berg, "aas": aas, "levangsen": levanger_stay}


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("admitted", ["levangsen", "aas", "berg"]),
        ("patient", ["aas", "berg", "levangsen"]),
        ("status", ["levangsen", "berg", "aas"]),
        ("discharge", ["aas", "levangsen", "berg"]),
        ("next", ["berg", "aas", "levangsen"]),
        ("nonsense", ["levangsen", "aas", "berg"]),
    ],
)
def test_the_list_of_stays_sorts(browser, three_stays, levanger_case_worker, sort, order):
    page = browser(levanger_case_worker).get("/stays/", {"sort": sort})
    assert page.status_code == 200
    pks = [s.pk for s in page.context["page"].object_list]
    assert pks == [three_stays[name].pk for name in order]


def test_the_list_of_stays_pages_keeping_the_sort_and_hides_ended_stays(
    browser, monkeypatch, three_stays, hnt_physician, levanger_case_worker
):
    monkeypatch.setattr(stays_views, "STAYS_PER_PAGE", 2)
    client = browser(levanger_case_worker)
    first = client.get("/stays/", {"sort": "patient"})
    assert "3 stays" in text(first)
    assert [s.patient.name for s in first.context["page"].object_list] == ["Ola Aas", "Berit Berg"]
    second = client.get("/stays/", {"sort": "patient", "page": "2"})
    assert [s.patient.name for s in second.context["page"].object_list] == ["Lars Levangsen"]
    assert "sort=patient" in second.context["page"].query
    actions.record_death(three_stays["berg"], actor=hnt_physician, at=at("2026-03-28 03:10"))
    open_only = client.get("/stays/", {"sort": "patient"})
    assert [s.patient.name for s in open_only.context["page"].object_list] == [
        "Ola Aas",
        "Lars Levangsen",
    ]
    everything = client.get("/stays/", {"sort": "patient", "show": "all"})
    assert everything.context["page"].paginator.count == 3


# --- Waiting days --------------------------------------------------------------------------


@pytest.fixture
def waiting_since_november_2025(levanger_patient, hnt_physician, levanger_case_worker, areas):
    """Notified Monday 24 November 2025 at 10:00 (day 0 that day); the municipality answered
    "not yet" and has not received the patient since."""
    stay = actions.admit(
        levanger_patient,
        actor=hnt_physician,
        unit=areas["hnt-levanger-med"],
        admission="emergency",
        admitted_at=at("2025-11-20 10:00"),
    )
    stay = notified(stay, hnt_physician, "2025-11-24 10:00")
    actions.record_answer(
        stay, actor=levanger_case_worker, can_receive=False, sent_at=at("2025-11-24 10:30")
    )
    return Stay.objects.get(pk=stay.pk)


def test_waiting_days_of_a_2025_month_are_priced_at_the_2025_rate(
    browser, waiting_since_november_2025, levanger_case_worker
):
    client = browser(levanger_case_worker)
    november = client.get("/waiting-days/", {"month": "2025-11"})
    [statement] = november.context["statements"]
    [line] = statement.lines
    assert line.stay == waiting_since_november_2025
    assert len(line.days) == 7  # 24–30 November
    assert line.amount == 7 * 5981
    html = text(november)
    assert "7 days · 41867 NOK" in html
    assert "41867 NOK</td>" in html
    assert "No daily rate" not in html
    december = client.get("/waiting-days/", {"month": "2025-12"})
    assert "31 days · 185411 NOK" in text(december)

    exported = client.get("/waiting-days/", {"month": "2025-11", "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    assert 'filename="waiting-days-2025-11.csv"' in exported["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text(exported).removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Municipality",
        "Patient",
        "National identity number",
        "Address",
        "Hospital",
        "Discharge-ready",
        "Municipality notified",
        "First day",
        "Last day",
        "Days",
        "Days removed after objection",
        "Daily rate (NOK)",
        "Amount (NOK)",
    ]
    assert rows[1][1:2] + rows[1][7:] == [
        "Lars Levangsen",
        "2025-11-24",
        "2025-11-30",
        "7",
        "0",
        "5981",
        "41867",
    ]
    assert datetime.datetime.fromisoformat(rows[1][6]) == at("2025-11-24 10:00")
    assert rows[2][1] == "Total" and rows[2][9] == "7" and rows[2][12] == "41867"


def test_waiting_days_of_a_2026_month_have_no_rate_yet(
    browser, waiting_since_november_2025, levanger_case_worker
):
    client = browser(levanger_case_worker)
    january = client.get("/waiting-days/", {"month": "2026-01"})
    [statement] = january.context["statements"]
    assert statement.days == 31
    assert statement.missing_rates == {2026}
    html = text(january)
    assert "No daily rate for 2026 yet: an administrator enters it." in html
    assert "31 days</p>" in html  # no amount beside the days
    assert "NOK</td>" not in html
    exported = client.get("/waiting-days/", {"month": "2026-01", "format": "csv"})
    row = list(csv.reader(io.StringIO(text(exported).removeprefix("\ufeff")), delimiter=";"))[1]
    assert row[9] == "31" and row[12] == ""
    reasoning = text(client.get(f"/stays/{waiting_since_november_2025.pk}/reasoning/"))
    assert "No daily rate for 2026 yet." in reasoning


def test_no_waiting_days_for_a_month_before_the_notice(
    browser, waiting_since_november_2025, levanger_case_worker
):
    page = browser(levanger_case_worker).get("/waiting-days/", {"month": "2025-10"})
    assert page.context["statements"] == []
    assert "No waiting days this month." in text(page)


# --- Bugs found: these fail until the app is fixed ------------------------------------------


def test_after_the_stay_only_a_message_that_closes_a_duty_is_recorded(
    browser, levanger_stay, hnt_physician, levanger_case_worker
):
    actions.record_death(levanger_stay, actor=hnt_physician, at=at("2026-03-28 03:10"))
    client = browser(hnt_physician)
    before = snapshot(levanger_stay)
    late = client.post(
        f"/stays/{levanger_stay.pk}/message/",
        {"type": "LOG_INNLAGT", "sent_at": "2026-03-28T04:00", "payload": ""},
    )
    assert late.status_code == 409
    assert refusal(late) == "The stay has ended (died)."
    assert snapshot(levanger_stay) == before
    assert browser(levanger_case_worker).get("/worklist/").context["rows"] == []
    notice = Deadline.objects.get(stay=levanger_stay, duty="death-notice")
    told = client.post(
        f"/stays/{levanger_stay.pk}/message/",
        {"type": "LOG_DOD", "sent_at": "2026-03-28T03:30", "payload": ""},
    )
    assert told.status_code == 302
    notice.refresh_from_db()
    assert notice.done_at == at("2026-03-28 03:30")
    assert not Deadline.objects.filter(stay=levanger_stay, done_at__isnull=True).exists()


def test_the_expected_discharge_is_the_expected_hours_after_admission_across_summer_time(
    browser, levanger_patient, hnt_physician
):
    browser(hnt_physician).post(
        f"/patients/{levanger_patient.pk}/admit/",
        {
            "department": "hnt-levanger-med",
            "admission": "planned",
            "admitted_at": "2026-03-27T10:00",  # CET; summer time begins 29 March
            "expected_stay_hours": "72",
        },
    )
    stay = Stay.objects.get()
    assert stay.expected_discharge is not None
    assert stay.expected_discharge - stay.admitted_at == datetime.timedelta(hours=72)
    assert stay.expected_discharge == at("2026-03-30 11:00")


def test_the_municipality_can_change_its_not_yet_into_a_yes_on_the_page(
    browser, levanger_stay, hnt_physician, levanger_case_worker
):
    stay = notified(levanger_stay, hnt_physician)
    municipality = browser(levanger_case_worker)
    municipality.post(f"/stays/{stay.pk}/answer/", {"can_receive": "no"})
    assert Stay.objects.get(pk=stay.pk).can_receive is False
    page = text(municipality.get(f"/stays/{stay.pk}/"))
    assert "The municipality cannot receive the patient yet" in page
    assert f'action="/stays/{stay.pk}/answer/' in page


@pytest.mark.parametrize("step", ["prepared", "departure_ready", "death", "discharge"])
def test_the_municipality_cannot_take_the_hospitals_steps(
    browser, levanger_stay, hnt_physician, levanger_case_worker, step
):
    stay = notified(levanger_stay, hnt_physician)
    actions.record_answer(
        stay,
        actor=levanger_case_worker,
        can_receive=True,
        receive_at=at("2026-03-30 14:00"),
        service="Home nursing",
        sent_at=at("2026-03-30 10:20"),
    )
    if step == "departure_ready":
        actions.prepare(stay, TICKED, actor=hnt_physician)
        actions.record_message(
            stay, "UTSKRIVNINGSRAPPORT", actor=hnt_physician, sent_at=at("2026-03-30 11:00")
        )
    if step == "discharge":
        # Else discharge() sends these as the municipality, and that alone refuses it.
        for code in ("EPIKRISE", "LOG_UTSKREVET"):
            actions.record_message(stay, code, actor=hnt_physician, sent_at=at("2026-03-30 11:00"))
    page = text(browser(levanger_case_worker).get(f"/stays/{stay.pk}/"))
    assert f'action="/stays/{stay.pk}/{step}/' not in page  # the page does not offer it …
    before = snapshot(stay)
    data = (
        {**STEP_DATA[step], "at": "2026-03-30T12:00"}
        if "at" in STEP_DATA[step]
        else STEP_DATA[step]
    )
    response = browser(levanger_case_worker).post(f"/stays/{stay.pk}/{step}/", data)
    assert response.status_code in (403, 404, 409, 422)  # … nor takes it
    assert snapshot(stay) == before
