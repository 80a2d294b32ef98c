"""Every area of the demo has its whole cast (issue 14, item 12): the UNN ward physician, the
St. Olavs treatment-aids technician who lends for HNT, Region Nordjylland's depot and a
member of the network group log in with the demo password and each sees their own area's
start page, not another's."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import global_settings
from django.contrib.auth.models import User
from django.db import transaction

from overgang.aids.models import Device
from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.demo.users import DEMO_PASSWORD, DEMO_USERS
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.stays.models import Stay

NEW = ("unn-clinician", "stolav-bhm", "rn-depot", "rn-network", "rn-contact")


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo installation, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=2026)
        yield
        transaction.set_rollback(True)


def start_page(client, username: str, language: str = "nb") -> str:
    client.force_login(User.objects.get(username=username))
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_new_users_are_in_the_demo_list():
    names = [demo.username for demo in DEMO_USERS]
    assert set(NEW) <= set(names)
    assert len(names) == len(set(names))


@pytest.mark.parametrize("username", NEW)
def test_each_new_demo_user_logs_in_with_the_demo_password(demo, db, client, settings, username):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # as the demo stored them
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_the_unn_ward_physician_sees_tromso_not_oslo_or_levanger(demo, db, client):
    page = start_page(client, "unn-clinician")
    assert "Lungeavdelingen</li>" not in page  # the department is named with its hospital
    assert "Lungeavdelingen, UNN Tromsø" in page
    assert "Oslo universitetssykehus" not in page
    user = User.objects.get(username="unn-clinician")
    stays = Stay.objects.restrict(user, VIEW)
    assert {s.trust.key for s in stays} == {"unn"}
    assert stays.filter(needs__aid_type__slug="oxygen-concentrator").exists()
    patients = Patient.objects.restrict(user, VIEW)
    assert patients.exists()
    assert set(patients.values_list("responsible_hospital__key", flat=True)) == {"unn"}


def test_the_st_olavs_technician_runs_the_unit_that_lends_for_hnt(demo, db, client):
    page = start_page(client, "stolav-bhm")
    assert "Regional enhet for behandlingshjelpemidler, St. Olavs hospital HF" in page
    assert "I dag på enheten" in page
    user = User.objects.get(username="stolav-bhm")
    on_loan = Device.objects.filter(owner__key="stolav-bhm", status="on-loan").count()
    assert on_loan > 0
    assert f'<span class="figure">{on_loan}</span> ' in page
    # HNT's patients (routine 002 point 4) and whoever holds one of its devices; no Oslo ones.
    patients = Patient.objects.restrict(user, VIEW)
    assert patients.filter(responsible_hospital__key="hnt").exists()
    assert not patients.filter(municipality__key="oslo").exists()
    assert not patients.filter(municipality__country="DK").exists()


def test_region_nordjyllands_depot_has_stock_and_reads_it_in_danish(demo, db, client):
    page = start_page(client, "rn-depot", language="da")
    assert "Regionalt Hjælpemiddeldepot, Region Nordjylland" in page
    overview = client.get("/depot/").content.decode()
    # Each cell names its column (data-label) for the phone.
    assert re.search(r"<td[^>]*>Kørestol</td>", overview)
    assert re.search(r"<td[^>]*>Rollator</td>", overview)
    assert "Wheelchair" not in overview
    assert "<td>Hjemmerespirator</td>" not in overview  # not its shelves: OUS, St. Olavs
    user = User.objects.get(username="rn-depot")
    assert not Patient.objects.restrict(user, VIEW).filter(municipality__country="NO").exists()


def test_the_network_group_member_reads_the_agreements_and_sees_no_patient(demo, db, client):
    page = start_page(client, "rn-network", language="da")
    assert "<strong>Medlem af netværksgruppe</strong> — Region Nordjylland" in page
    assert 'id="agreements"' in page
    assert "patienter, du kan se" not in page
    assert client.get("/rules/").status_code == 200
    assert client.get("/catalogue/").status_code == 200
    assert client.get("/patients/").status_code == 403
    assert client.get("/depot/").status_code == 403
    user = User.objects.get(username="rn-network")
    assert not Patient.objects.restrict(user, VIEW).exists()


def test_the_contact_committee_member_follows_capacity_and_sees_no_patient(demo, db, client):
    page = start_page(client, "rn-contact", language="da")
    assert "Aalborg Universitetshospital" in page
    assert 'href="/capacity/"' in page and 'href="/indicators/"' in page
    assert "patienter, du kan se" not in page
    assert client.get("/capacity/").status_code == 200
    assert client.get("/patients/").status_code == 403
    assert client.get("/network/").status_code == 404
    user = User.objects.get(username="rn-contact")
    assert not Patient.objects.restrict(user, VIEW).exists()
    assert not Stay.objects.restrict(user, VIEW).exists()


def test_a_user_with_patients_gets_no_agreements_card(demo, db, client):
    assert 'id="agreements"' not in start_page(client, "tromso-case")
