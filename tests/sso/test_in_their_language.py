"""The buttons and the reasons for a refused login, in the language of the person."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.sso.conftest import log_in_at

pytestmark = pytest.mark.django_db


def test_a_danish_nurse_reads_the_refusal_in_danish(providers, nordjylland):
    nordjylland.knows("lars", sor_id="990000000000017", role="admin")
    _, answer = log_in_at(Client(HTTP_ACCEPT_LANGUAGE="da"), "rn", "lars")
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Overgang kender ikke rollen admin." in page
    assert "Log ind med Region Nordjylland" in page


def test_a_norwegian_nurse_reads_the_refusal_in_norwegian(providers, helseid):
    helseid.knows("tove", her_id="9900090", roles=["lege"])
    _, answer = log_in_at(Client(HTTP_ACCEPT_LANGUAGE="nb"), "helseid", "tove")
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "HelseID kan ikke gi tilgang i UNN Tromsø." in page
    assert "Logg inn med HelseID" in page
