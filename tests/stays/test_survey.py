"""The patient-pathway survey (issue 20 item 5, N12): after discharge a link is made for the
patient; the page it opens needs no login, names no one, takes three answers once, and the
link then works no more; answers feed the figures; a link expires."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from overgang.audit.history import system_actor
from overgang.audit.models import ChangeRecord, PatientRead
from overgang.errors import Conflict
from overgang.stays import actions
from overgang.stays.models import Stay
from overgang.survey import actions as survey
from overgang.survey.figures import survey_figures
from overgang.survey.models import Answer, Invitation

pytestmark = pytest.mark.django_db

YES = {"delivered_on_time": "yes", "instruction_given": "yes", "works": "yes"}


def discharged(stay: Stay, physician: User) -> Stay:
    """The stay ends in a discharge (by force majeure: the shortest honest path in every
    area's routine)."""
    now = timezone.now() - datetime.timedelta(hours=3)
    hour = datetime.timedelta(hours=1)
    stay.admitted_at = now - hour
    stay.save(update_fields=["admitted_at"])
    actions.declare_discharge_ready(stay, actor=physician, at=now, override="Test")
    return actions.discharge(stay, actor=physician, at=now + hour, force_majeure="Storm")


def client_of(user: User | None = None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def made_link(stay: Stay, user: User) -> str:
    response = client_of(user).post(f"/stays/{stay.pk}/survey/")
    assert response.status_code == 200
    found = re.search(r"https?://[^<\s\"]+/s/([A-Za-z0-9_-]+)/", response.content.decode())
    assert found, "the page shows the link once"
    return found.group(0)


@pytest.mark.parametrize(
    ("area", "language", "question"),
    [
        ("oslo", "nb", "Fikk du hjelpemiddelet da du trengte det?"),
        ("tromso", "nb", "Fikk du hjelpemiddelet da du trengte det?"),
        ("levanger", "nb", "Fikk du hjelpemiddelet da du trengte det?"),
        ("aalborg", "da", "Fik du hjælpemidlet, da du havde brug for det?"),
    ],
)
def test_the_patient_answers_once_without_login_in_the_stays_language(
    stays_of, area, language, question
):
    stay, physician = stays_of[area]
    stay = discharged(stay, physician)
    link = made_link(stay, physician)
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = client_of(None, language="en")  # the browser's language does not decide
    page = anonymous.get(f"/{path}")
    assert page.status_code == 200
    html = page.content.decode()
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert question in html
    # Nothing on the page names the patient or the stay.
    patient = stay.patient
    assert patient.name not in html
    assert patient.national_id not in html
    assert f"/stays/{stay.pk}/" not in html
    assert re.fullmatch(r"s/[A-Za-z0-9_-]{22}/", path)  # the token and nothing else
    answered = anonymous.post(f"/{path}", YES)
    assert answered.status_code == 200
    assert Answer.objects.get(stay=stay).works == "yes"
    # Once only: the link is closed now, and a second answer changes nothing.
    # A reader who picks another language in the header gets it.
    anonymous.cookies["django_language"] = "en"
    assert "The link does not work" in anonymous.get(f"/{path}").content.decode()
    again = anonymous.post(f"/{path}", {**YES, "works": "no"})
    assert again.status_code == 404
    assert Answer.objects.filter(stay=stay).count() == 1
    assert Answer.objects.get(stay=stay).works == "yes"


def test_a_missing_answer_is_said_on_its_question_and_nothing_is_stored(stays_of):
    stay, physician = stays_of["oslo"]
    stay = discharged(stay, physician)
    path = made_link(stay, physician).split("/", 3)[3]
    response = client_of().post(f"/{path}", {"delivered_on_time": "yes", "works": "maybe"})
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count('role="alert"') == 2  # the unanswered and the impossible answer
    assert "Velg et svar." in html
    assert not Answer.objects.exists()
    # The link still works: the patient answers after the mistake.
    assert client_of().post(f"/{path}", YES).status_code == 200
    assert Answer.objects.count() == 1


def test_an_unknown_or_expired_link_says_only_that_it_does_not_work(stays_of, settings):
    stay, physician = stays_of["aalborg"]
    stay = discharged(stay, physician)
    path = made_link(stay, physician).split("/", 3)[3]
    unknown = client_of().get("/s/not-a-real-token-at-all/")
    assert unknown.status_code == 404
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = client_of().get(f"/{path}")
    assert expired.status_code == 404
    assert "Linket virker ikke" in expired.content.decode()  # the stay's language: Danish
    assert client_of().post(f"/{path}", YES).status_code == 404
    assert not Answer.objects.exists()


def test_a_new_link_replaces_the_unanswered_one(stays_of):
    stay, physician = stays_of["levanger"]
    stay = discharged(stay, physician)
    first = made_link(stay, physician).split("/", 3)[3]
    second = made_link(stay, physician).split("/", 3)[3]
    assert client_of().get(f"/{first}").status_code == 404
    assert client_of().get(f"/{second}").status_code == 200
    assert Invitation.objects.filter(stay=stay, withdrawn_at__isnull=False).count() == 1


def test_only_the_tokens_digest_is_stored(stays_of):
    stay, physician = stays_of["oslo"]
    stay = discharged(stay, physician)
    token = made_link(stay, physician).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(stay=stay)
    assert token not in invitation.digest
    assert invitation.digest == survey.digest_of(token)
    history = ChangeRecord.objects.filter(model="survey.invitation")
    assert history.count() == 1
    assert token not in str(history.get().changes)


def test_no_link_before_discharge_and_none_for_another_areas_stay(stays_of, make_user):
    stay, physician = stays_of["oslo"]
    refused = client_of(physician).post(f"/stays/{stay.pk}/survey/")
    assert refused.status_code == 409
    assert not Invitation.objects.exists()
    aalborg_stay, aalborg_physician = stays_of["aalborg"]
    aalborg_stay = discharged(aalborg_stay, aalborg_physician)
    assert client_of(physician).get(f"/stays/{aalborg_stay.pk}/survey/").status_code == 404
    assert client_of(physician).post(f"/stays/{aalborg_stay.pk}/survey/").status_code == 404
    assert not Invitation.objects.exists()


def test_the_stays_survey_page_logs_the_read_and_shows_the_answers(stays_of):
    stay, physician = stays_of["tromso"]
    stay = discharged(stay, physician)
    path = made_link(stay, physician).split("/", 3)[3]
    client_of().post(f"/{path}", {**YES, "works": "no"})
    before = PatientRead.objects.filter(patient=stay.patient).count()
    page = client_of(physician).get(f"/stays/{stay.pk}/survey/")
    assert page.status_code == 200
    assert "Does it work as it should?" in page.content.decode()
    assert PatientRead.objects.filter(patient=stay.patient).count() == before + 1
    assert "Make a new link" not in page.content.decode()  # answered: no new link


def test_the_figures_count_yes_of_those_who_said_yes_or_no(stays_of):
    replies = {
        "oslo": {"delivered_on_time": "yes", "instruction_given": "no", "works": "yes"},
        "tromso": {"delivered_on_time": "no", "instruction_given": "unsure", "works": "yes"},
        "levanger": {"delivered_on_time": "yes", "instruction_given": "yes", "works": "unsure"},
    }
    for area, reply in replies.items():
        stay, physician = stays_of[area]
        stay = discharged(stay, physician)
        path = made_link(stay, physician).split("/", 3)[3]
        assert client_of().post(f"/{path}", reply).status_code == 200
    figures = {f.question: f for f in survey_figures(Stay.objects.all())}
    assert (figures["delivered_on_time"].yes, figures["delivered_on_time"].answered) == (2, 3)
    assert (figures["instruction_given"].yes, figures["instruction_given"].answered) == (1, 2)
    assert figures["instruction_given"].unsure == 1
    assert figures["works"].value == 1.0
    norway_but_oslo = Stay.objects.exclude(agreement="oslo")
    only = {f.question: f for f in survey_figures(norway_but_oslo)}
    assert only["delivered_on_time"].answered == 2


@pytest.mark.parametrize("area", ["oslo", "aalborg"])
def test_at_most_one_answer_and_only_the_newest_link_opens(stays_of, area):
    """Whatever happens to a stay's links, in any order, at most one answer is stored and
    only the newest unexpired, unanswered link opens."""
    stay, physician = stays_of[area]
    stay = discharged(stay, physician)
    actor = system_actor()

    @given(st.lists(st.sampled_from(["new", "answer-newest", "answer-oldest", "expire"])))
    @settings(max_examples=30, deadline=None)
    def run(steps: list[str]) -> None:
        with transaction.atomic():
            tokens: list[str] = []
            for step in steps:
                if step == "new":
                    try:
                        tokens.append(survey.invite(stay, actor=actor)[1])
                    except Conflict:
                        assert Answer.objects.filter(stay=stay).exists()
                elif step == "expire":
                    Invitation.objects.filter(stay=stay).update(expires_at=timezone.now())
                elif tokens:
                    token = tokens[-1] if step == "answer-newest" else tokens[0]
                    opened = survey.open_invitation(token) is not None
                    try:
                        survey.answer(token, YES, actor=actor)
                        assert opened
                    except Conflict:
                        assert not opened
                open_ = [t for t in tokens if survey.open_invitation(t) is not None]
                assert open_ in ([], tokens[-1:])
                assert Answer.objects.filter(stay=stay).count() <= 1
            transaction.set_rollback(True)

    run()
