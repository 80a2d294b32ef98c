"""N10, done when: a member of the Nordjylland network group changes who pays in a draft
and proposes it; they cannot approve it themselves; the other side's member approves it
with an effective date; before that date the answers keep the old party and version, from
it they give the new ones. Members of other groups and other roles see nothing of it."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang.audit.models import ChangeRecord
from overgang.organisations.models import Role
from overgang.revisions import published
from overgang.revisions.models import AgreementVersion, Status
from overgang.rules.registry import agreement_by_id, load_text

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)
EFFECTIVE = datetime.date(2027, 1, 1)
RULE = "nordjylland.treatment"
CASE = {
    "agreement": "nordjylland",
    "patient": {"municipality": "Aalborg"},
    "aid": {"type": "rollator"},
    "need": {"purpose": "treatment"},
}


@pytest.fixture(autouse=True)
def today():
    with mock.patch("django.utils.timezone.now", return_value=TODAY):
        yield


def on(day: datetime.date):
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def member(make_user, username: str, org: str, role: Role = Role.NETWORK_GROUP) -> Any:
    client: Any = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.person = make_user(username, (org, role))
    client.force_login(client.person)
    return client


@pytest.fixture
def rn(make_user) -> Client:
    return member(make_user, "rn-network", "rn")


@pytest.fixture
def aalborg(make_user) -> Client:
    return member(make_user, "aalborg-network", "aalborg")


def new_draft(client: Client) -> AgreementVersion:
    response = client.post("/agreements/revisions/new/nordjylland/")
    assert response.status_code == 302
    return AgreementVersion.objects.get()


def edit(client: Client, draft: AgreementVersion, **data: str):
    return client.post(f"/agreements/revisions/{draft.pk}/", data)


def payer_to_municipality(client: Client, draft: AgreementVersion):
    return edit(
        client,
        draft,
        op="duty",
        rule=RULE,
        duty="payment",
        party="municipality",
        cites="003 2\n003 3",
    )


def effective(client: Client, draft: AgreementVersion, day: datetime.date = EFFECTIVE):
    return edit(client, draft, op="effective", valid_from=day.isoformat(), version="2027-1")


def payer_on_page(client: Any, day: datetime.date) -> tuple[str, str]:
    """(payer, version) as the page "Who is responsible?" answers it on `day`."""
    with on(day):
        client.force_login(client.person)  # the session would have expired by then
        page = client.get(
            "/rules/",
            {
                "agreement": "nordjylland",
                "municipality": "Aalborg",
                "aid_type": "rollator",
                "purpose": "treatment",
                "residence": "home",
                "lender": "hospital",
            },
        )
    assert page.status_code == 200, page.content[:2000]
    decision = page.context["decision"]
    return decision["duties"]["payment"]["party"], decision["agreement"]["version"]


def payer_by_api(api, day: datetime.date) -> tuple[str, str]:
    with on(day):
        answer = api.post("/rules/decide", {**CASE, "date": day.isoformat()})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    return body["duties"]["payment"]["party"], body["agreement"]["version"]


def test_a_change_of_payer_proposed_by_one_side_and_approved_by_the_other(
    rn, aalborg, api_as, frogner_case_worker
):
    draft = new_draft(rn)
    assert payer_to_municipality(rn, draft).status_code == 302
    assert effective(rn, draft).status_code == 302
    draft.refresh_from_db()
    assert "# Samarbejdsaftale om behandlingsredskaber" in draft.text  # comments kept
    assert edit(rn, draft, op="propose").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PROPOSED

    # The proposer cannot approve: told so, nothing changes.
    page = rn.get(f"/agreements/revisions/{draft.pk}/")
    assert b'value="approve"' not in page.content
    refused = edit(rn, draft, op="approve")
    assert refused.status_code == 422
    assert "Another member of the network group must approve" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.PROPOSED and draft.approved_by is None

    assert b'value="approve"' in aalborg.get(f"/agreements/revisions/{draft.pk}/").content
    assert edit(aalborg, draft, op="approve").status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.approved_by is not None
    assert draft.approved_by.username == "aalborg-network"
    assert (
        ChangeRecord.objects.filter(
            model__icontains="agreementversion", object_id=str(draft.pk)
        ).count()
        == 5
    )

    api = api_as(frogner_case_worker)
    day_before = EFFECTIVE - datetime.timedelta(days=1)
    assert payer_on_page(rn, day_before) == ("hospital", "2024-1")
    assert payer_by_api(api, day_before) == ("hospital", "2024-1")
    assert payer_on_page(rn, EFFECTIVE) == ("municipality", "2027-1")
    assert payer_by_api(api, EFFECTIVE) == ("municipality", "2027-1")
    # A stay admitted before the date keeps the old version; one admitted from it, the new.
    assert agreement_by_id("nordjylland", on=day_before).version == "2024-1"
    assert agreement_by_id("nordjylland", on=EFFECTIVE).version == "2027-1"


def test_another_process_sees_the_approval_on_its_next_request(rn, aalborg):
    draft = new_draft(rn)
    payer_to_municipality(rn, draft)
    effective(rn, draft)
    edit(rn, draft, op="propose")
    edit(aalborg, draft, op="approve")
    published.forget()  # as a worker that never saw the approval
    assert payer_on_page(rn, EFFECTIVE) == ("municipality", "2027-1")


def test_the_export_loads_as_the_approved_version(rn, aalborg):
    draft = new_draft(rn)
    payer_to_municipality(rn, draft)
    effective(rn, draft)
    edit(rn, draft, op="propose")
    edit(aalborg, draft, op="approve")
    response = rn.get(f"/agreements/revisions/{draft.pk}/export/")
    assert response.status_code == 200
    assert 'filename="nordjylland-2027-1.toml"' in response["Content-Disposition"]
    exported = load_text(response.content.decode(), "export")
    approved = agreement_by_id("nordjylland", on=EFFECTIVE)
    assert exported.version == approved.version == "2027-1"
    assert [
        (r.id, dict(r.duties), dict(r.text), r.cites, r.conditions) for r in exported.rules
    ] == [(r.id, dict(r.duties), dict(r.text), r.cites, r.conditions) for r in approved.rules]


def test_the_diff_says_who_pays_now(rn):
    draft = new_draft(rn)
    payer_to_municipality(rn, draft)
    page = rn.get(f"/agreements/revisions/{draft.pk}/diff/")
    assert page.status_code == 200
    change = next(c for c in page.context["changes"] if c["rule"] == RULE)
    assert [d["parties"] for d in change["duties"]] == [("hospital", "municipality")]
    assert '-payment = { party = "hospital"' in page.context["raw"]


@pytest.mark.parametrize(
    ("username", "org", "role"),
    [
        ("oslo-network", "oslo", Role.NETWORK_GROUP),
        ("aalborg-case", "aalborg-visitation", Role.CASE_WORKER),
    ],
)
def test_nobody_outside_the_group_sees_the_drafts(rn, make_user, username, org, role):
    draft = new_draft(rn)
    outsider = member(make_user, username, org, role)
    for path in ("", "diff/", "export/"):
        assert outsider.get(f"/agreements/revisions/{draft.pk}/{path}").status_code == 404
    assert edit(outsider, draft, op="withdraw").status_code == 404
    assert outsider.post("/agreements/revisions/new/nordjylland/").status_code == 404
    listing = outsider.get("/agreements/revisions/")
    assert listing.status_code == 404 or b"nordjylland" not in listing.content.lower()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"op": "duty", "rule": RULE, "duty": "payment", "party": "the-king", "cites": "003 2"},
            "party",
        ),
        (
            {
                "op": "duty",
                "rule": RULE,
                "duty": "payment",
                "party": "municipality",
                "cites": "003 99.9",
            },
            "cites",
        ),
        (
            {
                "op": "duty",
                "rule": RULE,
                "duty": "payment",
                "party": "municipality",
                "cites": "nonsense",
            },
            "cites",
        ),
        ({"op": "texts", "rule": RULE, "text_nb": "", "text_da": "x", "text_en": "x"}, "text_nb"),
        ({"op": "effective", "valid_from": "2026-12-06", "version": "2027-1"}, "valid_from"),
        ({"op": "effective", "valid_from": "2026-01-01", "version": "2027-1"}, "valid_from"),
        ({"op": "effective", "valid_from": "2027-01-01", "version": "2024-1"}, "version"),
    ],
)
def test_invalid_input_names_the_field_and_changes_nothing(rn, data, field):
    draft = new_draft(rn)
    before = (draft.text, draft.valid_from, draft.version)
    response = edit(rn, draft, **data)
    assert response.status_code == 422
    form = response.context[f"{data['op']}_form"]
    assert field in form.errors, form.errors
    draft.refresh_from_db()
    assert (draft.text, draft.valid_from, draft.version) == before


def test_a_draft_with_problems_cannot_be_proposed(rn):
    draft = new_draft(rn)
    effective(rn, draft, datetime.date(2027, 1, 1))
    draft.refresh_from_db()
    draft.text = draft.text.replace('cites = ["003 2"]', 'cites = ["003 77"]', 1)
    draft.save()
    page = rn.get(f"/agreements/revisions/{draft.pk}/")
    assert page.context["problems"]
    assert edit(rn, draft, op="propose").status_code == 422
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_proposer_may_withdraw_and_then_nothing_can_be_approved(rn, aalborg):
    draft = new_draft(rn)
    effective(rn, draft)
    edit(rn, draft, op="propose")
    assert edit(rn, draft, op="withdraw").status_code == 302
    assert edit(aalborg, draft, op="approve").status_code == 422
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


def test_the_list_shows_the_groups_versions_and_drafts(rn, aalborg):
    draft = new_draft(rn)
    effective(rn, draft)
    edit(rn, draft, op="propose")
    for client in (rn, aalborg):
        listing = client.get("/agreements/revisions/")
        assert listing.status_code == 200
        body = listing.content.decode()
        assert "2024-1" in body and "2027-1" in body
        assert f"/agreements/revisions/{draft.pk}/diff/" in body
        assert "/agreements/revisions/" in client.get("/rules/").content.decode()  # the menu


def test_the_rules_command_lists_an_approved_version(rn, aalborg):
    import io

    from django.core.management import call_command

    draft = new_draft(rn)
    effective(rn, draft)
    edit(rn, draft, op="propose")
    edit(aalborg, draft, op="approve")
    published.forget()  # a fresh process, as a command is
    out = io.StringIO()
    call_command("rules", "list", stdout=out)
    assert "nordjylland 2027-1 (2027-01-01 – …)" in out.getvalue()


@pytest.mark.parametrize(
    "steps",
    [
        # (who, op): every order a pair of members may try; the invariants below hold after each.
        [("rn", "propose"), ("rn", "approve"), ("aalborg", "approve"), ("rn", "withdraw")],
        [("rn", "propose"), ("aalborg", "refuse"), ("aalborg", "approve"), ("rn", "propose")],
        [("aalborg", "withdraw"), ("rn", "propose"), ("aalborg", "approve")],
        [("rn", "approve"), ("aalborg", "propose"), ("aalborg", "approve"), ("rn", "approve")],
    ],
)
def test_four_eyes_holds_whatever_the_order(rn, aalborg, steps):
    clients = {"rn": rn, "aalborg": aalborg}
    draft = new_draft(rn)
    effective(rn, draft)
    final = {Status.APPROVED, Status.WITHDRAWN, Status.REFUSED}
    for who, op in steps:
        before = AgreementVersion.objects.get(pk=draft.pk).status
        edit(clients[who], draft, op=op)
        after = AgreementVersion.objects.get(pk=draft.pk)
        if before in final:
            assert after.status == before
        if after.status == Status.APPROVED:
            assert after.approved_by_id != after.proposed_by_id
            assert after.approved_by_id is not None and after.proposed_by_id is not None


OPS = ("propose", "approve", "refuse", "withdraw")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(st.tuples(st.sampled_from(["rn", "aalborg"]), st.sampled_from(OPS)), max_size=5)
)
def test_four_eyes_holds_for_any_sequence(rn, aalborg, steps):
    clients = {"rn": rn, "aalborg": aalborg}
    final = {Status.APPROVED, Status.WITHDRAWN, Status.REFUSED}
    with transaction.atomic():
        draft = new_draft(rn)
        effective(rn, draft)
        for who, op in steps:
            before = AgreementVersion.objects.get(pk=draft.pk).status
            edit(clients[who], draft, op=op)
            after = AgreementVersion.objects.get(pk=draft.pk)
            if before in final:
                assert after.status == before
            if after.status == Status.APPROVED:
                assert after.proposed_by_id is not None
                assert after.approved_by_id not in (None, after.proposed_by_id)
            if after.status == Status.PROPOSED:
                assert after.proposed_by_id is not None
        transaction.set_rollback(True)
    published.forget()


def _catalogue_payers(answer: dict[str, Any]) -> set[str]:
    """Who pays in the catalogue's rows whose payer the revised rule decides."""
    return {
        row["duties"]["payment"]["party"]
        for row in answer["cases"]
        if (row["duties"].get("payment") or {}).get("rule") == RULE
    }


