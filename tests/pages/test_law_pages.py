"""National law where a routine is silent, shown where users ask and labelled as law, apart
from the agreement's text (issue 14, item 11)."""

from __future__ import annotations

import re

import pytest

from overgang.stays.models import WaitingDayRate

pytestmark = pytest.mark.django_db

TREATMENT_AID_CASES = {
    "oslo": {"municipality": "Oslo", "district": "Frogner"},
    "tromso": {"municipality": "Tromsø"},
    "levanger": {"municipality": "Levanger"},
}
CASE = {"residence": "home", "aid_type": "cpap", "lender": "hospital"}
CASE["treatment_started_in_specialist_care"] = "on"


def law_lines(html: str) -> list[str]:
    return re.findall(r'<p class="hint law">(.*?)</p>', html, re.S)


@pytest.fixture
def reader(client, stovner_case_worker):
    client.force_login(stovner_case_worker)
    return client


@pytest.mark.parametrize("area", sorted(TREATMENT_AID_CASES))
def test_who_provides_treatment_aids_by_law_is_shown_as_law_in_norway(reader, area):
    page = reader.get(
        "/rules/", {**CASE, **TREATMENT_AID_CASES[area]}, headers={"accept-language": "en"}
    )
    assert page.status_code == 200
    lines = law_lines(page.content.decode())
    assert len(lines) == 1
    assert "Law" in lines[0]
    assert "Specialist Health Services Act § 2-1a" in lines[0]
    assert 'href="https://lovdata.no/lov/1999-07-02-61"' in lines[0]


def test_no_norwegian_law_is_shown_for_a_danish_case(reader):
    case = {**CASE, "municipality": "Aalborg"}
    page = reader.get("/rules/", case, headers={"accept-language": "en"})
    assert page.status_code == 200
    assert law_lines(page.content.decode()) == []


def test_the_waiting_days_page_names_the_laws_rates_and_who_pays(reader, system):
    WaitingDayRate.objects.create(year=2031, rate=7000, set_by=system)
    html = reader.get("/waiting-days/", headers={"accept-language": "en"}).content.decode()
    rates = re.search(r'<div class="card law" id="rates">(.*?)</div>\s*\n', html, re.S)
    assert rates, "the rates are shown apart, labelled as law"
    shown = rates.group(1)
    assert "2024: 5745 NOK" in shown and "2025: 5981 NOK" in shown
    assert "Norwegian Directorate of Health" in shown
    assert "2031: 7000 NOK, entered by an administrator" in shown
    assert "2031: 7000 NOK ·" not in shown  # not listed among the law's rates
    assert any("Since 2019" in line for line in law_lines(html))


def test_the_waiting_days_page_in_norwegian(reader):
    html = reader.get("/waiting-days/", headers={"accept-language": "nb"}).content.decode()
    assert "Fra 2019 betaler oppholdskommunen" in html
    assert "Lov" in html
