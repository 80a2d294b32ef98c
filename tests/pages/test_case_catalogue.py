"""The case catalogue (N1) as a page and over the API: each area reads its own agreement's,
and only that; filters narrow; the PDF is a PDF; and the catalogue answers a case as the
page "Who is responsible?" does."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from overgang.organisations.models import Role
from overgang.rules import all_agreements
from overgang.rules.catalogue import catalogue, covering
from overgang.rules.engine import read_case
from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.rules.spec import DUTIES

pytestmark = pytest.mark.django_db

AGREEMENTS = {a.id: a for a in all_agreements()}  # the newest version of each
# Each area's reader, and what their agreement's text says that no other's does.
READERS = {
    "oslo": ("oslo-frogner-bestiller", Role.CASE_WORKER),
    "unn": ("tromso-tildeling", Role.CASE_WORKER),
    "hnt": ("levanger-tildeling", Role.CASE_WORKER),
    "nordjylland": ("aalborg-visitation", Role.CASE_WORKER),
}


@pytest.fixture
def reader(make_user, client):
    def login(agreement: str, role: Role | None = None):
        key, default = READERS[agreement]
        user = make_user(f"reader-{agreement}", (key, role or default))
        client.force_login(user)
        # The words asserted on are the English ones (the other languages need the lead's
        # compiled translations).
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


@pytest.mark.parametrize("agreement", sorted(AGREEMENTS))
def test_the_api_answers_the_contracts_shape(reader, agreement):
    client = reader(agreement)
    answer = client.get(f"/api/v1/agreements/{agreement}/catalogue")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["agreement"] == agreement
    assert body["version"] == AGREEMENTS[agreement].version
    assert body["cases"]
    keys = [case["case"] for case in body["cases"]]
    assert len(set(keys)) == len(keys)
    for case in body["cases"]:
        assert set(case["title"]) == {"nb", "da", "en"}
        assert set(case["duties"]) == set(DUTIES)
        for duty in case["duties"].values():
            if duty is not None:
                assert {"party", "cites"} <= set(duty)
                assert duty["cites"]
    assert any(case["decides"] for case in body["cases"])


@pytest.mark.parametrize(
    ("agreement", "other"),
    [("oslo", "nordjylland"), ("nordjylland", "oslo"), ("unn", "hnt"), ("hnt", "unn")],
)
def test_another_areas_catalogue_is_not_found(reader, agreement, other):
    client = reader(agreement)
    assert client.get(f"/api/v1/agreements/{other}/catalogue").status_code == 404
    assert client.get(f"/agreements/{other}/catalogue/").status_code == 404
    assert client.get("/api/v1/agreements/no-such/catalogue").status_code == 404


def test_network_members_and_the_superuser_read_it(make_user, client, admin_user):
    member = make_user("rn-member", ("rn", Role.NETWORK_GROUP))
    client.force_login(member)
    assert client.get("/api/v1/agreements/nordjylland/catalogue").status_code == 200
    assert client.get("/api/v1/agreements/oslo/catalogue").status_code == 404
    client.force_login(admin_user)
    for agreement in AGREEMENTS:
        assert client.get(f"/api/v1/agreements/{agreement}/catalogue").status_code == 200


def test_a_stranger_is_not_let_in(client):
    assert client.get("/api/v1/agreements/oslo/catalogue").status_code == 401
    page = client.get("/agreements/oslo/catalogue/")
    assert page.status_code == 302


@pytest.mark.parametrize("date", ["2025-13-01", "tomorrow", "1066-10-14"])
def test_a_bad_date_is_a_422_naming_it(reader, date):
    client = reader("oslo")
    answer = client.get("/api/v1/agreements/oslo/catalogue", {"date": date})
    assert answer.status_code == 422
    assert any(error["loc"][-1] == "date" for error in answer.json()["detail"])
    page = client.get("/agreements/oslo/catalogue/", {"date": date})
    assert page.status_code == 422
    assert page.context["form"].errors["date"]


def test_a_date_before_the_agreement_is_a_422_naming_it(reader):
    client = reader("oslo")
    before = AGREEMENTS["oslo"].valid_from.replace(year=AGREEMENTS["oslo"].valid_from.year - 5)
    answer = client.get("/api/v1/agreements/oslo/catalogue", {"date": before.isoformat()})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "date"]


@pytest.mark.parametrize("agreement", sorted(AGREEMENTS))
def test_each_area_sees_its_own_agreement_only(reader, agreement):
    client = reader(agreement)
    page = client.get(f"/agreements/{agreement}/catalogue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert AGREEMENTS[agreement].title in text
    for other in AGREEMENTS.values():
        if other.id != agreement:
            assert other.title not in text
    # Every row of the catalogue is on the page, and the version with its dates.
    assert page.context["count"] == len(catalogue(AGREEMENTS[agreement]))
    assert AGREEMENTS[agreement].version in text
    # The menu leads there, and "Who is responsible?" to this agreement's catalogue only.
    assert 'href="/agreements/catalogue/"' in text
    rules = client.get("/rules/").content.decode()
    assert f'href="/agreements/{agreement}/catalogue/"' in rules
    for key in AGREEMENTS:
        if key != agreement:
            assert f'href="/agreements/{key}/catalogue/"' not in rules


def test_the_menu_link_is_not_shown_to_those_who_may_read_none(make_user, client):
    user = make_user("nowhere")
    client.force_login(user)
    assert 'href="/agreements/catalogue/"' not in client.get("/rules/").content.decode()
    assert client.get("/agreements/catalogue/").status_code == 404


def test_the_index_leads_to_the_readers_own_catalogue(reader):
    client = reader("unn")
    answer = client.get("/agreements/catalogue/")
    assert answer.status_code == 302
    assert answer["Location"] == "/agreements/unn/catalogue/"


def test_filters_narrow_the_rows(reader):
    client = reader("unn")
    everything = client.get("/agreements/unn/catalogue/").context["count"]
    treatment = client.get("/agreements/unn/catalogue/", {"category": "treatment-aid"})
    rows = [row for group in treatment.context["groups"] for row in group["rows"]]
    assert 0 < len(rows) < everything
    assert all(row.case.category == "treatment-aid" for row in rows)
    # A resident of an institution: no row narrowed to those living at home.
    institution = client.get("/agreements/unn/catalogue/", {"residence": "institution"})
    rows = [row for group in institution.context["groups"] for row in group["rows"]]
    assert rows
    assert all(row.case.values("patient.residence") in (None, ("institution",)) for row in rows)
    # Who returns the aid: the municipality.
    returned = client.get("/agreements/unn/catalogue/", {"duty": "return", "party": "municipality"})
    rows = [row for group in returned.context["groups"] for row in group["rows"]]
    assert rows
    assert all(row.case.duty("return").party == "municipality" for row in rows)
    # Free text over the aid and the situation.
    searched = client.get("/agreements/unn/catalogue/", {"q": "cpap"})
    rows = [row for group in searched.context["groups"] for row in group["rows"]]
    assert 0 < len(rows) < everything
    assert all("cpap" in row.case.aid_types for row in rows)
    nothing = client.get("/agreements/unn/catalogue/", {"q": "zzzz-no-such-thing"})
    assert nothing.context["count"] == 0
    assert "No case matches the filter." in nothing.content.decode()


def test_a_bad_filter_is_a_422_naming_it(reader):
    client = reader("oslo")
    page = client.get("/agreements/oslo/catalogue/", {"party": "the-king"})
    assert page.status_code == 422
    assert page.context["form"].errors["party"]


def test_sorting_by_situation_orders_the_rows(reader):
    client = reader("oslo")
    page = client.get("/agreements/oslo/catalogue/", {"sort": "situation"})
    situations = [row.situation for group in page.context["groups"] for row in group["rows"]]
    assert situations == sorted(situations, key=str.casefold)


def test_the_pdf_is_a_landscape_pdf_holding_a_case_title(reader):
    client = reader("nordjylland")
    answer = client.get("/agreements/nordjylland/catalogue/", {"format": "pdf"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(answer.content))
    first = pdf.pages[0]
    assert first.mediabox.width > first.mediabox.height
    text = " ".join(page.extract_text() for page in pdf.pages)
    situation = catalogue(AGREEMENTS["nordjylland"])[0].situation_title["en"]
    assert situation.split(";")[0][:30] in " ".join(text.split())


def test_the_exports_hold_the_filtered_rows(reader):
    client = reader("hnt")
    answer = client.get(
        "/agreements/hnt/catalogue/", {"category": "technical-aid", "format": "csv"}
    )
    assert answer.status_code == 200
    text = answer.content.decode("utf-8-sig")
    assert "Technical aids" in text
    assert "Treatment aids –" not in text


# A handful of concrete cases, asked of "Who is responsible?" and looked up in the catalogue.
CASES = [
    ("oslo", {"agreement": "oslo", "aid_type": "cpap", "residence": "home", "lender": "hospital"}),
    (
        "unn",
        {
            "agreement": "unn",
            "aid_type": "oxygen-concentrator",
            "residence": "institution",
            "lender": "hospital",
            "treatment_started_in_specialist_care": "on",
        },
    ),
    (
        "hnt",
        {
            "agreement": "hnt",
            "aid_type": "wheelchair",
            "residence": "home",
            "duration_months": "30",
            "lender": "hospital",
        },
    ),
    (
        "nordjylland",
        {
            "agreement": "nordjylland",
            "aid_type": "cpap",
            "residence": "home",
            "purpose": "rehabilitation",
            "phase": "after-pre-examination",
            "lender": "hospital",
        },
    ),
]


@pytest.mark.parametrize(("agreement", "asked"), CASES, ids=[c[0] for c in CASES])
def test_the_rules_page_and_the_catalogue_agree(reader, agreement, asked):
    client = reader(agreement)
    page = client.get("/rules/", asked)
    assert page.status_code == 200
    form = page.context["form"]
    _, flat, _ = read_case(form.case())
    row = covering(catalogue(AGREEMENTS[agreement]), flat)
    assert row is not None
    shown = {r["duty"]: r["party"] for r in page.context["rows"]}
    for duty in DUTIES:
        answer = row.duty(duty)
        expected = PARTY_NAMES["en"][answer.party] if answer else None
        assert shown[DUTY_NAMES["en"][duty]] == expected, duty