def test_the_catalogue_follows_the_approved_version_from_its_date(
    rn, aalborg, api_as, frogner_case_worker
):
    """The case catalogue is the same engine's answers: from the effective date its rows
    name the new payer and the new version, the day before the old ones."""
    draft = new_draft(rn)
    payer_to_municipality(rn, draft)
    effective(rn, draft)
    edit(rn, draft, op="propose")
    assert edit(aalborg, draft, op="approve").status_code == 302
    api = api_as(rn.person)
    day_before = EFFECTIVE - datetime.timedelta(days=1)
    before = api.get("/agreements/nordjylland/catalogue", date=day_before.isoformat()).json()
    after = api.get("/agreements/nordjylland/catalogue", date=EFFECTIVE.isoformat()).json()
    assert (before["version"], after["version"]) == ("2024-1", "2027-1")
    assert _catalogue_payers(before) == {"hospital"}
    assert _catalogue_payers(after) == {"municipality"}
    with on(EFFECTIVE):
        rn.force_login(rn.person)
        page = rn.get("/agreements/nordjylland/catalogue/").content.decode()
    assert "2027-1" in page


def test_the_editor_shows_the_drafts_effective_date_in_the_date_field(rn):
    """A date field holds only ISO dates: shown as 07.12.2026 it would stand empty, and
    saving the label alone would send no date."""
    draft = new_draft(rn)
    rn.cookies["django_language"] = "da"  # whose dates read 07.12.2026
    page = rn.get(f"/agreements/revisions/{draft.pk}/").content.decode()
    assert 'lang="da"' in page
    assert f'name="valid_from" value="{draft.valid_from.isoformat()}"' in page


