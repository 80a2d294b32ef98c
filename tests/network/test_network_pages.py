"""The network group's pages (N10, N13): members by side with chairs, meetings with minutes
and decisions, and the queue of delimitation questions, in the four areas; each group sees
its own agreement only (404 otherwise), and bad input is refused on its field."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client

from overgang.audit.models import ChangeRecord
from overgang.network import actions
from overgang.network.models import Chair, Decision, Meeting, Question, Status
from overgang.stays.models import News, Notification

AREAS = [
    # (member, another member, agreement, a worker under it, title word)
    ("ous-network", "oslo-network", "oslo", "oslo-frogner"),
    ("unn-network", "tromso-network", "unn", "tromso-case"),
    ("hnt-network", "levanger-network", "hnt", "levanger-case"),
    ("rn-network", "aalborg-network", "nordjylland", "aalborg-case"),
]
OTHER = {
    "oslo": "rn-network",
    "unn": "hnt-network",
    "hnt": "oslo-network",
    "nordjylland": "oslo-network",
}


def body(response) -> str:
    return response.content.decode()


# Members -------------------------------------------------------------------------------


@pytest.mark.parametrize(("member", "other", "agreement", "worker"), AREAS)
def test_each_area_sees_its_own_group_by_side(client_of, user, member, other, agreement, worker):
    page = client_of(member).get("/network/")
    assert page.status_code == 200
    text = body(page)
    both = [user(member), user(other)]
    for person in both:
        assert (person.get_full_name() or person.username) in text
    # Another area's members are not on the page.
    stranger = user(OTHER[agreement])
    assert stranger.get_full_name() not in text


def test_nordjylland_names_the_municipalities_without_a_member(client_of):
    text = body(client_of("rn-network").get("/network/"))
    assert "No member yet" in text
    assert "Hjørring" in text.split("No member yet", 1)[1].split("</p>", 1)[0]
    assert "Aalborg" not in text.split("No member yet", 1)[1].split("</p>", 1)[0]


def test_a_member_makes_another_member_chair_with_a_history_row(client_of, user):
    aalborg = user("aalborg-network")
    response = client_of("rn-network").post(
        "/network/chairs/nordjylland/", {"member": aalborg.pk, "chair": "1"}, follow=True
    )
    assert response.status_code == 200
    assert Chair.objects.filter(agreement="nordjylland", user=aalborg).exists()
    assert "No longer chair" in body(response)
    assert ChangeRecord.objects.filter(model="network.chair", actor=user("rn-network")).exists()
    client_of("rn-network").post(
        "/network/chairs/nordjylland/", {"member": aalborg.pk, "chair": "0"}
    )
    assert not Chair.objects.filter(agreement="nordjylland", user=aalborg).exists()


def test_a_chair_must_be_a_member_of_the_group(client_of, user):
    response = client_of("rn-network").post(
        "/network/chairs/nordjylland/",
        {"member": user("oslo-network").pk, "chair": "1"},
        follow=True,
    )
    assert "Choose a member of this network group." in body(response)
    assert not Chair.objects.exists()


def test_another_groups_chairs_and_pages_are_404(client_of, user):
    oslo = client_of("oslo-network")
    response = oslo.post(
        "/network/chairs/nordjylland/", {"member": user("rn-network").pk, "chair": "1"}
    )
    assert response.status_code == 404
    assert not Chair.objects.exists()


@pytest.mark.parametrize("username", ["aalborg-case", "ous-clinician", "auditor"])
def test_non_members_get_404_on_the_group_pages(client_of, username):
    client = client_of(username)
    for url in ("/network/", "/network/meetings/", "/network/questions/"):
        assert client.get(url).status_code == 404


def test_the_menu_shows_the_network_group_to_members_only(client_of):
    assert 'href="/network/"' in body(client_of("hnt-network").get("/"))
    assert 'href="/network/"' not in body(client_of("levanger-case").get("/"))


# Meetings ------------------------------------------------------------------------------


def _meeting_form(**changes: str) -> dict[str, str]:
    form = {
        "agreement": "hnt",
        "date": "2027-03-02",
        "time": "10:00",
        "place": "Sykehuset Levanger, møterom 2",
        "agenda": "Avgrensningsspørsmål\nRevisjon av rutine 002",
        "minutes": "",
    }
    form.update(changes)
    return form


def test_a_meeting_is_planned_in_the_agreements_time_zone_and_listed_upcoming(client_of, user):
    client = client_of("hnt-network")
    response = client.post("/network/meetings/new/", _meeting_form())
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime.datetime(2027, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    assert meeting.starts_at.astimezone(datetime.UTC).hour == 9
    assert ChangeRecord.objects.filter(model="network.meeting", object_id=str(meeting.pk)).exists()
    upcoming = body(client.get("/network/meetings/"))
    assert "møterom 2" in upcoming and "1 upcoming meeting" in upcoming
    assert "møterom 2" not in body(client.get("/network/meetings/?show=past"))
    minutes = body(client.get(f"/network/meetings/{meeting.pk}/"))
    assert "Revisjon av rutine 002" in minutes and "data-print" in minutes
    # Its group's other side sees it too; another area's member does not.
    assert client_of("levanger-network").get(f"/network/meetings/{meeting.pk}/").status_code == 200
    assert client_of("oslo-network").get(f"/network/meetings/{meeting.pk}/").status_code == 404
    assert "møterom 2" not in body(client_of("oslo-network").get("/network/meetings/"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("place", ""),
        ("agenda", "  "),
        ("date", ""),
        ("date", "0001-01-01"),
        ("date", "9999-12-31"),
        ("time", "25:99"),
        ("agreement", "oslo"),
    ],
)
def test_a_meeting_with_bad_input_is_refused_on_its_field(client_of, field, value):
    response = client_of("hnt-network").post(
        "/network/meetings/new/", _meeting_form(**{field: value})
    )
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in body(response)
    assert not Meeting.objects.exists()


def test_minutes_are_written_and_a_decision_links_the_version_it_made(client_of):
    client = client_of("hnt-network")
    client.post("/network/meetings/new/", _meeting_form())
    meeting = Meeting.objects.get()
    edited = client.post(
        f"/network/meetings/{meeting.pk}/edit/",
        _meeting_form(minutes="Gruppen gikk gjennom rutine 002."),
    )
    assert edited.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Gruppen gikk gjennom rutine 002."
    half = client.post(
        f"/network/meetings/{meeting.pk}/decisions/", {"text": "Ny versjon", "agreement_ref": "hnt"}
    )
    assert half.status_code == 422
    assert 'id="id_version_label_error"' in body(half)
    assert not Decision.objects.exists()
    client.post(
        f"/network/meetings/{meeting.pk}/decisions/",
        {"text": "Ny versjon vedtatt", "agreement_ref": "hnt", "version_label": "2027-1"},
    )
    page = body(client.get(f"/network/meetings/{meeting.pk}/"))
    assert "Ny versjon vedtatt" in page
    assert 'href="/agreements/hnt/versions/2027-1/"' in page
    # The link is no dead end: a label the group knows opens it, one it does not is 404.
    on_file = client.get("/agreements/hnt/versions/2024-1/")
    assert on_file.status_code == 302
    assert on_file["Location"].startswith("/agreements/hnt/catalogue/?date=")
    assert client.get("/agreements/hnt/versions/2027-1/").status_code == 404
    assert client_of("oslo-network").get("/agreements/hnt/versions/2024-1/").status_code == 404
    # Another group cannot write a decision into it.
    refused = client_of("oslo-network").post(
        f"/network/meetings/{meeting.pk}/decisions/", {"text": "x"}
    )
    assert refused.status_code == 404


# Questions -----------------------------------------------------------------------------


def _ask(client, which: str, query: str = "", **changes: str):
    form = {"agreement": which, "subject": "Hvem betaler?", "text": "Avtalen sier ikke."}
    form.update(changes)
    return client.post(f"/network/questions/new/{query}", form)


@pytest.mark.parametrize(("member", "other", "agreement", "worker"), AREAS)
def test_a_worker_asks_their_group_which_answers_and_the_worker_is_told(
    client_of, user, member, other, agreement, worker
):
    asked = _ask(client_of(worker), agreement, "?source=need&aid_type=wheelchair&purpose=temporary")
    assert asked.status_code == 302
    question = Question.objects.get()
    assert question.case == {"aid_type": "wheelchair", "purpose": "temporary"}
    assert question.source == "need" and question.status == Status.OPEN
    # The group's members see it in their queue; another area's do not, and get a 404.
    assert "Hvem betaler?" in body(client_of(member).get("/network/questions/"))
    assert "Hvem betaler?" not in body(client_of(OTHER[agreement]).get("/network/questions/"))
    assert client_of(OTHER[agreement]).get(f"/network/questions/{question.pk}/").status_code == 404
    answered = client_of(other).post(
        f"/network/questions/{question.pk}/answer/", {"answer": "Kommunen betaler."}
    )
    assert answered.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and question.answered_by == user(other)
    told = Notification.objects.get(news=News.NETWORK_ANSWERED)
    assert told.organisation == question.asked_for and told.patient is None
    assert told.link == f"/network/questions/{question.pk}/"
    mine = body(client_of(worker).get("/network/questions/mine/?show=answered"))
    assert "Hvem betaler?" in mine
    assert "Kommunen betaler." in body(client_of(worker).get(f"/network/questions/{question.pk}/"))
    # A colleague told of it with the organisation opens the notification's link too.
    from overgang.organisations.models import Membership

    asker = user(worker).memberships.first()
    colleague = User.objects.create_user(f"{worker}-colleague", password="x")
    Membership.objects.create(user=colleague, organisation=asker.organisation, role=asker.role)
    seen = Client(HTTP_ACCEPT_LANGUAGE="en")
    seen.force_login(colleague)
    assert "Kommunen betaler." in body(seen.get(told.link))


def test_the_asker_may_not_answer_nor_may_a_stranger_see_it(client_of):
    _ask(client_of("aalborg-case"), "nordjylland")
    question = Question.objects.get()
    assert (
        client_of("aalborg-case")
        .post(f"/network/questions/{question.pk}/answer/", {"answer": "x"})
        .status_code
        == 404
    )
    assert client_of("rn-depot").get(f"/network/questions/{question.pk}/").status_code == 404
    assert client_of("oslo-network").get(f"/network/questions/{question.pk}/").status_code == 404
    question.refresh_from_db()
    assert question.status == Status.OPEN


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agreement": "hnt"}, "agreement"),  # Aalborg's worker does not work under HNT's
        ({"subject": " "}, "subject"),
        ({"text": ""}, "text"),
    ],
)
def test_a_question_with_bad_input_is_refused_on_its_field(client_of, changes, field):
    response = _ask(client_of("aalborg-case"), "nordjylland", **changes)
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in body(response)
    assert not Question.objects.exists()


def test_an_empty_answer_is_refused_and_a_reopened_question_is_open_again(client_of):
    _ask(client_of("tromso-case"), "unn")
    question = Question.objects.get()
    member = client_of("unn-network")
    empty = member.post(f"/network/questions/{question.pk}/answer/", {"answer": " "})
    assert empty.status_code == 422 and 'id="id_answer_error"' in body(empty)
    member.post(f"/network/questions/{question.pk}/answer/", {"answer": "UNN låner ut."})
    again = member.post(f"/network/questions/{question.pk}/answer/", {"answer": "igjen"})
    assert again.status_code == 409
    no_reason = client_of("tromso-case").post(f"/network/questions/{question.pk}/reopen/", {})
    assert no_reason.status_code == 422 and 'id="id_reason_error"' in body(no_reason)
    client_of("tromso-case").post(
        f"/network/questions/{question.pk}/reopen/", {"reason": "Gjelder også korttid."}
    )
    question.refresh_from_db()
    assert question.status == Status.OPEN
    assert "Hvem betaler?" in body(member.get("/network/questions/?show=open"))


def test_the_answer_may_name_a_meeting_of_the_same_group_only(client_of, user):
    _ask(client_of("levanger-case"), "hnt")
    question = Question.objects.get()
    oslo_meeting = actions.save_meeting(
        None,
        actor=user("oslo-network"),
        agreement="oslo",
        starts_at=datetime.datetime(2027, 1, 5, 9, tzinfo=datetime.UTC),
        place="Oslo",
        agenda="x",
    )
    response = client_of("hnt-network").post(
        f"/network/questions/{question.pk}/answer/",
        {"answer": "Ja.", "meeting": oslo_meeting.pk},
    )
    assert response.status_code == 422
    assert 'id="id_meeting_error"' in body(response)
    question.refresh_from_db()
    assert question.status == Status.OPEN


def test_the_queue_pages_and_sorts(client_of, user):
    worker = user("levanger-case")
    for n in range(30):
        actions.ask(actor=worker, agreement="hnt", subject=f"Spørsmål {n:02}", text="t")
    client = client_of("hnt-network")
    first = body(client.get("/network/questions/?sort=subject"))
    assert "30 questions" in first and "Spørsmål 00" in first and "Spørsmål 29" not in first
    second = body(client.get("/network/questions/?sort=subject&page=2"))
    assert "Spørsmål 29" in second and "Spørsmål 00" not in second
    newest = body(client.get("/network/questions/?sort=-asked"))
    assert newest.index("Spørsmål 29") < newest.index("Spørsmål 10")


def test_the_rules_page_offers_the_question_where_the_agreement_does_not_decide(client_of):
    case = "?municipality=851&aid_type=home-ventilator&lender=hospital&residence=home"
    page = body(client_of("aalborg-case").get(f"/rules/{case}"))
    assert "not decided" in page
    assert "/network/questions/new/?agreement=nordjylland&amp;source=rules" in page
    link = page.split("/network/questions/new/?", 1)[1].split('"', 1)[0].replace("&amp;", "&")
    form = client_of("aalborg-case").get(f"/network/questions/new/?{link}")
    assert form.status_code == 200
    asked = client_of("aalborg-case").post(
        f"/network/questions/new/?{link}",
        {"agreement": "nordjylland", "subject": "Ventilator", "text": "Hvem følger op?"},
    )
    assert asked.status_code == 302
    question = Question.objects.get()
    assert question.source == "rules"
    assert question.case["aid_type"] == "home-ventilator" and question.case["municipality"] == "851"


def test_a_need_on_a_stay_links_to_the_question_with_its_aid_only(client_of):
    from overgang.stays.models import Need

    need = Need.objects.filter(aid_type__isnull=False, stay__agreement="hnt").first()
    assert need is not None
    page = body(client_of("hnt-clinician").get(f"/stays/{need.stay_id}/"))
    link = (
        f"/network/questions/new/?agreement=hnt&amp;source=need&amp;aid_type={need.aid_type.slug}"
    )
    assert link in page
    href = page.split(link, 1)[1].split('"', 1)[0]
    assert "patient" not in href and str(need.stay.patient_id) not in href.split("purpose")[0]


def test_questions_without_any_agreement_are_404(db, demo, client_of):
    nobody = User.objects.create_user("nobody", password="demo")
    from django.test import Client

    client = Client()
    client.force_login(nobody)
    assert client.get("/network/questions/new/").status_code == 404


def test_the_start_page_counts_the_groups_open_questions(client_of):
    _ask(client_of("aalborg-case"), "nordjylland")
    start = body(client_of("rn-network").get("/"))
    assert "1 open delimitation question" in start.replace("</span> ", " ").replace(
        '<span class="figure">', ""
    )
    assert "delimitation question" not in body(client_of("hnt-network").get("/")).replace(
        "0</span> open delimitation questions", ""
    )
    assert "delimitation question" not in body(client_of("aalborg-case").get("/"))


def test_a_decision_names_only_its_own_meetings_agreement(client_of):
    """A member of two groups (here the superuser, who sits in all) cannot write one
    group's agreement version into another group's minutes."""
    client_of("hnt-network").post("/network/meetings/new/", _meeting_form())
    meeting = Meeting.objects.get()
    boss = Client(HTTP_ACCEPT_LANGUAGE="en")
    boss.force_login(User.objects.create_superuser("boss", password="x"))
    refused = boss.post(
        f"/network/meetings/{meeting.pk}/decisions/",
        {"text": "Oslo's new version", "agreement_ref": "oslo", "version_label": "2025-1"},
    )
    assert refused.status_code == 422
    assert 'id="id_agreement_ref_error"' in body(refused)
    assert not Decision.objects.exists()


# Stock alerts (N11) ---------------------------------------------------------------------


@pytest.mark.parametrize(("member", "_other", "agreement", "_worker"), AREAS)
def test_the_demo_leaves_each_group_a_unit_below_its_minimum(
    client_of, member, _other, agreement, _worker
):
    page = client_of(member).get(f"/network/alerts/{agreement}/")
    assert page.status_code == 200
    shortfalls = page.context["page"].object_list
    assert any(s.recovered_at is None for s in shortfalls), "something to see"
    assert client_of(OTHER[agreement]).get(f"/network/alerts/{agreement}/").status_code == 404
