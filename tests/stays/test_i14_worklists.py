"""Issue 14, items 4 and 6: every duty a party holds is on its worklist in every region, the
other side is told when one acts, and HNT's supplementary information waits for the
hospital's request (R1 "ved behov")."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from overgang.organisations.models import Role
from overgang.stays import actions, notify
from overgang.stays.access import holder_for
from overgang.stays.models import Deadline, Notification, NotificationKind, PendingNotice
from overgang.web.context_processors import NEWS_CAP
from tests.stays.conftest import at, written
from tests.stays.test_stay_pages import SECTION_9

pytestmark = pytest.mark.django_db


def browser(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def ous_physician(make_user):
    return make_user("ous-lege", ("ous-lunge", Role.CLINICIAN))


@pytest.fixture
def unn_physician(make_user):
    return make_user("unn-lege", ("unn-lunge", Role.CLINICIAN))


def _admit(patient, physician, unit, hours_ago: int = 30):
    return actions.admit(
        patient,
        actor=physician,
        unit=unit,
        admission="emergency",
        admitted_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        expected_stay_hours=96,
    )


def _notified(stay, physician):
    """Declared discharge-ready and the municipality notified, a few minutes ago."""
    now = timezone.now()
    actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.declare_discharge_ready(stay, actor=physician, at=now - datetime.timedelta(minutes=9))
    actions.record_message(
        stay,
        "HELSEOPPL_SOKNAD:oppdatert",
        actor=physician,
        sent_at=now - datetime.timedelta(minutes=8),
    )
    actions.record_message(
        stay, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=now - datetime.timedelta(minutes=7)
    )
    return stay


NORWAY = [
    # (patient, physician, unit, case worker, the answer's citation as the worklist shows it)
    pytest.param(
        "frogner_patient",
        "ous_physician",
        "ous-lunge",
        "frogner_case_worker",
        "regulation on discharge-ready patients § 10",
        id="oslo",
    ),
    pytest.param(
        "tromso_patient",
        "unn_physician",
        "unn-lunge",
        "tromso_case_worker",
        "regulation on discharge-ready patients § 10",
        id="tromso",
    ),
    pytest.param(
        "levanger_patient",
        "hnt_physician",
        "hnt-levanger-med",
        "levanger_case_worker",
        "004 Vedlegg 3.2 a",
        id="levanger",
    ),
]


@pytest.mark.parametrize(("patient", "physician", "unit", "worker", "cite"), NORWAY)
def test_after_a_discharge_ready_notice_the_municipality_sees_its_answer_on_the_worklist(
    request, areas, patient, physician, unit, worker, cite
):
    """Issue 14 (4): Oslo and Tromsø set no deadline of their own; the law's "straks" holds."""
    physician = request.getfixturevalue(physician)
    stay = _notified(_admit(request.getfixturevalue(patient), physician, areas[unit]), physician)
    page = browser(request.getfixturevalue(worker)).get("/worklist/")
    rows = [(d.duty, d.stay_id, str(state)) for d, state in page.context["rows"]]
    assert ("municipality-answer", stay.pk, "at-once") in rows
    html = page.content.decode()
    assert "Nothing is due" not in html
    assert "The municipality&#x27;s answer" in html
    assert cite in html


def test_aalborg_sees_what_it_holds_when_the_discharge_is_planned(
    areas, aalborg_patient, aalborg_physician, aalborg_case_worker
):
    """Denmark has no discharge-ready notice: with the final care plan the municipality
    (re)establishes help and gets the aids by the discharge (003 3)."""
    stay = _admit(aalborg_patient, aalborg_physician, areas["aauh-lunge"])
    actions.record_event(
        stay,
        "discharge-planned",
        actor=aalborg_physician,
        at=timezone.now() - datetime.timedelta(hours=1),
        discharge_at=timezone.now() + datetime.timedelta(days=3),
    )
    page = browser(aalborg_case_worker, "da").get("/worklist/")
    duties = {d.duty for d, _state in page.context["rows"]}
    assert duties == {"help-at-home", "aids-handed-out"}
    html = page.content.decode()
    assert "Hjælp i hjemmet klar til udskrivning" in html
    assert "003 3" in html


def test_a_duty_without_a_clock_is_listed_last_never_overdue_and_never_notified(
    areas, frogner_patient, ous_physician, frogner_case_worker
):
    """Oslo's routine asks the municipality to settle the level of care "as soon as
    possible" (000 8.0): on the worklist, with no clock."""
    stay = _admit(frogner_patient, ous_physician, areas["ous-lunge"])
    actions.record_message(stay, "LOG_INNLAGT", actor=ous_physician, sent_at=stay.admitted_at)
    _notified(stay, ous_physician)
    care = Deadline.objects.get(stay=stay, duty="care-level")
    assert care.due is None and care.cites == ["000 8.0"]
    assert not PendingNotice.objects.filter(deadline=care).exists()
    page = browser(frogner_case_worker).get("/worklist/")
    rows = [(d.duty, str(state)) for d, state in page.context["rows"]]
    assert rows == [("municipality-answer", "at-once"), ("care-level", "open")]
    assert page.context["overdue"] == 1
    assert "No deadline set by the routine" in page.content.decode()
    notify.sweep(timezone.now() + datetime.timedelta(days=365))
    assert not Notification.objects.filter(deadline=care).exists()
    stay_page = browser(frogner_case_worker).get(f"/stays/{stay.pk}/")
    assert stay_page.status_code == 200
    assert "No deadline set by the routine" in stay_page.content.decode()
    api = browser(frogner_case_worker).get(f"/api/v1/stays/{stay.pk}")
    assert {d["duty"]: d["due"] for d in api.json()["deadlines"]}["care-level"] is None


