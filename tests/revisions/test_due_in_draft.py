"""N10: a member of the network group changes when a deadline falls due in a draft (the
first care plan within 24 hours of admission instead of 48). The draft's file changes and
keeps its comments, the diff says it in words, and once approved with an effective date a
stay admitted from that date gets the new deadline while one admitted before keeps the old.
What the agreement file could not hold is refused, naming the field, and changes nothing."""

from __future__ import annotations

import datetime
import math
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from overgang.audit.models import ChangeRecord
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.revisions import actions as revisions
from overgang.revisions import published
from overgang.revisions.diff import due_change_words
from overgang.revisions.models import AgreementVersion, Status
from overgang.rules.calendar import Calendar
from overgang.rules.engine import due_at
from overgang.rules.registry import load_text
from overgang.rules.spec import DUE_KINDS, DUE_NUMBERS, Due
from overgang.stays import actions as stays

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC)
EFFECTIVE = datetime.date(2027, 1, 1)
DEADLINE = "nordjylland.first-care-plan"  # after 48 hours, for stays over 24 hours
RULE = "nordjylland.treatment"  # a rule of who does what: it has no due
OLD_LINE = 'due = { kind = "after", hours = 48 }'
NEW_LINE = 'due = { kind = "after", hours = 24 }'


@pytest.fixture(autouse=True)
def today():
    with mock.patch("django.utils.timezone.now", return_value=TODAY):
        yield


def member(make_user, username: str, org: str, language: str = "en") -> Any:
    client: Any = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.person = make_user(username, (org, Role.NETWORK_GROUP))
    client.force_login(client.person)
    return client


@pytest.fixture
def rn(make_user) -> Any:
    return member(make_user, "rn-network", "rn")


@pytest.fixture
def aalborg(make_user) -> Any:
    return member(make_user, "aalborg-network", "aalborg", language="nb")


def new_draft(client: Client) -> AgreementVersion:
    response = client.post("/agreements/revisions/new/nordjylland/")
    assert response.status_code == 302
    return AgreementVersion.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/")[-1]))


def edit(client: Client, draft: AgreementVersion, **data: str):
    return client.post(f"/agreements/revisions/{draft.pk}/", data)


def due_24_hours(client: Client, draft: AgreementVersion):
    # The days field still holds a number: a kind that takes hours leaves it out.
    return edit(client, draft, op="due", rule=DEADLINE, kind="after", hours="24", days="3")


def the_deadline(text: str, rule: str = DEADLINE):
    return next(d for d in load_text(text, "test").deadline_rules if d.id == rule)


def test_the_page_offers_the_due_only_for_a_deadline(rn):
    draft = new_draft(rn)
    page = rn.get(f"/agreements/revisions/{draft.pk}/", {"rule": DEADLINE}).content.decode()
    assert 'id="due-form"' in page
    assert "48 hours after the event" in page
    assert f'<option value="{DEADLINE}" selected>' in page
    page = rn.get(f"/agreements/revisions/{draft.pk}/", {"rule": RULE}).content.decode()
    assert 'id="due-form"' not in page and 'id="duty-form"' in page


def test_a_deadlines_words_follow_its_new_due(rn):
    """The agreement's words name the time too ("senest 48 timer"): they change with it."""
    draft = new_draft(rn)
    due_24_hours(rn, draft)
    old = the_deadline(draft.text).text
    texts = {f"text_{k}": v.replace("48", "24") for k, v in old.items()}
    assert edit(rn, draft, op="texts", rule=DEADLINE, **texts).status_code == 302
    draft.refresh_from_db()
    assert the_deadline(draft.text).text["nb"].endswith("senest 24 timer etter innleggelsen.")
    assert 'text.nb = "Ved opphold over 24 timer' in draft.text  # written as the file writes it
    change = rn.get(f"/agreements/revisions/{draft.pk}/diff/").context["deadline_changes"][0]
    assert [language for language, _, _ in change["texts"]] == ["nb", "da", "en"]


