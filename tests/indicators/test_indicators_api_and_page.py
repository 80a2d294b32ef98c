"""The indicators' address and page: scope (404), bad input (422, naming the field), and
each area's page with its own agreement's definitions and citations only."""

from __future__ import annotations

import pytest
from django.test import Client

from overgang.organisations.models import Role

# Each area's network-group members: an organisation of each side.
AREAS = {
    "oslo": ("ous", "oslo"),
    "unn": ("unn", "tromso"),
    "hnt": ("hnt", "levanger"),
    "nordjylland": ("rn", "aalborg"),
}
OWN_CITES = {"oslo": (), "hnt": (), "unn": ("001 Kvalitetsmål",), "nordjylland": ("003 7",)}


@pytest.fixture
def client():
    """These tests read the page in English (the default language is Norwegian)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def member(make_user):
    def make(agreement: str, side: int = 0):
        key = AREAS[agreement][side]
        return make_user(f"net-{key}", (key, Role.NETWORK_GROUP))

    return make


def test_the_api_answers_the_contracts_shape(client, member):
    client.force_login(member("unn"))
    response = client.get("/api/v1/indicators?agreement=unn&from=2026-01-01&to=2026-03-31")
    assert response.status_code == 200
    body = response.json()
    keys = [one["key"] for one in body["indicators"]]
    assert keys[:5] == [
        "notices-on-time",
        "aids-delivered-on-discharge-day",
        "trained-before-discharge",
        "manual-handed-over",
        "waiting-days",
    ]
    for one in body["indicators"]:
        assert {"key", "numerator", "denominator", "value", "cites"} <= set(one)
        assert [m["month"] for m in one["months"]] == ["2026-01", "2026-02", "2026-03"]
    cites = {one["key"]: one["cites"] for one in body["indicators"]}
    assert cites["manual-handed-over"] == ["001 Kvalitetsmål", "001 Evaluering"]
    assert cites["notices-on-time"] == []  # UNN's text names no such indicator


@pytest.mark.parametrize("agreement", ["oslo", "hnt", "nordjylland", "nowhere"])
def test_another_agreement_or_an_unknown_one_is_not_found(client, member, agreement):
    client.force_login(member("unn"))
    assert client.get(f"/api/v1/indicators?agreement={agreement}").status_code == 404
    assert client.get(f"/indicators/?agreement={agreement}").status_code == 404


def test_someone_outside_every_agreement_is_not_found(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get("/api/v1/indicators?agreement=oslo").status_code == 404
    assert client.get("/indicators/").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-05-01&to=2026-04-01", "from"),
    ],
)
def test_bad_dates_are_a_422_naming_the_field(client, member, query, field):
    client.force_login(member("oslo"))
    response = client.get(f"/api/v1/indicators?agreement=oslo&{query}")
    assert response.status_code == 422
    assert any(error["loc"][-1] == field for error in response.json()["detail"])


def test_a_bad_month_on_the_page_is_a_form_error(client, member):
    client.force_login(member("oslo"))
    response = client.get("/indicators/?agreement=oslo&first=2026-05&last=2026-01")
    assert response.status_code == 422
    assert "The first month must not be after the last." in response.content.decode()
    assert client.get("/indicators/?agreement=oslo&first=May").status_code == 422
    # The calendar's ends are a typing error on the field, not an overflow (a 500).
    for month in ("first=0001-01", "last=9999-12"):
        far = client.get(f"/indicators/?agreement=oslo&{month}")
        assert far.status_code == 422
        assert "Give a date in the years 1900 to 2999." in far.content.decode()


@pytest.mark.parametrize("agreement", sorted(AREAS))
@pytest.mark.parametrize("side", [0, 1])
def test_each_areas_page_shows_its_own_definitions_and_citations(client, member, agreement, side):
    client.force_login(member(agreement, side))
    response = client.get("/indicators/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/indicators/"' in page  # the menu offers it
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert 'id="indicator-charts" type="application/json"' in page
    assert "<script>" not in page  # CSP: no inline script
    for cite in OWN_CITES[agreement]:
        assert cite in page
    others = {c for key, cites in OWN_CITES.items() if key != agreement for c in cites}
    for cite in others:
        assert cite not in page
    if not OWN_CITES[agreement]:
        assert "Overgang&#x27;s own definition" in page or "Overgang's own definition" in page
    for key in ("notices-on-time", "waiting-days", "overdue-loans", "survey-aid-works"):
        assert f'id="{key}"' in page


def test_the_page_exports_its_figures(client, member):
    client.force_login(member("oslo"))
    response = client.get("/indicators/?agreement=oslo&first=2026-01&last=2026-02&format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert len(lines[0].split(";")) == 6  # indicator, month, numerator, denominator, value, cites
    assert len(lines) == 1 + 10 * 2  # ten indicators (three of them the survey's), two months each
    assert "2026-02" in text
    assert client.get("/indicators/?agreement=oslo&format=docx").status_code == 422
