"""Small things a reader trips over (issue 19, item 8): a closed return that reads "Return
returned", a heading "How" with a "How" under it, and the system account's username where a
person's name belongs."""

import re

import pytest
from django.conf import settings

from overgang.aids import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user, language="en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def loan(ventilator, frogner_patient, system):
    """Lent by a job: the system account is the actor."""
    return actions.lend_device(ventilator, frogner_patient, actor=system)


def _closed_return(loan, frogner_case_worker, system):
    request = actions.request_return(
        [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
    )
    actions.return_loan(loan, actor=system)
    request.refresh_from_db()
    assert request.status == "done"
    return request


def _heading(page: str) -> list[str]:
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert h1 is not None
    return re.sub(r"<[^>]+>", " ", h1[1]).split()


@pytest.mark.parametrize("language", ["en", "nb", "da"])
def test_a_closed_return_does_not_read_return_returned(
    as_user, ous_technician, frogner_case_worker, system, loan, language
):
    request = _closed_return(loan, frogner_case_worker, system)
    page = as_user(ous_technician, language).get(f"/returns/{request.pk}/").content.decode()
    words = [w.casefold() for w in _heading(page)]
    assert len(words) == 2
    assert words[1] not in ("returned", "returnert", "returneret")


def test_the_way_back_is_not_headed_how_twice(as_user, ous_technician, frogner_case_worker, loan):
    request = actions.request_return(
        [loan], actor=frogner_case_worker, method="drop-off", reported_for="patient"
    )
    page = as_user(ous_technician).get(f"/returns/{request.pk}/").content.decode()
    assert len(re.findall(r">How<", page)) <= 1


def test_the_system_account_reads_as_overgang_not_its_username(as_user, ous_technician, loan):
    page = as_user(ous_technician).get(f"/devices/{loan.device.serial}/").content.decode()
    assert "overgang-system" not in page
    assert "Overgang (automatic)" in page