def test_a_due_changed_on_the_page_changes_the_drafts_file_and_the_diff_says_it(rn, aalborg):
    draft = new_draft(rn)
    saved = due_24_hours(rn, draft)
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"?rule={DEADLINE}")
    draft.refresh_from_db()
    assert NEW_LINE in draft.text and OLD_LINE not in draft.text
    assert "# Samarbejdsaftale om behandlingsredskaber" in draft.text  # comments kept
    assert the_deadline(draft.text).due == Due("after", hours=24)
    record = (
        ChangeRecord.objects.filter(model__icontains="agreementversion", object_id=str(draft.pk))
        .order_by("pk")
        .last()
    )
    assert record is not None and record.actor == rn.person
    assert record.changes == {
        f"{DEADLINE} due": [{"kind": "after", "hours": 48}, {"kind": "after", "hours": 24}]
    }

    page = rn.get(f"/agreements/revisions/{draft.pk}/diff/")
    assert [(c["rule"], c["due"]) for c in page.context["deadline_changes"]] == [
        (DEADLINE, ("48 hours after the event", "24 hours after the event"))
    ]
    assert "No rule has changed" not in page.content.decode()
    # The other member reads it in Norwegian.
    norwegian = aalborg.get(f"/agreements/revisions/{draft.pk}/diff/").content.decode()
    assert "48 timer etter hendelsen → <strong>24 timer etter hendelsen</strong>" in norwegian


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "after", "hours": "-4"}, "hours"),
        ({"kind": "after", "hours": "0"}, "hours"),
        ({"kind": "after", "hours": "1" + "0" * 22}, "hours"),
        ({"kind": "after", "hours": "1e22"}, "hours"),
        ({"kind": "after", "hours": "inf"}, "hours"),
        ({"kind": "after", "hours": "48.0000001"}, "hours"),  # was said "48 hours"
        ({"kind": "after", "hours": "8759.125"}, "hours"),
        ({"kind": "after", "hours": "1e-07"}, "hours"),
        ({"kind": "after", "hours": "four"}, "hours"),
        ({"kind": "after", "hours": ""}, "hours"),
        ({"kind": "after"}, "hours"),
        ({"kind": "end-of-day", "days": ""}, "days"),
        ({"kind": "end-of-day", "days": "-1"}, "days"),
        ({"kind": "end-of-day", "days": "1" + "0" * 22}, "days"),
        ({"kind": "end-of-day", "days": "1.5"}, "days"),
        ({"kind": "someday", "hours": "4"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"kind": "at-once", "rule": RULE}, "rule"),  # a rule of who does what has no due
        ({"kind": "at-once", "rule": "nordjylland.nothing"}, "rule"),
    ],
)
def test_invalid_input_names_the_field_and_changes_nothing(rn, data, field):
    draft = new_draft(rn)
    before = (draft.text, draft.changed_at)
    records = ChangeRecord.objects.count()
    response = edit(rn, draft, op="due", **{"rule": DEADLINE, **data})
    assert response.status_code == 422
    form = response.context["due_form"]
    assert field in form.errors, form.errors
    draft.refresh_from_db()
    assert (draft.text, draft.changed_at) == before
    assert ChangeRecord.objects.count() == records


def test_the_words_of_a_refused_number_say_what_to_give(rn):
    draft = new_draft(rn)
    response = edit(rn, draft, op="due", rule=DEADLINE, kind="after", hours="-4")
    assert "Give the hours after the event: more than 0 and at most 8760." in (
        response.content.decode()
    )


def test_hours_not_to_the_whole_minute_are_refused_saying_so(rn):
    draft = new_draft(rn)
    response = edit(rn, draft, op="due", rule=DEADLINE, kind="after", hours="48.0000001")
    assert response.status_code == 422
    assert "Give the hours to the whole minute, as 4, 1.5 or 0.25 (15 minutes)." in (
        response.content.decode()
    )


def test_a_due_with_minutes_is_said_in_hours_and_minutes(rn):
    draft = new_draft(rn)
    saved = edit(rn, draft, op="due", rule=DEADLINE, kind="after", hours="1.5")
    assert saved.status_code == 302
    page = rn.get(f"/agreements/revisions/{draft.pk}/diff/")
    assert [c["due"] for c in page.context["deadline_changes"]] == [
        ("48 hours after the event", "1 hour 30 minutes after the event")
    ]


@pytest.mark.parametrize(
    ("named", "said"),
    [
        (RULE, "due can be changed here, and this rule is no deadline."),
        ("nordjylland.nothing", "due can be changed here, and this rule is no deadline."),
    ],
)
def test_a_due_for_what_is_no_deadline_of_the_file_says_why_on_the_page(rn, named, said):
    """The due form is drawn only for a deadline, and the rule it names is a hidden field:
    the refusal is said at the top of the page instead of nowhere."""
    draft = new_draft(rn)
    response = edit(rn, draft, op="due", rule=named, kind="after", hours="24")
    assert response.status_code == 422
    assert said in response.content.decode()
    draft.refresh_from_db()
    assert OLD_LINE in draft.text


