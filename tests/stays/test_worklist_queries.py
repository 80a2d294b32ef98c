"""The worklist is the page most read (every half minute by everyone with duties): its
queries do not grow with its rows, and its rows' organisations are named without a query
(or in one, where no access stamp is kept)."""

from __future__ import annotations

import random
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from overgang.demo.people import norwegian_id
from overgang.organisations.models import AccessStamp, Role
from overgang.patients import actions as patient_actions
from overgang.stays.access import worklist
from overgang.stays.models import Notification, NotificationKind
from tests.stays.test_i14_worklists import _admit, _notified

pytestmark = pytest.mark.django_db


@pytest.fixture
def physician(make_user):
    return make_user("ous-lege", ("ous-lunge", Role.CLINICIAN))


def _admitted(count: int, physician, system, areas) -> None:
    """`count` patients of Frogner admitted to OUS and declared discharge-ready, each stay
    opening Frogner's deadlines."""
    rng = random.Random(count)
    for number in range(count):
        patient = patient_actions.create_patient(
            actor=system,
            national_id_number=norwegian_id(rng),
            name=f"Pasient {number:03d}",
            municipality="Oslo",
            district="Frogner",
            address="Skovveien 12",
        )
        _notified(_admit(patient, physician, areas["ous-lunge"]), physician)


def _worklist_queries(user) -> tuple[int, int]:
    """(queries the worklist page made, rows it showed)."""
    browser = Client()
    browser.force_login(user)
    browser.get("/worklist/")  # the user's memberships, cached for the next request
    with CaptureQueriesContext(connection) as queries:
        page = browser.get("/worklist/")
    assert page.status_code == 200
    return len(queries), page.content.decode().count('name="note"')


def test_the_worklists_queries_do_not_grow_with_its_rows(
    physician, frogner_case_worker, system, areas
):
    _admitted(2, physician, system, areas)
    few, shown_few = _worklist_queries(frogner_case_worker)
    _admitted(30, physician, system, areas)
    many, shown_many = _worklist_queries(frogner_case_worker)
    assert shown_few < shown_many == 25  # a full page of 25 rows against a few
    assert worklist(frogner_case_worker).count() > 25
    assert many == few


def _organisation_queries(user) -> tuple[list[str], str]:
    """(the queries of organisations a second look at the worklist made, the page)."""
    browser = Client()
    browser.force_login(user)
    browser.get("/worklist/")  # the memberships and the register, kept for the next request
    with CaptureQueriesContext(connection) as queries:
        page = browser.get("/worklist/")
    assert page.status_code == 200
    organisations = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "organisations_organisation"')
    ]
    return organisations, page.content.decode()


def _named(user) -> set[str]:
    """The names of the holders and hospitals of the user's worklist, as a page writes them."""
    return {
        escape(name)
        for pair in worklist(user).values_list("holder__name", "stay__hospital__name")
        for name in pair
    }


def test_the_holders_and_hospitals_of_a_page_are_named_without_a_query(
    physician, frogner_case_worker, system, areas
):
    """From the register of organisations kept as of the request's access stamp."""
    _admitted(3, physician, system, areas)
    organisations, page = _organisation_queries(frogner_case_worker)
    assert organisations == []
    names = _named(frogner_case_worker)
    assert len(names) == 2
    assert all(name in page for name in names)


def test_without_an_access_stamp_the_holders_and_hospitals_come_in_one_query(
    physician, frogner_case_worker, system, areas
):
    _admitted(3, physician, system, areas)
    AccessStamp.objects.all().delete()  # an emptied database: nothing is remembered
    organisations, page = _organisation_queries(frogner_case_worker)
    names_query = (
        'SELECT "organisations_organisation"."id" AS "pk", "organisations_organisation"."name"'
    )
    assert len([sql for sql in organisations if sql.startswith(names_query)]) == 1, organisations
    assert all(name in page for name in _named(frogner_case_worker))


def _api_worklist_queries(user) -> tuple[int, int]:
    """(queries the API's worklist made, rows it answered)."""
    client = Client()
    client.force_login(user)
    client.get("/api/v1/deadlines")  # the user's memberships, cached for the next request
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/deadlines")
    assert answer.status_code == 200
    return len(queries), len(answer.json())


def test_the_api_worklists_queries_do_not_grow_with_its_rows(
    physician, frogner_case_worker, system, areas
):
    """Its rows are read as columns with their holder's key and stay's time zone: no query
    a row for either."""
    _admitted(2, physician, system, areas)
    few, shown_few = _api_worklist_queries(frogner_case_worker)
    _admitted(30, physician, system, areas)
    many, shown_many = _api_worklist_queries(frogner_case_worker)
    assert shown_few < shown_many
    assert many == few


def test_someone_who_belongs_to_no_organisation_yet_gets_an_empty_worklist(
    make_user, physician, system, areas
):
    """A login made before anyone gave it a membership (an SSO account on its first day):
    its worklist filters on no organisations at all, and says there is nothing, not 500."""
    _admitted(1, physician, system, areas)
    newcomer = make_user("ny-bruker")
    browser = Client()
    browser.force_login(newcomer)
    page = browser.get("/worklist/")
    assert page.status_code == 200
    assert "Ingen åpne frister. Godt jobbet." in page.content.decode()  # nb: the default
    assert browser.get("/worklist/", headers={"X-Overgang-Poll": "1"}).status_code == 200


def test_the_menus_news_are_counted_with_the_worklists_figures(
    physician, frogner_case_worker, system, areas
):
    """The full page counts the menu's new notifications in the query of its own figures,
    and shows the count another page shows; the half-minute refresh shows no menu."""
    _admitted(3, physician, system, areas)
    for deadline in worklist(frogner_case_worker)[:3]:
        Notification.objects.create(
            deadline=deadline, kind=NotificationKind.DUE, organisation_id=deadline.holder_id
        )
    browser = Client()
    browser.force_login(frogner_case_worker)
    browser.get("/worklist/")
    with CaptureQueriesContext(connection) as queries:
        page = browser.get("/worklist/").content.decode()
    notifications = [q["sql"] for q in queries.captured_queries if "stays_notification" in q["sql"]]
    assert len(notifications) == 1, notifications
    assert "stays_deadline" in notifications[0]  # counted with the worklist's figures
    badge = re.search(r'<span class="badge" id="news-count"[^>]*>([^<]+)</span>', page)
    assert badge is not None
    assert badge.group(1) == "3"
    elsewhere = browser.get("/stays/").content.decode()
    assert badge.group(0) in elsewhere
    refreshed = browser.get("/worklist/", headers={"HX-Request": "true"}).content.decode()
    assert "news-count" not in refreshed