@pytest.mark.parametrize(("patient", "physician", "unit", "worker", "cite"), NORWAY)
def test_the_hospital_is_told_of_the_answer_and_the_municipality_of_the_discharge(
    request, areas, patient, physician, unit, worker, cite
):
    physician = request.getfixturevalue(physician)
    worker = request.getfixturevalue(worker)
    stay = _notified(_admit(request.getfixturevalue(patient), physician, areas[unit]), physician)
    ward = browser(physician)
    before = ward.get("/worklist/").content.decode()
    assert 'id="news-count"' not in before
    actions.record_answer(
        stay,
        actor=worker,
        can_receive=True,
        receive_at=timezone.now() + datetime.timedelta(hours=3),
        service="Hjemmesykepleie",
    )
    told = Notification.objects.get(kind=NotificationKind.EVENT, news="answered")
    assert told.organisation == areas[unit]
    page = ward.get("/worklist/").content.decode()
    assert 'id="news-count"' in page and ">1</span>" in page.split('id="news-count"')[1][:200]
    notices = ward.get("/notifications/")
    html = notices.content.decode()
    assert "The municipality answered the discharge-ready notice" in html
    assert f'href="/stays/{stay.pk}/"' in html
    # Seen: the count is gone.
    assert 'id="news-count"' not in ward.get("/worklist/").content.decode()

    stay.refresh_from_db()
    actions.discharge(stay, actor=physician, force_majeure="Sengemangel.")
    news = Notification.objects.get(kind=NotificationKind.EVENT, news="discharged")
    assert news.organisation == holder_for(stay, "municipality")
    municipality = browser(worker).get("/notifications/").content.decode()
    assert "A patient was discharged" in municipality


def test_a_duty_done_from_the_worklist_is_news_for_the_other_side(
    areas, aalborg_patient, aalborg_physician, aalborg_case_worker
):
    """Denmark has no answer message: the municipality's help at home, marked done from its
    worklist, is what the hospital waits for, and it is told (issue 14, item 4)."""
    stay = _admit(aalborg_patient, aalborg_physician, areas["aauh-lunge"])
    actions.record_event(
        stay,
        "discharge-planned",
        actor=aalborg_physician,
        at=timezone.now() - datetime.timedelta(hours=1),
        discharge_at=timezone.now() + datetime.timedelta(days=3),
    )
    ward = browser(aalborg_physician, "da")
    assert 'id="news-count"' not in ward.get("/worklist/").content.decode()
    help_at_home = Deadline.objects.get(stay=stay, duty="help-at-home")
    actions.complete_deadline(help_at_home, actor=aalborg_case_worker, note="Hjemmeplejen startet")
    told = Notification.objects.get(kind=NotificationKind.EVENT, news="duty-done")
    assert told.organisation == holder_for(stay, "hospital")
    assert 'id="news-count"' in ward.get("/worklist/").content.decode()
    assert (
        "Den anden part har markeret en opgave som udført"
        in ward.get("/notifications/").content.decode()
    )
    # The one who did it is not told of their own act.
    assert not Notification.objects.filter(
        kind=NotificationKind.EVENT, organisation=holder_for(stay, "municipality")
    ).exists()


def test_aalborg_is_told_of_the_discharge(
    areas, aalborg_patient, aalborg_physician, aalborg_case_worker
):
    stay = _admit(aalborg_patient, aalborg_physician, areas["aauh-lunge"])
    actions.declare_discharge_ready(
        stay, actor=aalborg_physician, at=timezone.now(), override="Færdigbehandlet."
    )
    actions.discharge(stay, actor=aalborg_physician, force_majeure="Sengemangel.")
    page = browser(aalborg_case_worker, "da")
    html = page.get("/").content.decode()
    assert 'id="news-count"' in html
    assert "Patient udskrevet" in page.get("/notifications/").content.decode()


def test_the_news_count_is_capped_and_counts_only_ones_own_organisation(
    areas, levanger_case_worker, tromso_case_worker
):
    from overgang.stays import news

    for _ in range(NEWS_CAP + 5):
        news.tell("discharged", to=areas["levanger-tildeling"])
    html = browser(levanger_case_worker).get("/").content.decode()
    assert f">{NEWS_CAP}+</span>" in html
    assert 'id="news-count"' not in browser(tromso_case_worker).get("/").content.decode()


