"""Every figure on the start page is a link to the list of exactly the items it counts (issue
19, item 6): for every demo user of the four areas, the number on the card equals the rows
the linked list says it shows. No figure is a dead end."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from lxml import html

from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.audit.models import PatientRead
from overgang.demo.management.commands.demo import Command as Demo
from overgang.demo.users import DEMO_USERS


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo installation (Oslo, Tromsø/UNN, Levanger/HNT, Aalborg), loaded once."""
    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=2026)
        yield
        transaction.set_rollback(True)


PEOPLE = [u.username for u in DEMO_USERS if u.username not in ("admin", "levanger-integration")]


def nodes(element: Any, path: str) -> list[Any]:
    found = element.xpath(path)
    assert isinstance(found, list)
    return found


def first_number(text: str) -> int:
    match = re.search(r"\d+", text)
    assert match is not None, text
    return int(match[0])


def figures(client: Any) -> list[tuple[int, str, str]]:
    """Each figure card: its number, the link it opens and what it says."""
    page = html.fromstring(client.get("/").content)
    found = []
    for card in nodes(page, '//*[contains(concat(" ", @class, " "), " figure-card ")]'):
        if card.tag != "a":
            pytest.fail(f"a figure that links nowhere: {card.text_content().strip()}")
        number = nodes(card, './/*[@class="figure"]')[0].text_content()
        found.append((first_number(number), str(card.get("href")), card.text_content().strip()))
    for patients in nodes(page, '//*[@id="patients-figure"]'):
        number = nodes(patients, './/*[@class="figure"]')[0].text_content()
        found.append((first_number(number), str(patients.get("href")), "patients"))
    return found


def rows_of(client: Any, href: str) -> int:
    """How many rows the list says it has (its status line), read as a user reads it."""
    response = client.get(href.split("#")[0])
    assert response.status_code == 200, href
    page = html.fromstring(response.content)
    count = nodes(page, '//*[@role="status"][contains(@class, "count")]')
    assert count, f"{href} says nowhere how many it shows"
    return first_number(count[0].text_content())


@pytest.mark.parametrize("username", PEOPLE)
def test_each_figure_opens_a_list_of_exactly_what_it_counts(demo, db, client, username):
    client.force_login(User.objects.get(username=username))
    shown = figures(client)
    bad = []
    for number, href, what in shown:
        if (got := rows_of(client, href)) != number:
            bad.append(f"{what} → {href} shows {got}")
    assert not bad, f"{username}: {bad}"


def test_every_area_has_figures_to_follow(demo, db, client):
    for username in (
        "ous-bhm",
        "unn-bhm",
        "stolav-bhm",
        "rn-depot",
        "ous-clinician",
        "hnt-clinician",
        "aauh-clinician",
        "tromso-case",
    ):
        client.force_login(User.objects.get(username=username))
        assert len(figures(client)) >= 2, username


def test_the_list_of_loans_without_the_manual_is_logged_as_reads(demo, db, client):
    user = User.objects.get(username="ous-bhm")
    client.force_login(user)
    before = PatientRead.objects.filter(user=user).count()
    [href] = [h for _n, h, _w in figures(client) if "manual" in h]
    rows_of(client, href)
    assert PatientRead.objects.filter(user=user).count() > before
