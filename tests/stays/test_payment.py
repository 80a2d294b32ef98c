"""Payment for discharge-ready patients (R9), in Oslo, Tromsø and Levanger: the physician's
text per documented § 9 item (forskrift § 14), the statement of waiting days the hospital
invoices from (rates, month boundaries on Oslo's clock, CSV and PDF), and the
municipality's objection with the hospital's answer. Aalborg shows none of it."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from overgang.audit.models import ChangeRecord, PatientRead
from overgang.stays import actions, waiting
from overgang.stays.models import (
    Deadline,
    Notification,
    ObjectionStatus,
    Stay,
    WaitingDayObjection,
)
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db

AREAS = ["oslo", "tromso", "levanger"]
RATE_2025 = Decimal(5981)


@pytest.fixture
def case_workers(frogner_case_worker, tromso_case_worker, levanger_case_worker):
    """area -> the patient's municipality's case worker."""
    return {
        "oslo": frogner_case_worker,
        "tromso": tromso_case_worker,
        "levanger": levanger_case_worker,
    }


@pytest.fixture
def outsiders(stovner_case_worker, tromso_case_worker, levanger_case_worker):
    """area -> a case worker of another municipality, who must not see the stay."""
    return {
        "oslo": stovner_case_worker,
        "tromso": levanger_case_worker,
        "levanger": tromso_case_worker,
    }


def _notified(stay: Stay, physician, when: str) -> Stay:
    actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.declare_discharge_ready(stay, actor=physician, at=at(when))
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        actions.record_message(stay, code, actor=physician, sent_at=at(when))
    return Stay.objects.get(pk=stay.pk)


def _waiting_since(stay: Stay, physician, case_worker, when: str) -> Stay:
    """Notified at `when` (Oslo's clock), the municipality answers that it cannot receive."""
    stay = _notified(stay, physician, when)
    actions.record_answer(stay, actor=case_worker, can_receive=False, sent_at=at(when))
    return Stay.objects.get(pk=stay.pk)


@pytest.fixture
def november_stays(stays_of, case_workers):
    """Each area's stay admitted in November 2025, notified on Monday 24 November at 10:00."""
    found = {}
    for area in AREAS:
        stay, physician = stays_of[area]
        Stay.objects.filter(pk=stay.pk).update(admitted_at=at("2025-11-20 10:00"))
        stay.refresh_from_db()
        found[area] = _waiting_since(stay, physician, case_workers[area], "2025-11-24 10:00")
    return found


def _api(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


# --- § 9 texts (R9, forskrift § 14) ---------------------------------------------------------


@pytest.mark.parametrize("area", AREAS)
def test_a_ticked_section_9_item_needs_its_text_in_the_api(stays_of, api_as, area):
    stay, physician = stays_of[area]
    api = api_as(physician)
    texts = written(SECTION_9)
    del texts["function-assessed"]
    refused = api.put(f"/stays/{stay.pk}/documented", {"items": SECTION_9, "texts": texts})
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "texts.function-assessed"]
    assert "Overall function" in error["msg"]  # names the item in words
    assert Stay.objects.get(pk=stay.pk).documented == []

    saved = api.put(
        f"/stays/{stay.pk}/documented", {"items": SECTION_9, "texts": written(SECTION_9)}
    )
    assert saved.status_code == 200
    assert saved.json()["documented_texts"] == written(SECTION_9)
    assert api.get(f"/stays/{stay.pk}").json()["documented_texts"] == written(SECTION_9)
    history = ChangeRecord.objects.filter(model="stays.stay", object_id=str(stay.pk))
    kept = [r.changes["documented_texts"] for r in history if "documented_texts" in r.changes]
    assert kept == [[{}, written(SECTION_9)]]


@pytest.mark.parametrize("area", AREAS)
def test_the_form_asks_a_text_for_each_ticked_item_and_the_reasoning_page_prints_it(
    stays_of, case_workers, area
):
    stay, physician = stays_of[area]
    client = _api(physician)
    form = {"items": SECTION_9[:2], "texts.admission-questions": "Pneumonia treated, stable."}
    refused = client.post(f"/stays/{stay.pk}/documented/", form)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'id="id_documented_texts.other-questions_error"' in html
    assert "Pneumonia treated, stable." in html  # the input is kept
    assert Stay.objects.get(pk=stay.pk).documented == []

    form["texts.other-questions"] = "No other findings."
    assert client.post(f"/stays/{stay.pk}/documented/", form).status_code == 302
    stay = Stay.objects.get(pk=stay.pk)
    assert stay.documented_texts == {
        "admission-questions": "Pneumonia treated, stable.",
        "other-questions": "No other findings.",
    }
    page = _api(case_workers[area]).get(f"/stays/{stay.pk}/reasoning/").content.decode()
    assert "Pneumonia treated, stable." in page and "No other findings." in page


# --- The statement ----------------------------------------------------------------------------


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize(
    ("month", "days", "first", "last"),
    [
        ("2025-10", 0, None, None),
        ("2025-11", 7, "2025-11-24", "2025-11-30"),
        ("2025-12", 31, "2025-12-01", "2025-12-31"),
    ],
)
def test_the_statement_counts_each_month_at_the_rate(
    november_stays, case_workers, area, month, days, first, last
):
    stay = november_stays[area]
    answer = _api(case_workers[area]).get("/api/v1/waiting-days", {"month": month}).json()
    lines = [line for s in answer for line in s["lines"] if line["stay"] == stay.pk]
    if not days:
        assert lines == []
        return
    [line] = lines
    assert len(line["days"]) == days
    assert (line["days"][0], line["days"][-1]) == (first, last)
    assert line["rate_nok"] == "5981"
    assert Decimal(line["amount_nok"]) == days * RATE_2025
    assert line["patient_name"] == stay.patient.name
    assert line["national_id"] == stay.patient.national_id
    assert line["discharge_ready"] == "2025-11-24"


@pytest.mark.parametrize(
    ("area", "december_first"),
    # A notice at 00:30 on 1 December in Oslo is 23:30 on 30 November in UTC: the day is
    # Oslo's. HNT's window (08–15 on working days) moves day 0 to the day after.
    [("oslo", "2025-12-01"), ("tromso", "2025-12-01"), ("levanger", "2025-12-02")],
)
def test_the_month_boundary_is_on_oslo_clock(stays_of, case_workers, area, december_first):
    stay, physician = stays_of[area]
    Stay.objects.filter(pk=stay.pk).update(admitted_at=at("2025-11-20 10:00"))
    stay.refresh_from_db()
    _waiting_since(stay, physician, case_workers[area], "2025-12-01 00:30")
    api = _api(case_workers[area])
    assert api.get("/api/v1/waiting-days", {"month": "2025-11"}).json() == []
    [statement] = api.get("/api/v1/waiting-days", {"month": "2025-12"}).json()
    assert statement["lines"][0]["days"][0] == december_first


def test_the_csv_and_pdf_statements_are_logged_exports_in_the_readers_language(
    november_stays, levanger_case_worker
):
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(levanger_case_worker)
    exported = client.get("/waiting-days/", {"month": "2025-11", "format": "csv"})
    body = exported.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Kommune", "Pasient", "Fødselsnummer"]
    stay = november_stays["levanger"]
    [line, total] = rows[1:]
    assert line[1:3] == [stay.patient.name, stay.patient.national_id]
    assert line[9:] == ["7", "0", "5981", "41867"]
    assert total[9] == "7" and total[12] == "41867"
    pdf = client.get("/waiting-days/", {"month": "2025-11", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    api = client.get("/api/v1/waiting-days/statement", {"month": "2025-11", "format": "csv"})
    assert api.status_code == 200 and api.content.decode().startswith("\ufeffKommune;")
    exports = PatientRead.objects.filter(
        user=levanger_case_worker, patient=stay.patient, purpose="export"
    )
    assert exports.count() == 3


def test_a_statement_in_an_unknown_format_is_refused(november_stays, levanger_case_worker):
    client = _api(levanger_case_worker)
    page = client.get("/waiting-days/", {"month": "2025-11", "format": "xls"})
    assert page.status_code == 422, "an unknown export format is refused, naming the formats"
    assert "xlsx" in page.content.decode() and "pdf" in page.content.decode()
    bad = client.get("/api/v1/waiting-days/statement", {"month": "2025-11", "format": "xls"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "format"


# --- Objection and answer ---------------------------------------------------------------------


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("accept", [True, False])
def test_an_objection_is_the_hospitals_task_and_its_answer_the_municipalitys_news(
    november_stays, stays_of, case_workers, api_as, area, accept
):
    stay = november_stays[area]
    physician = stays_of[area][1]
    municipality, hospital = api_as(case_workers[area]), api_as(physician)
    objected = municipality.post(
        f"/stays/{stay.pk}/waiting-day-objections",
        {"days": ["2025-11-24", "2025-11-25"], "reason": "The notice came after three."},
    )
    assert objected.status_code == 201, objected.content
    objection = objected.json()
    assert objection["status"] == "open"
    # The hospital's task, on its worklist, and news in its notifications.
    task = Deadline.objects.get(stay=stay, duty="waiting-day-objection", done_at__isnull=True)
    assert task.party == "hospital"
    assert Notification.objects.filter(news="waiting-days-objected", patient=stay.patient).exists()
    worklist = _api(physician).get("/worklist/").content.decode()
    assert "Answer an objection to waiting days" in worklist
    # The task is done by answering, not by marking it done.
    assert hospital.post(f"/deadlines/{task.pk}/done", {"note": "By phone"}).status_code == 409

    answer = {"accept": accept, "reason": "" if accept else "The notice came at ten."}
    answered = hospital.post(f"/waiting-day-objections/{objection['id']}/answer", answer)
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == ("accepted" if accept else "rejected")
    task.refresh_from_db()
    assert task.done_at is not None
    assert Notification.objects.filter(news="objection-answered", patient=stay.patient).exists()
    history = ChangeRecord.objects.filter(
        model="stays.waitingdayobjection", object_id=str(objection["id"])
    )
    assert history.count() == 2  # objected, answered
    [statement] = municipality.get("/waiting-days", month="2025-11").json()
    [line] = [line for line in statement["lines"] if line["stay"] == stay.pk]
    expected = 5 if accept else 7
    assert len(line["days"]) == expected
    assert Decimal(line["amount_nok"]) == expected * RATE_2025
    assert len(line["removed_days"]) == (2 if accept else 0)
    # Answered once only.
    again = hospital.post(f"/waiting-day-objections/{objection['id']}/answer", answer)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("who", "path", "body", "field"),
    [
        ("municipality", "objection", {"days": ["2025-11-24"], "reason": " "}, "reason"),
        ("municipality", "objection", {"days": ["2025-11-01"], "reason": "x"}, "days"),
        ("municipality", "objection", {"days": [], "reason": "x"}, "days"),
        ("hospital", "objection", {"days": ["2025-11-24"], "reason": "x"}, "actor"),
        ("hospital", "answer", {"accept": False, "reason": ""}, "reason"),
        ("municipality", "answer", {"accept": True, "reason": ""}, "actor"),
    ],
)
def test_bad_objections_and_answers_are_refused_and_change_nothing(
    november_stays, stays_of, case_workers, api_as, who, path, body, field
):
    stay = november_stays["levanger"]
    users = {"municipality": case_workers["levanger"], "hospital": stays_of["levanger"][1]}
    objection = actions.object_to_waiting_days(
        stay, [datetime.date(2025, 11, 26)], actor=users["municipality"], reason="Reason."
    )
    before = list(WaitingDayObjection.objects.values())
    url = (
        f"/stays/{stay.pk}/waiting-day-objections"
        if path == "objection"
        else f"/waiting-day-objections/{objection.pk}/answer"
    )
    refused = api_as(users[who]).post(url, body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == field
    assert list(WaitingDayObjection.objects.values()) == before


@pytest.mark.parametrize("area", AREAS)
def test_outsiders_see_nothing_of_the_objections(
    november_stays, case_workers, outsiders, api_as, area
):
    stay = november_stays[area]
    objection = actions.object_to_waiting_days(
        stay, [datetime.date(2025, 11, 24)], actor=case_workers[area], reason="Reason."
    )
    outsider = outsiders[area]
    api = api_as(outsider)
    assert api.get(f"/stays/{stay.pk}/waiting-day-objections").status_code == 404
    objecting = {"days": ["2025-11-25"], "reason": "x"}
    assert api.post(f"/stays/{stay.pk}/waiting-day-objections", objecting).status_code == 404
    answer = {"accept": True}
    assert api.post(f"/waiting-day-objections/{objection.pk}/answer", answer).status_code == 404
    page = _api(outsider)
    assert page.get(f"/stays/{stay.pk}/waiting-days/").status_code == 404
    posted = page.post(
        f"/waiting-day-objections/{objection.pk}/answer/", {"answer-1-accept": "yes"}
    )
    assert posted.status_code == 404
    assert WaitingDayObjection.objects.get().status == ObjectionStatus.OPEN


def test_the_objection_page_keeps_input_on_error_and_answers_on_the_page(
    november_stays, levanger_case_worker, hnt_physician
):
    stay = november_stays["levanger"]
    municipality = _api(levanger_case_worker)
    refused = municipality.post(
        f"/stays/{stay.pk}/waiting-days/", {"days": ["2025-11-24"], "reason": ""}
    )
    assert refused.status_code == 422
    assert 'id="id_reason_error"' in refused.content.decode()
    assert not WaitingDayObjection.objects.exists()
    sent = municipality.post(
        f"/stays/{stay.pk}/waiting-days/", {"days": ["2025-11-24"], "reason": "Came late."}
    )
    assert sent.status_code == 302
    objection = WaitingDayObjection.objects.get()
    hospital = _api(hnt_physician)
    page = hospital.get(f"/stays/{stay.pk}/waiting-days/").content.decode()
    assert "Came late." in page and "Send the answer" in page
    prefix = f"answer-{objection.pk}"
    rejected = hospital.post(
        f"/waiting-day-objections/{objection.pk}/answer/", {f"{prefix}-accept": "no"}
    )
    assert rejected.status_code == 422
    assert "Give the reason." in rejected.content.decode()
    accepted = hospital.post(
        f"/waiting-day-objections/{objection.pk}/answer/", {f"{prefix}-accept": "yes"}
    )
    assert accepted.status_code == 302
    news = municipality.get("/notifications/").content.decode()
    assert "The hospital answered an objection to waiting days" in news


def test_a_danish_stay_has_no_waiting_days_to_object_to(
    aalborg_stay, aalborg_physician, aalborg_case_worker, api_as
):
    """Danish law in overgang/rules/law has no waiting-day scheme: nothing Norwegian shows."""
    stay = aalborg_stay
    assert _api(aalborg_case_worker).get(f"/stays/{stay.pk}/waiting-days/").status_code == 404
    assert "Waiting days" not in _api(aalborg_physician).get(f"/stays/{stay.pk}/").content.decode()
    refused = api_as(aalborg_case_worker).post(
        f"/stays/{stay.pk}/waiting-day-objections", {"days": ["2026-03-27"], "reason": "x"}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "days"


# --- Properties of the day counting -----------------------------------------------------------


def _months(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append(waiting.month_bounds(year, month))
        year, month = year + (month == 12), month % 12 + 1
    return found


@given(
    start=st.dates(min_value=datetime.date(2019, 1, 1), max_value=datetime.date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=400),
    data=st.data(),
)
def test_the_months_of_a_statement_share_the_days_and_objections_remove_exactly_theirs(
    start, length, data
):
    days = tuple(start + datetime.timedelta(days=n) for n in range(length))
    counted = waiting.Waiting(stay=None, days=days)  # type: ignore[arg-type]
    accepted = set(data.draw(st.lists(st.sampled_from(days), unique=True))) if days else set()
    total_billed, total_removed = 0, 0
    for first, last in _months(start, days[-1] if days else start):
        billed, removed = waiting.billed_days(counted.within(first, last), accepted)
        assert set(billed).isdisjoint(accepted) and set(removed) <= accepted
        total_billed += len(billed)
        total_removed += len(removed)
    assert total_removed == len(accepted)
    assert total_billed + total_removed == len(days)


# --- One municipality's statement -------------------------------------------------------------


@pytest.fixture
def everyone(django_user_model):
    """A superuser: sees the statements of every municipality."""
    return django_user_model.objects.create_superuser("statement-reader", password="x")


def test_one_municipalitys_statement_names_none_of_the_others_patients(november_stays, everyone):
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(everyone)
    page = client.get("/waiting-days/", {"month": "2025-11"}).content.decode()
    assert all(name in page for name in ("Oslo kommune", "Tromsø kommune", "Levanger kommune"))
    assert "municipality=levanger&amp;format=pdf" in page  # each section has its own
    levanger = november_stays["levanger"].patient
    others = [november_stays[area].patient for area in ("oslo", "tromso")]
    only = client.get("/waiting-days/", {"month": "2025-11", "municipality": "levanger"})
    assert "Levanger kommune" in only.content.decode()
    assert not any(p.name in only.content.decode() for p in others)
    exported = client.get(
        "/waiting-days/", {"month": "2025-11", "municipality": "levanger", "format": "csv"}
    )
    assert "levanger" in exported["Content-Disposition"]
    rows = list(
        csv.reader(io.StringIO(exported.content.decode().removeprefix("\ufeff")), delimiter=";")
    )
    assert [row[1] for row in rows[1:-1]] == [levanger.name]
    api = client.get(
        "/api/v1/waiting-days/statement",
        {"month": "2025-11", "municipality": "levanger", "format": "pdf"},
    )
    assert api.status_code == 200 and api.content.startswith(b"%PDF")
    # The exports read Levanger's patient, and no other's.
    exports = PatientRead.objects.filter(user=everyone, purpose="export")
    assert {read.patient_id for read in exports} == {levanger.pk}


def test_a_municipality_outside_the_readers_scope_gives_an_empty_statement(
    november_stays, levanger_case_worker
):
    client = _api(levanger_case_worker)
    exported = client.get(
        "/waiting-days/", {"month": "2025-11", "municipality": "oslo", "format": "csv"}
    )
    rows = list(
        csv.reader(io.StringIO(exported.content.decode().removeprefix("\ufeff")), delimiter=";")
    )
    assert rows[1:] == []
    assert november_stays["oslo"].patient.name not in exported.content.decode()


def test_an_unknown_municipality_is_refused(november_stays, levanger_case_worker):
    client = _api(levanger_case_worker)
    page = client.get("/waiting-days/", {"month": "2025-11", "municipality": "atlantis"})
    assert page.status_code == 404
    bad = client.get(
        "/api/v1/waiting-days/statement", {"month": "2025-11", "municipality": "atlantis"}
    )
    assert bad.status_code == 422
    assert "municipality" in str(bad.json())
