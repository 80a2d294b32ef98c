"""Training that counts (O10, N7; issue 17 part 5): an interpreter or a reason, what was shown
and understood, written procedures as documents, repeat training on a worklist, second-time
training when a patient moves outside a stay, and the municipality's staff training."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from overgang.aids import actions as aid_actions
from overgang.audit.history import system_actor
from overgang.audit.models import PatientRead
from overgang.errors import InvalidInput
from overgang.patients import actions as patient_actions
from overgang.stays import actions
from overgang.stays.access import worklist
from overgang.stays.actions.training import (
    PROCEDURE_MAX_BYTES,
    REPEAT_DUTY,
    repeat_day,
    training_problems,
)
from overgang.stays.models import Deadline, ProcedureDocument, StaffTraining, Training
from tests.stays.conftest import at
from tests.stays.test_moves import _leave

pytestmark = pytest.mark.django_db

AREAS = ["oslo", "tromso", "levanger", "aalborg"]
WHEN = "2026-03-28T10:00"


def needs_interpreter(stay) -> None:
    patient_actions.update_patient(
        stay.patient, actor=system_actor(), interpreter_needed=True, language="arabisk"
    )
    stay.patient.refresh_from_db()


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def a_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 750, "Nutrition plan")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- O10 (000 9.1) "evt. vurdere behov for tolk": every area, the same rule ----------------


@pytest.mark.parametrize("area", AREAS)
def test_o10_a_patient_who_needs_an_interpreter_is_trained_with_one_or_with_a_reason(
    stays_of, area
):
    stay, physician = stays_of[area]
    needs_interpreter(stay)
    with pytest.raises(InvalidInput) as refused:
        actions.record_training(
            stay,
            actor=physician,
            aid_type="cpap",
            trainee="patient",
            names="X",
            at=at("2026-03-28 10:00"),
        )
    assert set(refused.value.errors) == {"no_interpreter_reason"}
    assert "arabisk" in refused.value.errors["no_interpreter_reason"]
    assert not Training.objects.filter(stay=stay).exists()
    with_reason = actions.record_training(
        stay,
        actor=physician,
        aid_type="cpap",
        trainee="relative",
        names="Son",
        at=at("2026-03-28 10:00"),
        no_interpreter_reason="The son speaks Norwegian and translated; teach-back in Arabic.",
    )
    assert with_reason.no_interpreter_reason.startswith("The son")
    # Municipal staff need no interpreter; nor does a training with one.
    actions.record_training(
        stay,
        actor=physician,
        aid_type="cpap",
        trainee="staff",
        names="Home nursing",
        at=at("2026-03-28 11:00"),
    )
    actions.record_training(
        stay,
        actor=physician,
        aid_type="cpap",
        trainee="patient",
        names="X",
        interpreter=True,
        at=at("2026-03-28 12:00"),
    )
    assert Training.objects.filter(stay=stay).count() == 3


@given(
    needed=st.booleans(),
    interpreter=st.booleans(),
    reason=st.sampled_from(["", "  ", "Son translated"]),
    trainee=st.sampled_from(["patient", "relative", "staff"]),
)
def test_o10_property_a_reason_is_asked_exactly_when_an_interpreter_is_missing(
    needed, interpreter, reason, trainee
):
    stay = SimpleNamespace(
        patient=SimpleNamespace(interpreter_needed=needed, language="arabisk"),
        time_zone="Europe/Oslo",
    )
    errors = training_problems(
        stay,  # type: ignore[arg-type]
        trainee=trainee,
        interpreter=interpreter,
        no_interpreter_reason=reason,
        repeat=False,
        repeat_on=None,
        at=at("2026-03-28 10:00"),
    )
    missing = needed and not interpreter and not reason.strip() and trainee != "staff"
    assert ("no_interpreter_reason" in errors) == missing


@given(
    day=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 1, 1)),
    given_day=st.one_of(st.none(), st.dates(min_value=datetime.date(2026, 1, 1))),
    repeat=st.booleans(),
)
def test_o10_property_a_training_to_repeat_always_has_a_day_and_only_then(day, given_day, repeat):
    stay = SimpleNamespace(time_zone="Europe/Oslo")
    moment = datetime.datetime.combine(day, datetime.time(10), datetime.UTC)
    found = repeat_day(stay, moment, repeat, given_day)  # type: ignore[arg-type]
    if not repeat:
        assert found is None
    elif given_day is not None:
        assert found == given_day
    else:
        assert found is not None and found > day


# --- O10 "tilpasset og forstått": what was demonstrated and understood --------------------


def test_o10_what_was_shown_and_understood_is_in_the_api_and_bad_items_are_422(
    api_as, levanger_stay, hnt_physician, frogner_case_worker
):
    api = api_as(hnt_physician)
    path = f"/stays/{levanger_stay.pk}/trainings"
    body = {
        "aid_type": "cpap",
        "trainee": "patient",
        "names": "Lars",
        "at": "2026-03-28T10:00:00+01:00",
        "items": [
            {"item": "Putting the mask on", "understood": "yes"},
            {"item": "Cleaning the hose", "understood": "partly"},
        ],
        "teach_back": "Showed the mask himself.",
    }
    assert api_as(frogner_case_worker).post(path, body).status_code == 404
    bad = api.post(path, {**body, "items": [{"item": "Mask", "understood": "maybe"}]})
    assert bad.status_code == 422
    assert "items" in str(bad.json())
    assert not Training.objects.exists()
    done = api.post(path, body)
    assert done.status_code == 201, done.content
    assert done.json()["items"][1] == {"item": "Cleaning the hose", "understood": "partly"}
    listed = api.get(path).json()
    assert listed[0]["teach_back"] == "Showed the mask himself."
    assert api_as(frogner_case_worker).get(path).status_code == 404
    no_reason = api.post(path, {**body, "names": "Kari"})
    assert no_reason.status_code == 201  # no interpreter need: no reason asked
    needs_interpreter(levanger_stay)
    refused = api.post(path, {**body, "names": "Kari"})
    assert refused.status_code == 422
    assert [e["loc"][-1] for e in refused.json()["detail"]] == ["no_interpreter_reason"]


def test_o10_the_page_warns_before_sending_and_refuses_next_to_the_reason_field(
    levanger_stay, hnt_physician
):
    page = browser(hnt_physician)
    assert "data-interpreter-needed" not in page.get(f"/stays/{levanger_stay.pk}/").content.decode()
    needs_interpreter(levanger_stay)
    shown = page.get(f"/stays/{levanger_stay.pk}/").content.decode()
    assert 'data-interpreter-needed="true"' in shown
    assert "The patient needs an interpreter (arabisk)." in shown
    response = page.post(
        f"/stays/{levanger_stay.pk}/training/",
        {
            "aid_type": "cpap",
            "trainee": "patient",
            "names": "Lars",
            "at": WHEN,
            "item_1": "Mask on",
            "understood_1": "yes",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_training_no_interpreter_reason_error"' in body
    assert 'value="Mask on"' in body  # the input is kept
    assert not Training.objects.exists()
    ok = page.post(
        f"/stays/{levanger_stay.pk}/training/",
        {
            "aid_type": "cpap",
            "trainee": "patient",
            "names": "Lars",
            "at": WHEN,
            "item_1": "Mask on",
            "understood_1": "yes",
            "item_2": "Alarm",
            "understood_2": "no",
            "no_interpreter_reason": "Interpreter did not come; son translated.",
        },
    )
    assert ok.status_code == 302
    after = page.get(f"/stays/{levanger_stay.pk}/").content.decode()
    assert "<td>Mask on</td>" in after and "<td>Alarm</td>" in after
    assert 'class="tag understood-no"' in after  # the alarm was not understood
    assert "Interpreter did not come" in after


def test_o10_an_item_without_understood_is_shown_next_to_the_field(levanger_stay, hnt_physician):
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/training/",
        {"aid_type": "cpap", "trainee": "patient", "names": "Lars", "at": WHEN, "item_1": "Mask"},
    )
    assert response.status_code == 422
    assert 'id="id_training_understood_1_error"' in response.content.decode()
    assert not Training.objects.exists()


def test_o10_the_nudge_is_in_the_script_not_inline():
    from pathlib import Path

    import overgang.web

    script = Path(overgang.web.__file__).parent / "static" / "overgang" / "app.js"
    assert "data-interpreter-needed" in script.read_text()


# --- O10 "skriftlige prosedyrer (eventuelt også ernæringsplan)": documents ----------------


@pytest.fixture
def trained(levanger_stay, hnt_physician):
    return actions.record_training(
        levanger_stay,
        actor=hnt_physician,
        aid_type="cpap",
        trainee="relative",
        names="Wife",
        at=at("2026-03-28 10:00"),
    )


def test_o10_a_procedure_printed_from_its_steps_is_a_pdf_and_reading_it_is_logged(
    api_as, trained, hnt_physician, frogner_case_worker
):
    api = api_as(hnt_physician)
    base = f"/stays/{trained.stay_id}/trainings/{trained.pk}/procedures"
    steps = {"title": "Nutrition plan", "steps": ["Wash hands", "Flush the tube with 30 ml"]}
    assert api_as(frogner_case_worker).post(f"{base}/written", steps).status_code == 404
    assert api.post(f"{base}/written", {"title": "", "steps": []}).status_code == 422
    made = api.post(f"{base}/written", steps)
    assert made.status_code == 201, made.content
    document = made.json()
    assert document["source"] == "generated"
    before = PatientRead.objects.count()
    pdf = api.get(document["url"].removeprefix("/api/v1"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Type"] == "application/pdf"
    assert PatientRead.objects.count() == before + 1
    assert (
        api_as(frogner_case_worker).get(document["url"].removeprefix("/api/v1")).status_code == 404
    )
    page = browser(hnt_physician).get(f"/stays/{trained.stay_id}/").content.decode()
    assert "Nutrition plan (PDF)" in page
    shown = browser(hnt_physician).get(
        f"/stays/{trained.stay_id}/trainings/{trained.pk}/procedures/{document['id']}.pdf"
    )
    assert shown.status_code == 200 and shown.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"Just some text, not a PDF", "must be a PDF"),
        (b"%PDF-" + b"0" * PROCEDURE_MAX_BYTES, "larger than 10 MB"),
        (b"%PDF-1.4 broken", "not a readable PDF"),
    ],
)
def test_o10_an_upload_of_the_wrong_type_or_size_is_refused_on_the_page_and_in_the_api(
    api_as, trained, hnt_physician, content, problem
):
    base = f"/stays/{trained.stay_id}/trainings/{trained.pk}/procedures"
    api = api_as(hnt_physician)
    answer = api.client.post(
        f"/api/v1{base}",
        {"title": "Plan", "file": io.BytesIO(content)},
        headers=api.headers,
    )
    assert answer.status_code == 422
    assert problem in str(answer.json())
    page = browser(hnt_physician).post(f"{base}/", {"title": "Plan", "file": io.BytesIO(content)})
    assert page.status_code == 422
    assert problem in page.content.decode()
    assert not ProcedureDocument.objects.exists()


def test_o10_an_uploaded_pdf_is_attached_and_printable(api_as, trained, hnt_physician):
    base = f"/stays/{trained.stay_id}/trainings/{trained.pk}/procedures"
    page = browser(hnt_physician).post(
        f"{base}/", {"title": "Nutrition plan", "file": io.BytesIO(a_pdf())}
    )
    assert page.status_code == 302
    document = ProcedureDocument.objects.get()
    assert document.source == "uploaded"
    assert bytes(document.content) == a_pdf() or bytes(document.content).startswith(b"%PDF-")


# --- O10 "gjentas ved behov": repeat training on the trainer's worklist -------------------


@pytest.mark.parametrize("area", AREAS)
def test_o10_a_training_to_repeat_reminds_the_trainer_until_it_is_given_again(stays_of, area):
    stay, physician = stays_of[area]
    first = actions.record_training(
        stay,
        actor=physician,
        aid_type="cpap",
        trainee="patient",
        names="X",
        at=at("2026-03-28 10:00"),
        repeat=True,
        repeat_on=datetime.date(2026, 3, 30),
    )
    reminder = Deadline.objects.get(stay=stay, duty=REPEAT_DUTY)
    assert reminder.holder == first.trainer_organisation
    assert reminder.due.date() == datetime.date(2026, 3, 30)
    assert reminder in worklist(physician)
    # Oslo's routine has the words (000 9.1); elsewhere the reminder cites nothing.
    assert reminder.cites == (["000 9.1"] if area == "oslo" else [])
    actions.record_training(
        stay,
        actor=physician,
        aid_type="cpap",
        trainee="patient",
        names="X",
        at=at("2026-03-29 10:00"),
    )
    reminder.refresh_from_db()
    assert reminder.done_at is not None
    assert reminder not in worklist(physician)


def test_o10_a_day_to_repeat_before_the_training_names_the_field(levanger_stay, hnt_physician):
    with pytest.raises(InvalidInput) as refused:
        actions.record_training(
            levanger_stay,
            actor=hnt_physician,
            aid_type="cpap",
            trainee="patient",
            names="X",
            at=at("2026-03-28 10:00"),
            repeat=True,
            repeat_on=datetime.date(2026, 3, 1),
        )
    assert set(refused.value.errors) == {"repeat_on"}
    assert not Deadline.objects.filter(duty=REPEAT_DUTY).exists()


# --- O10 (000 9.3) second-time training when the patient moves outside a stay -------------


def _after_a_stay(patient, physician, case_worker, areas, system):
    device = aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-TRAIN", owner=areas["ous-bhm"]
    )
    aid_actions.lend_device(device, patient, actor=system)
    return _leave(patient, physician, case_worker, areas, destination="home")


def test_o10_moving_from_home_into_a_nursing_home_gives_the_municipality_a_task(
    frogner_patient, ous_clinician, frogner_case_worker, areas, system
):
    stay = _after_a_stay(frogner_patient, ous_clinician, frogner_case_worker, areas, system)
    assert not Deadline.objects.filter(duty="second-training").exists()
    patient_actions.update_patient(
        frogner_patient,
        actor=frogner_case_worker,
        residence="institution",
        institution=areas["oslo-frogner-skillebekk"],
    )
    task = Deadline.objects.get(duty="second-training")
    assert task.stay == stay
    assert task.holder == areas["oslo-frogner-bestiller"]
    assert task.cites == ["000 9.3"]
    assert "ved flytting fra eget hjem til sykehjem" in task.text["nb"]
    assert task in worklist(frogner_case_worker)
    # Back home: the institution left trains again.
    patient_actions.update_patient(
        frogner_patient, actor=frogner_case_worker, residence="home", institution=None
    )
    back = Deadline.objects.filter(duty="second-training").order_by("pk").last()
    assert back.holder == areas["oslo-frogner-skillebekk"]
    # A change of name is no move.
    patient_actions.update_patient(frogner_patient, actor=frogner_case_worker, name="Kari Ny")
    assert Deadline.objects.filter(duty="second-training").count() == 2


def test_o10_without_aids_that_needed_training_a_move_gives_no_task(
    frogner_patient, ous_clinician, frogner_case_worker, areas
):
    _leave(frogner_patient, ous_clinician, frogner_case_worker, areas, destination="home")
    patient_actions.update_patient(
        frogner_patient,
        actor=frogner_case_worker,
        residence="institution",
        institution=areas["oslo-frogner-skillebekk"],
    )
    assert not Deadline.objects.filter(duty="second-training").exists()


# --- What the agreement says of training: shown where it says it, nowhere else ------------


@pytest.mark.parametrize(
    ("area", "shown", "absent"),
    [
        ("oslo", "(000 9.1)", "(003 3.2)"),
        ("aalborg", "(003 3.2)", "(000 9.1)"),
        ("levanger", None, "(000 9.1)"),
        ("tromso", None, "(003 3.2)"),
    ],
)
def test_o10_n7_the_stay_page_shows_only_the_patients_agreement_on_training(
    stays_of, area, shown, absent
):
    stay, physician = stays_of[area]
    page = browser(physician).get(f"/stays/{stay.pk}/").content.decode()
    section = page.split('id="training"')[1].split("</section>")[0]
    if shown:
        assert shown in section
    else:
        assert "agreement-note" not in section
    assert absent not in section
    assert "Opplæringen skal være systematisk" not in section or area == "oslo"


# --- The municipality's staff training (O10 000 9.0, 9.2; N7 003 3.2) ---------------------

SESSION = {
    "organisation": "oslo-frogner-hjemmesykepleie",
    "aid_type": "enteral-feeding-pump",
    "held_on": "2026-03-20",
    "trainer": "Lise Lungelege, OUS",
    "staff": [{"name": "Kari Nordmann", "role": "nurse"}, {"name": "Ola Hansen", "role": ""}],
    "covered": "Connecting, flushing, alarms.",
}


def test_o10_n7_staff_training_is_recorded_and_seen_only_in_its_municipality(
    api_as, frogner_case_worker, stovner_case_worker, tromso_case_worker
):
    api = api_as(frogner_case_worker)
    missing = api.post("/staff-trainings", {**SESSION, "staff": [], "covered": " "})
    assert missing.status_code == 422
    assert {e["loc"][-1] for e in missing.json()["detail"]} == {"staff", "covered"}
    outside = api_as(tromso_case_worker).post("/staff-trainings", SESSION)
    assert outside.status_code == 422 and "organisation" in str(outside.json())
    assert not StaffTraining.objects.exists()
    made = api.post("/staff-trainings", SESSION)
    assert made.status_code == 201, made.content
    session = made.json()
    assert session["staff"][0] == {"name": "Kari Nordmann", "role": "nurse"}
    # The whole municipality sees it (Stovner too); Tromsø does not.
    assert [s["id"] for s in api_as(stovner_case_worker).get("/staff-trainings").json()] == [
        session["id"]
    ]
    assert api_as(tromso_case_worker).get("/staff-trainings").json() == []
    assert api_as(tromso_case_worker).get(f"/staff-trainings/{session['id']}").status_code == 404
    assert api.get(f"/staff-trainings/{session['id']}").status_code == 200


def test_o10_n7_the_staff_training_page_lists_records_and_refuses_bad_input(
    frogner_case_worker, tromso_case_worker, aalborg_case_worker
):
    page = browser(frogner_case_worker)
    bad = page.post(
        "/staff-training/",
        {
            "organisation": "oslo-frogner-hjemmesykepleie",
            "aid_type": "cpap",
            "held_on": "2026-03-20",
            "trainer": "Lise",
            "covered": "",
            "staff": "Kari Nordmann, nurse",
        },
    )
    assert bad.status_code == 422
    assert 'id="id_covered_error"' in bad.content.decode()
    assert "Kari Nordmann, nurse" in bad.content.decode()
    assert not StaffTraining.objects.exists()
    ok = page.post(
        "/staff-training/",
        {
            "organisation": "oslo-frogner-hjemmesykepleie",
            "aid_type": "cpap",
            "held_on": "2026-03-20",
            "trainer": "Lise",
            "covered": "Mask and hose",
            "staff": "Kari Nordmann, nurse\nOla Hansen",
        },
    )
    assert ok.status_code == 302
    session = StaffTraining.objects.get()
    assert session.staff == [
        {"name": "Kari Nordmann", "role": "nurse"},
        {"name": "Ola Hansen", "role": ""},
    ]
    listed = page.get("/staff-training/").content.decode()
    assert "Kari Nordmann" in listed and "(000 9.0, 000 9.2)" in listed
    assert "(003 3.2)" not in listed
    assert page.get(f"/staff-training/{session.pk}/").status_code == 200
    outsider = browser(tromso_case_worker)
    assert "Kari Nordmann" not in outsider.get("/staff-training/").content.decode()
    assert outsider.get(f"/staff-training/{session.pk}/").status_code == 404
    danish = browser(aalborg_case_worker).get("/staff-training/").content.decode()
    assert "(003 3.2)" in danish and "(000 9.0" not in danish


@pytest.mark.parametrize(
    ("agreement", "moves"),
    [
        ("oslo", {"from-institution", "home-to-institution"}),
        ("unn", set()),
        ("hnt", set()),
        ("nordjylland", set()),
    ],
)
def test_o10_only_an_agreement_that_says_so_gives_second_time_training(agreement, moves):
    from overgang.rules.registry import second_training_for

    on = datetime.date(2026, 3, 27)
    found = {
        m
        for m in ("from-institution", "home-to-institution")
        if second_training_for(agreement, m, on=on)
    }
    assert found == moves