def test_a_due_for_a_deadline_the_law_sets_says_why_on_the_page(make_user):
    oslo = member(make_user, "oslo-network", "oslo")
    created = oslo.post("/agreements/revisions/new/oslo/")
    assert created.status_code == 302
    draft = AgreementVersion.objects.get(agreement="oslo")
    before = draft.text
    response = edit(oslo, draft, op="due", rule="no.municipality-answer", kind="at-once")
    assert response.status_code == 422
    assert "due can be changed here, and this rule is no deadline." in response.content.decode()
    draft.refresh_from_db()
    assert draft.text == before


def test_a_text_for_a_rule_not_in_the_draft_says_why_on_the_page(rn):
    draft = new_draft(rn)
    response = edit(
        rn, draft, op="texts", rule="nordjylland.nothing", text_nb="x", text_da="x", text_en="x"
    )
    assert response.status_code == 422
    assert "This draft has no rule or deadline of that name" in response.content.decode()


def test_nobody_outside_the_group_changes_a_due(rn, make_user):
    draft = new_draft(rn)
    for username, org, role in (
        ("oslo-network", "oslo", Role.NETWORK_GROUP),
        ("aalborg-case", "aalborg-visitation", Role.CASE_WORKER),
    ):
        outsider: Any = Client()
        outsider.force_login(make_user(username, (org, role)))
        assert due_24_hours(outsider, draft).status_code == 404
    with pytest.raises(Http404):
        revisions.change_due(
            draft, rule_id=DEADLINE, kind="after", hours=24, actor=make_user("nobody")
        )
    draft.refresh_from_db()
    assert OLD_LINE in draft.text


def test_a_proposal_is_no_longer_edited(rn):
    draft = new_draft(rn)
    edit(rn, draft, op="effective", valid_from=EFFECTIVE.isoformat(), version="2027-1")
    assert edit(rn, draft, op="propose").status_code == 302
    assert due_24_hours(rn, draft).status_code == 422
    draft.refresh_from_db()
    assert OLD_LINE in draft.text and draft.status == Status.PROPOSED


def _first_care_plan_due(stay) -> datetime.datetime:
    return next(d.due for d in stay.deadlines.all() if d.rule == DEADLINE)


def test_stays_admitted_from_the_effective_date_get_the_new_due(
    rn, aalborg, aalborg_patient, make_user, system, areas
):
    draft = new_draft(rn)
    due_24_hours(rn, draft)
    edit(rn, draft, op="effective", valid_from=EFFECTIVE.isoformat(), version="2027-1")
    assert edit(rn, draft, op="propose").status_code == 302
    assert edit(aalborg, draft, op="approve").status_code == 302

    physician = make_user("aauh-clinician", ("aauh-lunge", Role.CLINICIAN))
    neighbour = patient_actions.create_patient(
        actor=system,
        national_id_number="0202801232",
        name="Karen Nielsen",
        municipality="Aalborg",
        address="Vestergade 3",
    )
    copenhagen = datetime.timezone(datetime.timedelta(hours=1))
    admitted = {
        "before": datetime.datetime(2026, 12, 31, 10, 0, tzinfo=copenhagen),
        "from": datetime.datetime(2027, 1, 2, 10, 0, tzinfo=copenhagen),
    }
    later = datetime.datetime(2027, 1, 2, 12, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=later):
        before, after = (
            stays.admit(
                patient,
                actor=physician,
                unit=areas["aauh-lunge"],
                admission="emergency",
                admitted_at=admitted[which],
                expected_stay_hours=72,
            )
            for patient, which in ((aalborg_patient, "before"), (neighbour, "from"))
        )
    hour = datetime.timedelta(hours=1)
    assert _first_care_plan_due(before) == admitted["before"] + 48 * hour
    assert _first_care_plan_due(after) == admitted["from"] + 24 * hour


def test_two_members_making_a_draft_in_the_same_moment_both_get_one(rn, aalborg):
    """The second draft read the labels before the first was saved: it takes the next."""
    first = new_draft(rn)
    assert first.version == "2026-1"
    stale = iter(["2026-1"])
    real = revisions._next_label

    def next_label(*args: Any, **kwargs: Any) -> str:
        return next(stale, None) or real(*args, **kwargs)

    with mock.patch.object(revisions, "_next_label", side_effect=next_label) as asked:
        second = new_draft(aalborg)
    assert asked.call_count == 2
    assert second.version == "2026-2" and second.pk != first.pk
    assert AgreementVersion.objects.filter(status=Status.DRAFT).count() == 2
    assert ChangeRecord.objects.filter(
        model__icontains="agreementversion", object_id=str(second.pk)
    ).exists()