def test_news_is_e_mailed_without_the_patient(areas, levanger_stay, levanger_case_worker):
    levanger_case_worker.email = "lene@levanger.example.no"
    levanger_case_worker.save()
    from django.core import mail

    from overgang.stays import news

    news.tell(
        "discharged",
        to=areas["levanger-tildeling"],
        patient=levanger_stay.patient,
        link=f"/stays/{levanger_stay.pk}/",
    )
    assert notify.send_emails() == 1
    (sent,) = mail.outbox
    assert "En pasient er skrevet ut" in sent.body
    assert f"/stays/{levanger_stay.pk}/" in sent.body
    assert "Levangsen" not in sent.body and "Levangsen" not in sent.subject


# --- R1 "ved behov" ------------------------------------------------------------------------


def test_hnt_stays_show_no_supplementary_information_overdue_until_the_hospital_asks(
    levanger_stay, hnt_physician, levanger_case_worker
):
    worker = browser(levanger_case_worker)
    assert "supplementary-admission-information" not in {
        d.duty for d, _ in worker.get("/worklist/").context["rows"]
    }
    ward = browser(hnt_physician)
    page = ward.get(f"/stays/{levanger_stay.pk}/").content.decode()
    assert "Ask the municipality for supplementary information" in page
    asked = ward.post(
        f"/stays/{levanger_stay.pk}/supplementary/",
        {"at": "2026-03-28T09:00", "note": "Medisinliste."},
        follow=True,
    )
    assert asked.status_code == 200
    deadline = Deadline.objects.get(stay=levanger_stay, duty="supplementary-admission-information")
    assert deadline.due == at("2026-03-29 10:00")  # 24 real hours, across summer time
    assert deadline.holder.key == "levanger-tildeling"
    assert "supplementary-admission-information" in {
        d.duty for d, _ in worker.get("/worklist/").context["rows"]
    }
    assert (
        "The hospital asks for supplementary information"
        in worker.get("/notifications/").content.decode()
    )


def test_only_the_hospital_asks_and_only_where_the_routine_has_the_duty(
    api_as,
    areas,
    levanger_stay,
    levanger_case_worker,
    frogner_patient,
    frogner_case_worker,
    ous_physician,
):
    path = f"/stays/{levanger_stay.pk}/events"
    event = {"event": "supplementary-information-requested"}
    wrong_side = api_as(levanger_case_worker).post(path, event)
    assert wrong_side.status_code == 422
    assert "actor" in str(wrong_side.json())
    assert api_as(frogner_case_worker).post(path, event).status_code == 404
    bad_time = api_as(levanger_case_worker).post(path, {**event, "at": "yesterday"})
    assert bad_time.status_code == 422
    assert not Deadline.objects.filter(duty="supplementary-admission-information").exists()
    # Oslo's routine sets no such duty: nothing to ask for, and the page offers nothing.
    oslo = _admit(frogner_patient, ous_physician, areas["ous-lunge"])
    refused = api_as(ous_physician).post(f"/stays/{oslo.pk}/events", event)
    assert refused.status_code == 409
    page = browser(ous_physician).get(f"/stays/{oslo.pk}/").content.decode()
    assert "Ask the municipality for supplementary information" not in page


@pytest.mark.parametrize(
    ("patient", "physician", "unit", "worker"),
    [
        ("frogner_patient", "ous_physician", "ous-lunge", "frogner_case_worker"),
        ("tromso_patient", "unn_physician", "unn-lunge", "tromso_case_worker"),
        ("levanger_patient", "hnt_physician", "hnt-levanger-med", "levanger_case_worker"),
    ],
)
def test_an_answer_due_at_once_is_never_overdue_by_minutes_nor_done_late(
    request, areas, patient, physician, unit, worker
):
    """The answer is due "straks": the worklist says "at once" and how long it has waited,
    counts it apart from the overdue, and an answer minutes later is done, not done late."""
    physician = request.getfixturevalue(physician)
    worker = request.getfixturevalue(worker)
    stay = _notified(_admit(request.getfixturevalue(patient), physician, areas[unit]), physician)
    page = browser(worker, "nb").get("/worklist/")
    html = page.content.decode()
    assert page.context["overdue"] == 1  # due now: it counts among what needs doing now
    assert "straks" in html and "har ventet" in html
    assert "over fristen" not in html
    answer = Deadline.objects.get(stay=stay, duty="municipality-answer")
    assert answer.at_once
    actions.record_answer(
        stay, actor=worker, can_receive=True, receive_at=timezone.now(), service="Hjemmesykepleie"
    )
    answer.refresh_from_db()
    assert answer.done_at is not None and not answer.late
    stay_page = browser(physician, "nb").get(f"/stays/{stay.pk}/").content.decode()
    assert "utført for sent" not in stay_page


def test_the_api_keeps_its_three_statuses_and_says_at_once(
    areas, tromso_patient, unn_physician, tromso_case_worker
):
    stay = _notified(_admit(tromso_patient, unn_physician, areas["unn-lunge"]), unn_physician)
    client = browser(tromso_case_worker)
    found = client.get("/api/v1/deadlines").json()
    rows = found["items"] if isinstance(found, dict) else found
    answer = next(d for d in rows if d["duty"] == "municipality-answer" and d["stay"] == stay.pk)
    assert answer["status"] == "overdue"
    assert answer["at_once"] is True
