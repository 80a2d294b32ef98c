"""Issue 19: a refused action says why where the user pressed the button (in the form that
was sent, which the page opens at by its #place), not a screen above it; the worklist folds
each duty's agreement paragraph under its citation, in the region's own words.

What the browser does with it (the focus, the page's own refresh) is in
tests/browser/test_worklist_keeps_input.py."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from overgang.stays import actions
from overgang.stays.actions import leave as writers
from overgang.stays.models import Deadline, Need
from overgang.stays.models.deadlines import cited_in
from overgang.web.stays import views as stays_views
from tests.stays.conftest import at
from tests.stays.test_stay_pages import WHEN, snapshot

pytestmark = pytest.mark.django_db


def browser(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def block(html: str, opening: str, closing: str) -> str:
    """The page's HTML from `opening` to the first `closing` after it."""
    start = html.index(opening)
    return html[start : html.index(closing, start)]


def refusal_here(html: str) -> str:
    """The text of the refusal that stands in a form (there is one), tags removed."""
    found = re.search(
        r'<(p|div) class="error refused-here"[^>]*data-refusal[^>]*>(.*?)</\1>', html, re.S
    )
    assert found, "no refusal in a form"
    return re.sub(r"<[^>]+>", "", found.group(2)).strip()


# --- The stay's page ---------------------------------------------------------------------


# Each region's refusal on its way out: Norway's § 9 items before discharge-ready; in
# Aalborg, leaving before the final care plan is sent (003 3).
REFUSED = {
    "oslo": ("discharge_ready", {"at": WHEN, "override": ""}, "Not discharge-ready yet:"),
    "tromso": ("discharge_ready", {"at": WHEN, "override": ""}, "Not discharge-ready yet:"),
    "levanger": ("discharge_ready", {"at": WHEN, "override": ""}, "Not discharge-ready yet:"),
    "aalborg": ("departure_ready", {"at": "2026-03-30T11:00"}, "Not ready to leave yet:"),
}


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger", "aalborg"])
def test_a_refused_step_stands_in_its_form_where_the_page_opens(area, stays_of):
    stay, physician = stays_of[area]
    step, data, reason = REFUSED[area]
    if step == "departure_ready":
        actions.declare_discharge_ready(stay, actor=physician, at=stay.admitted_at)
    before = snapshot(stay)
    response = browser(physician).post(f"/stays/{stay.pk}/{step}/", data)
    assert response.status_code == 409
    html = response.content.decode()
    form = block(html, f'<div id="{step}">', "</form>")
    # The form posts to its own place, so the page opens at it …
    assert f'action="/stays/{stay.pk}/{step}/#{step}"' in form
    # … and the message is the first thing in it, ready to take the focus.
    assert 'role="alert" tabindex="-1" data-refusal' in form
    said = refusal_here(form)
    assert said.startswith(reason)
    assert form.index("data-refusal") < form.index(f'id="id_{step}_at"')
    # The copy at the top (for a form no longer on the page) says the same.
    assert said in re.sub(r"<[^>]+>", "", block(html, 'id="refusal">', "</p>"))
    assert snapshot(stay) == before


def test_a_refused_step_whose_form_is_gone_says_it_at_the_top_only(levanger_stay, hnt_physician):
    """Ready to leave on a stay not yet discharge-ready: that form is not on the page, so
    nothing stands in a form and the top of the page says it."""
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/departure_ready/", {"at": WHEN}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="refusal"' in html
    assert "data-refusal" not in html
    assert 'id="departure_ready"' not in html


def test_a_refused_cancel_of_a_need_stands_under_the_need_with_what_was_typed(
    levanger_stay, hnt_physician
):
    need = actions.record_need(
        levanger_stay, actor=hnt_physician, kind="aid", aid_type="cpap", description="Sleep apnoea"
    )
    client = browser(hnt_physician)
    too_long = "x" * 501
    response = client.post(
        f"/stays/{levanger_stay.pk}/needs/{need.pk}/cancel/", {"reason": too_long}
    )
    assert response.status_code == 422
    html = response.content.decode()
    item = block(html, f'<li id="need-{need.pk}">', '<details id="need"')
    assert "500" in refusal_here(item)
    assert f'action="/stays/{levanger_stay.pk}/needs/{need.pk}/cancel/#need-{need.pk}"' in item
    assert "<details open>" in item, "the form the reason was typed in stays open"
    assert f'value="{too_long}"' in item
    assert Need.objects.get(pk=need.pk).status == "open"


def test_a_refused_link_of_a_loan_stands_under_the_need(levanger_stay, hnt_physician):
    need = actions.record_need(
        levanger_stay, actor=hnt_physician, kind="aid", aid_type="cpap", description="Sleep apnoea"
    )
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/needs/{need.pk}/link/", {"loan": "999999"}
    )
    assert response.status_code == 422
    item = block(response.content.decode(), f'<li id="need-{need.pk}">', '<details id="need"')
    assert refusal_here(item) == "Choose the loan."