def test_a_draft_from_an_older_version_cannot_undo_the_approved_one(rn, aalborg):
    """Two drafts made from 2024-1: once one is approved, the other would undo it from its
    own date without the diff showing it, so it can be neither proposed nor approved; a
    new draft builds on the approved version and starts after it."""
    first = new_draft(rn)
    second = AgreementVersion.objects.get(pk=new_draft_pk(aalborg))
    payer_to_municipality(rn, first)
    effective(rn, first)
    edit(rn, first, op="propose")
    assert edit(aalborg, first, op="approve").status_code == 302
    edit(aalborg, second, op="effective", valid_from="2027-06-01", version="2027-2")
    refused = edit(aalborg, second, op="propose")
    assert refused.status_code == 422
    assert "builds on version 2024-1, but version 2027-1 came after it" in refused.content.decode()
    second.refresh_from_db()
    assert second.status == Status.DRAFT
    with on(datetime.date(2027, 6, 1)):
        assert agreement_by_id("nordjylland", on=datetime.date(2027, 6, 1)).version == "2027-1"
    third = AgreementVersion.objects.get(pk=new_draft_pk(rn))
    assert third.based_on == "2027-1"
    assert third.valid_from > EFFECTIVE


def new_draft_pk(client: Client) -> int:
    response = client.post("/agreements/revisions/new/nordjylland/")
    assert response.status_code == 302
    return int(response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_the_worker_learns_of_an_approval_in_its_minute(rn, aalborg):
    """The worker answers no request: its minute's sweep looks for approved versions."""
    from overgang.stays.tasks import sweep_deadlines

    draft = new_draft(rn)
    payer_to_municipality(rn, draft)
    effective(rn, draft)
    edit(rn, draft, op="propose")
    edit(aalborg, draft, op="approve")
    published.forget()  # the worker's process never saw the approval
    assert agreement_by_id("nordjylland", on=EFFECTIVE).version == "2024-1"
    sweep_deadlines.call()
    assert agreement_by_id("nordjylland", on=EFFECTIVE).version == "2027-1"