def test_a_label_taken_every_time_is_refused_without_a_server_error(rn, aalborg):
    new_draft(rn)
    with (
        mock.patch.object(revisions, "_next_label", return_value="2026-1"),
        pytest.raises(revisions.RevisionRefused) as caught,
    ):
        revisions.create_draft("nordjylland", actor=aalborg.person)
    assert caught.value.field == "version"
    assert AgreementVersion.objects.count() == 1
    with mock.patch.object(revisions, "_next_label", return_value="2026-1"):
        page = aalborg.post("/agreements/revisions/new/nordjylland/", follow=True)
    assert page.status_code == 200
    assert AgreementVersion.objects.count() == 1


def test_a_fault_other_than_a_taken_label_is_not_retried(rn):
    """Only a label another member took in the same moment makes a draft try the next one;
    any other broken constraint is raised, not hidden behind the next label."""
    fault = IntegrityError("NOT NULL constraint failed: revisions_agreementversion.text")
    with (
        mock.patch.object(AgreementVersion.objects, "create", side_effect=fault) as create,
        pytest.raises(IntegrityError),
    ):
        revisions.create_draft("nordjylland", actor=rn.person)
    assert create.call_count == 1
    assert AgreementVersion.objects.count() == 0


numbers = st.one_of(
    st.integers(min_value=0, max_value=9000),
    st.floats(min_value=0, max_value=9000),
    st.integers(min_value=1, max_value=60 * 8760).map(lambda minutes: minutes / 60),
    st.integers(min_value=1, max_value=60 * 8760).map(lambda minutes: minutes / 60 + 1e-7),
    st.integers(min_value=-(10**23), max_value=10**23),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 24, 48, 8760, 8761, 365, 366, 0.5, -0.0, 1e22]),
)


@st.composite
def dues(draw: Any) -> tuple[str, Any, Any]:
    """A kind (mostly a known one) with, mostly, only the number it takes."""
    kind = draw(st.sampled_from(DUE_KINDS) if draw(st.integers(0, 3)) else st.text(max_size=12))
    taken = DUE_NUMBERS.get(kind)
    hours, days = (
        draw(numbers if taken == name or not draw(st.integers(0, 5)) else st.none())
        for name in ("hours", "days")
    )
    return kind, hours, days


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(due=dues())
@example(due=("end-of-day", None, 0))
@example(due=("end-of-day", None, 365))
@example(due=("after", 1.5, None))
@example(due=("after", 8760.0, None))
@example(due=("after", 48.0000001, None))
@example(due=("after", 8759.125, None))
@example(due=("after", 48, None))
def test_any_due_the_writer_accepts_loads_back_and_the_checker_finds_sound(rn, due):
    """Either the writer refuses, naming kind, hours or days, and the draft is as it was; or
    the exported file loads with that due, the checker finds nothing, the engine gives the
    deadline a time no earlier than the event, and the diff's words for a changed due differ
    in every language."""
    kind, hours, days = due
    with transaction.atomic():
        draft = new_draft(rn)
        before = draft.text
        try:
            revisions.change_due(
                draft, rule_id=DEADLINE, kind=kind, hours=hours, days=days, actor=rn.person
            )
        except revisions.RevisionRefused as refused:
            assert refused.field in ("kind", "hours", "days")
            event(f"refused: {refused.field}")
            draft.refresh_from_db()
            assert draft.text == before
        else:
            event(f"accepted: {kind}")
            exported = rn.get(f"/agreements/revisions/{draft.pk}/export/").content.decode()
            deadline = the_deadline(exported)
            assert deadline.due == Due(kind, float(hours or 0), days or 0)
            assert kind != "after" or math.isfinite(deadline.due.hours)
            was = Due("after", 48)
            for language in ("nb", "da", "en"):
                old, new = due_change_words(was, deadline.due, language)
                assert (old != new) == (was != deadline.due), (old, new)
            draft.refresh_from_db()
            assert revisions.problems(draft) == []
            calendar = Calendar.for_country("DK", "Europe/Copenhagen")
            happened = datetime.datetime(2027, 3, 28, 1, 30, tzinfo=datetime.UTC)  # clocks change
            falls_due = due_at(deadline, happened, calendar)
            assert (falls_due is None) == (kind == "none")
            if kind in ("at-once", "after", "end-of-day"):
                assert falls_due is not None and falls_due >= happened
        transaction.set_rollback(True)
    published.forget()