def test_a_field_error_stays_next_to_its_field_not_as_a_refusal(levanger_stay, hnt_physician):
    response = browser(hnt_physician).post(
        f"/stays/{levanger_stay.pk}/need/", {"kind": "function", "description": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_need_description_error"' in html
    assert "data-refusal" not in html, "nothing but the field was wrong"


# --- The worklist ------------------------------------------------------------------------


@pytest.fixture
def levanger_duty(levanger_stay, hnt_physician):
    """Admitted in Levanger: the department holds HNT's duties on its worklist."""
    return Deadline.objects.filter(stay=levanger_stay, done_at__isnull=True).order_by("pk")[0]


def test_a_refused_done_comes_back_in_its_row_open_with_the_note(levanger_duty, hnt_physician):
    note = "Phoned the ward " * 40  # over the 500 characters a note may have
    response = browser(hnt_physician).post(f"/deadlines/{levanger_duty.pk}/done/", {"note": note})
    assert response.status_code == 422
    html = response.content.decode()
    row = block(html, f'<tr id="deadline-{levanger_duty.pk}"', "</tr>")
    assert f'<details id="done-{levanger_duty.pk}" open>' in row
    assert f'action="/deadlines/{levanger_duty.pk}/done/#deadline-{levanger_duty.pk}"' in row
    assert "at most 500 characters" in refusal_here(row)
    assert f'value="{note}"' in row
    assert 'class="error refusal"' not in html, "said in the row, not again at the top"
    # Every other row is as always: closed, empty.
    assert html.count("data-refusal") == 1
    assert html.count('<details id="done-') == html.count("</tr>") - 1  # one a row, no header
    levanger_duty.refresh_from_db()
    assert levanger_duty.done_at is None


def test_a_done_refused_for_a_row_not_on_the_page_says_it_at_the_top(
    levanger_duty, hnt_physician, monkeypatch
):
    """The row is on a later page of the worklist: the message at the top of the first."""
    monkeypatch.setattr(stays_views, "DEADLINES_PER_PAGE", 1)
    client = browser(hnt_physician)
    ((first, _state),) = client.get("/worklist/").context["rows"]
    held = Deadline.objects.filter(holder=levanger_duty.holder, done_at__isnull=True)
    later = held.exclude(pk=first.pk).first()
    assert later is not None
    response = client.post(f"/deadlines/{later.pk}/done/", {"note": " "})
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="deadline-{later.pk}"' not in html
    assert '<p class="error refusal" role="alert">Say how the duty was done.</p>' in html
    assert "data-refusal" not in html


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger", "aalborg"])
@pytest.mark.parametrize("language", ["en", "nb", "da"])
def test_the_worklist_folds_each_duty_s_own_agreement_text_under_why(area, language, stays_of):
    stay, physician = stays_of[area]
    actions.record_need(stay, actor=physician, kind="aid", aid_type="cpap", description="x")
    html = browser(physician, language).get("/worklist/").content.decode()
    duties = Deadline.objects.filter(holder__in=physician.memberships.values("organisation"))
    duties = duties.filter(done_at__isnull=True)
    assert duties.exists()
    for duty in duties:
        row = block(html, f'<tr id="deadline-{duty.pk}"', "</tr>")
        said = duty.text.get(language) or duty.text.get("en", "")
        assert said, "the routine says something of every duty here"
        folded = block(row, f'<details class="said" id="said-{duty.pk}">', "</details>")
        # The citation in sight (the summary), the paragraph inside, closed.
        summary = block(folded, "<summary>", "</summary>")
        with translation.override(language):
            cited = escape(cited_in(duty.cites, stay.country))
        assert cited and cited in summary
        assert said.replace("'", "&#x27;").replace('"', "&quot;")[:60] in folded
        assert said.replace("'", "&#x27;").replace('"', "&quot;")[:60] not in summary
        assert row.count(said.replace("'", "&#x27;").replace('"', "&quot;")[:60]) == 1
    # Only this region's paragraphs: no other stay's duty is on this worklist.
    others = Deadline.objects.exclude(stay=stay)
    for other in others:
        text = other.text.get(language) or other.text.get("en", "")
        if text and not duties.filter(text=other.text).exists():
            assert text.replace("'", "&#x27;")[:60] not in html, other.duty


@pytest.mark.parametrize(
    ("language", "said"),
    [("nb", "Ikke utskrivningsklar ennå:"), ("da", "Ikke færdigbehandlet endnu:")],
)
def test_the_refusal_in_the_form_is_in_the_reader_s_language(
    language, said, levanger_stay, hnt_physician
):
    response = browser(hnt_physician, language).post(
        f"/stays/{levanger_stay.pk}/discharge_ready/", {"at": WHEN, "override": ""}
    )
    assert response.status_code == 409
    form = block(response.content.decode(), '<div id="discharge_ready">', "</form>")
    assert refusal_here(form).startswith(said)


def test_a_refused_start_of_a_leave_stands_in_that_leave_s_form(aalborg_stay, aalborg_physician):
    """Two leaves planned, the first started: starting the second is refused in its own form
    (the page opens at that leave, #leave-<pk>), not at the top of the page."""
    first, second = (
        writers.plan_leave(
            aalborg_stay,
            actor=aalborg_physician,
            kind="leave",
            planned_start=at(start),
            planned_end=at(end),
        )
        for start, end in (
            ("2026-03-28 10:00", "2026-03-28 18:00"),
            ("2026-03-29 10:00", "2026-03-29 18:00"),
        )
    )
    writers.start_leave(first, actor=aalborg_physician, at=at("2026-03-28 10:00"))
    response = browser(aalborg_physician).post(
        f"/stays/{aalborg_stay.pk}/leaves/{second.pk}/start/", {"at": "2026-03-29T10:00"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    period = block(html, f'<li id="leave-{second.pk}">', "</form>")
    assert f"/leaves/{second.pk}/start/#leave-{second.pk}" in period
    assert refusal_here(period) == "The patient is on another leave already."
    assert html.count("data-refusal") == 1
