"""A login lasts a working day at most and ends after idle time; the user is then told why,
in their language, and logging in takes them back to where they were."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

DANISH_IDLE = (
    "Du blev logget ud efter 30 minutter uden aktivitet. "
    "Log ind igen for at fortsætte, hvor du var."
)
NORWEGIAN_DAY = (
    "Du ble logget ut: en innlogging varer høyst 10 timer. "
    "Logg inn igjen for å fortsette der du var."
)


@pytest.fixture
def at(monkeypatch) -> Callable[..., None]:
    """Move every clock (overgang.clock, the sessions) to this long after the start."""
    start = timezone.now()

    def move(**after: float) -> None:
        moment = start + datetime.timedelta(**after)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


@pytest.fixture
def logged_in(client, frogner_case_worker, at):
    at(minutes=0)
    client.force_login(frogner_case_worker)
    return client


def test_a_login_left_alone_ends_and_says_why_in_the_users_language(logged_in, at):
    at(minutes=31)
    response = logged_in.get("/worklist/?page=1", headers={"Accept-Language": "da"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/worklist/%3Fpage%3D1"
    login_page = logged_in.get(response["Location"], headers={"Accept-Language": "da"})
    assert DANISH_IDLE in login_page.content.decode()
    assert logged_in.get("/worklist/").status_code == 302  # logged out indeed


def test_logging_in_again_returns_to_where_the_user_was(logged_in, at):
    at(minutes=45)
    login_page = logged_in.get("/patients/?q=Nordmann", follow=True)
    assert login_page.request["PATH_INFO"] == "/login/"
    assert login_page.context["next"] == "/patients/?q=Nordmann"
    at(minutes=46)
    response = logged_in.post(
        "/login/", {"username": "oslo-frogner", "password": "demo", "next": "/patients/?q=Nordmann"}
    )
    assert response["Location"] == "/patients/?q=Nordmann"
    assert logged_in.get("/patients/?q=Nordmann").status_code == 200


def test_someone_at_work_stays_logged_in_past_the_idle_time_until_they_stop(logged_in, at):
    for minutes in (20, 40, 60, 80):
        at(minutes=minutes)
        assert logged_in.get("/worklist/").status_code == 200, minutes
    at(minutes=80 + 31)
    assert logged_in.get("/worklist/")["Location"] == "/login/?next=/worklist/"


def test_a_working_day_ends_the_login_however_busy(logged_in, at):
    for minutes in range(25, 10 * 60, 25):
        at(minutes=minutes)
        assert logged_in.get("/").status_code == 200, minutes
    at(hours=10)
    response = logged_in.get("/worklist/")
    assert response["Location"] == "/login/?next=/worklist/"
    assert NORWEGIAN_DAY in logged_in.get(response["Location"]).content.decode()


def test_a_page_that_refreshes_itself_does_not_keep_the_login_alive(logged_in, at):
    poll = {"HX-Request": "true", "X-Overgang-Poll": "1"}
    for minutes in (10, 20, 29):
        at(minutes=minutes)
        assert logged_in.get("/worklist/", headers=poll).status_code == 200
    at(minutes=31)
    response = logged_in.get(
        "/worklist/", headers=poll | {"HX-Current-URL": "http://testserver/worklist/?page=2"}
    )
    # htmx takes the whole page to the login page, and back to the list afterwards.
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/worklist/%3Fpage%3D2"


def test_the_idle_time_is_a_setting(logged_in, at, settings):
    settings.SESSION_IDLE_MINUTES = 5
    at(minutes=4)
    assert logged_in.get("/").status_code == 200
    at(minutes=10)
    assert logged_in.get("/").status_code == 302


def test_the_working_day_is_a_setting(logged_in, at, settings):
    settings.SESSION_HOURS = 1
    for minutes in (20, 40):
        at(minutes=minutes)
        assert logged_in.get("/").status_code == 200
    at(minutes=60)
    assert logged_in.get("/").status_code == 302


def test_an_ended_login_does_not_let_a_form_through(logged_in, at, frogner_patient):
    at(minutes=31)
    response = logged_in.post(
        f"/patients/{frogner_patient.pk}/relatives/", {"name": "Per Nordmann", "relation": "child"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not frogner_patient.relatives.exists()


def test_an_ended_login_on_the_login_page_itself_does_not_come_back_to_it(logged_in, at):
    at(minutes=31)
    response = logged_in.get("/login/")
    assert response["Location"] == "/login/"
    login_page = logged_in.get("/login/")
    assert login_page.status_code == 200
    assert "Du ble logget ut etter 30 minutter" in login_page.content.decode()
