"""Issue 19 in the browser: the worklist's own refresh (every 30 s) never takes away what the
user is working in, and a refused action says why where the button was, with the focus.

The refresh is the page's own: the browser's clock is moved on past the 30 seconds, and
htmx polls as it does every half minute."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.stays import actions
from overgang.stays.models import Deadline, Stay

# area: (physician's username, their department, the patient's municipality, a fictitious
# patient's number with valid check digits)
AREAS = {
    "oslo": ("ous-clinician", "ous-lunge", ("Oslo", "Frogner"), "15108695088"),
    "tromso": ("unn-clinician", "unn-lunge", ("Tromsø", ""), "03035512410"),
    "levanger": ("hnt-clinician", "hnt-levanger-med", ("Levanger", ""), "12035610039"),
    "aalborg": ("aauh-clinician", "aauh-lunge", ("Aalborg", ""), "0101701239"),
}


def _stay_with_duties(area: str, system, areas, make_user) -> tuple[Stay, User]:
    """The department's physician and a patient admitted two hours ago who needs two CPAPs
    (night, travel): the agreement gives the department duties on its worklist."""
    username, unit, (municipality, district), number = AREAS[area]
    physician = make_user(username, (unit, Role.CLINICIAN))
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number=number,
        name=f"Test Pasient {area}",
        municipality=municipality,
        district=district,
        address="Gata 1",
    )
    stay = actions.admit(
        patient,
        actor=physician,
        unit=areas[unit],
        admission="emergency",
        admitted_at=timezone.now() - datetime.timedelta(hours=2),
    )
    for when in ("Night", "Travel"):
        actions.record_need(stay, actor=physician, kind="aid", aid_type="cpap", description=when)
    return stay, physician


def _refresh(page: Page) -> None:
    """Half a minute passes: the worklist asks for its rows, as it does by itself."""
    with page.expect_response(
        lambda r: "/worklist/" in r.url and r.request.headers.get("x-overgang-poll") == "1"
    ):
        page.clock.run_for(31_000)


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger", "aalborg"])
def test_the_worklist_refresh_keeps_the_note_being_typed_and_updates_the_rest(
    page, log_in, area, system, areas, make_user
):
    stay, physician = _stay_with_duties(area, system, areas, make_user)
    page.set_viewport_size({"width": 1280, "height": 500})
    page.clock.install()
    log_in(physician.username)
    page.goto("/worklist/")
    rows = page.locator("#worklist-rows tbody tr")
    before = rows.count()
    assert before >= 2, "two rows at least: one in use, one not"
    mine = Deadline.objects.filter(holder__key=AREAS[area][1], done_at__isnull=True)
    first = mine.order_by("pk").first()
    assert first is not None

    # The case worker opens "Done another way" on a row and starts the note.
    row = page.locator(f"#deadline-{first.pk}")
    row.scroll_into_view_if_needed()
    page.locator(f"#done-{first.pk} summary").click()
    note = page.locator(f"#note-{first.pk}")
    note.click()
    page.keyboard.type("Ringte avdelingen kl. 10")
    # Marks on the row in use and on another, to tell a row kept from a row replaced.
    other = rows.filter(has_not=page.locator(f"#note-{first.pk}")).first
    other_id = other.get_attribute("id")
    page.evaluate(
        """([inUse, other]) => {
            document.getElementById(inUse).dataset.mark = "kept";
            document.getElementById(other).dataset.mark = "old";
        }""",
        [f"deadline-{first.pk}", other_id],
    )
    top = row.bounding_box()["y"]
    scrolled = page.evaluate("window.scrollY")

    # Meanwhile a new duty comes: another need recorded at the hospital.
    actions.record_need(stay, actor=physician, kind="aid", aid_type="cpap", description="Day")
    after = Deadline.objects.filter(holder__key=AREAS[area][1], done_at__isnull=True).count()
    assert after > before

    _refresh(page)
    expect(rows).to_have_count(after)

    # The row in use is the same, untouched: open, the note as typed, the focus in it …
    assert row.get_attribute("data-mark") == "kept"
    assert page.locator(f"#done-{first.pk}").evaluate("d => d.open")
    expect(note).to_have_value("Ringte avdelingen kl. 10")
    assert page.evaluate("document.activeElement.id") == f"note-{first.pk}"
    # … where it was on the screen, and typing goes on where it stopped.
    assert abs(row.bounding_box()["y"] - top) < 2
    assert page.evaluate("window.scrollY") >= scrolled
    page.keyboard.type(" og avtalte levering.")
    expect(note).to_have_value("Ringte avdelingen kl. 10 og avtalte levering.")
    # The row not in use came new from the server.
    assert page.locator(f"#{other_id}").get_attribute("data-mark") is None

    # Once the form is closed and the focus elsewhere, the row is refreshed like the rest.
    page.locator(f"#done-{first.pk} summary").click()
    page.locator("h1").click()
    page.locator(f"#note-{first.pk}").evaluate("n => { n.value = ''; }")
    _refresh(page)
    expect(page.locator(f"#deadline-{first.pk}")).to_be_attached()
    assert page.locator(f"#deadline-{first.pk}").get_attribute("data-mark") is None


@pytest.mark.locale("nb-NO")
def test_a_refused_done_on_the_worklist_comes_back_in_its_row_with_the_focus(
    page, log_in, system, areas, make_user
):
    stay, physician = _stay_with_duties("levanger", system, areas, make_user)
    first = Deadline.objects.filter(stay=stay, done_at__isnull=True).order_by("pk").first()
    assert first is not None
    log_in(physician.username)
    page.goto("/worklist/")
    page.locator(f"#done-{first.pk} summary").click()
    # Blanks only: the browser lets it go, the server refuses it.
    page.locator(f"#note-{first.pk}").fill("   ")
    with page.expect_navigation():
        page.locator(f"#done-{first.pk} button[type=submit]").click()
    message = page.locator(f"#refused-{first.pk}")
    expect(message).to_be_visible()
    expect(message).to_be_focused()
    expect(message).to_be_in_viewport()
    assert page.locator(f"#done-{first.pk}").evaluate("d => d.open")
    first.refresh_from_db()
    assert first.done_at is None


# area: the refused step, what to fill in, the start of the message in the page's language
REFUSALS = {
    "levanger": ("discharge_ready", "Ikke utskrivningsklar ennå", "nb"),
    "aalborg": ("departure_ready", "Ikke klar til at tage hjem endnu", "da"),
}


@pytest.mark.parametrize("area", ["levanger", "aalborg"])
def test_a_refused_step_on_the_stay_page_is_read_where_the_button_was(
    browser, live_server, area, system, areas, make_user
):
    step, said, language = REFUSALS[area]
    stay, physician = _stay_with_duties(area, system, areas, make_user)
    if step == "departure_ready":
        actions.declare_discharge_ready(stay, actor=physician, at=stay.admitted_at)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale={"nb": "nb-NO", "da": "da-DK"}[language],
    )
    page = context.new_page()
    try:
        page.goto("/login/")
        page.locator("#id_username").fill(physician.username)
        page.locator("#id_password").fill("demo")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.goto(f"/stays/{stay.pk}/")
        with page.expect_navigation():
            page.locator(f"#{step} form button[type=submit]").click()
        assert page.url.endswith(f"/stays/{stay.pk}/{step}/#{step}")
        message = page.locator(f"#{step} [data-refusal]")
        expect(message).to_be_visible()
        expect(message).to_contain_text(said)
        # In sight, in the form that was sent, and the focus on it.
        expect(message).to_be_in_viewport()
        expect(message).to_be_focused()
        assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
        # The same message is not said a second time at the top of the page.
        expect(page.locator("#refusal")).to_be_hidden()
    finally:
        context.close()


def test_the_start_page_s_figures_refresh_around_the_one_in_focus(
    page, log_in, system, areas, make_user
):
    """The start page's deadline figures refresh every minute the same way: the figure the
    keyboard is on stays, with the focus; the others are new."""
    _stay, physician = _stay_with_duties("levanger", system, areas, make_user)
    page.clock.install()
    log_in(physician.username)
    cards = page.locator("#deadline-figures a")
    expect(cards).to_have_count(2)
    cards.nth(0).focus()
    page.evaluate(
        """() => document.querySelectorAll("#deadline-figures a")
            .forEach((card, i) => { card.dataset.mark = String(i); })"""
    )
    with page.expect_response(lambda r: r.request.headers.get("x-overgang-poll") == "1"):
        page.clock.run_for(61_000)
    expect(cards.nth(1)).not_to_have_attribute("data-mark", "1")
    assert cards.nth(0).get_attribute("data-mark") == "0"
    assert page.evaluate("document.activeElement.dataset.mark") == "0"


@pytest.mark.locale("nb-NO")
def test_a_need_sent_without_its_description_is_read_at_the_field(
    page, log_in, system, areas, make_user
):
    """Nothing refused but a field: the page opens at the form, the focus on the field's
    error, which names it."""
    stay, physician = _stay_with_duties("levanger", system, areas, make_user)
    log_in(physician.username)
    page.goto(f"/stays/{stay.pk}/")
    page.locator("#need summary").click()
    page.locator("#id_need_kind input[value=function]").check()
    with page.expect_navigation():
        page.locator("#need form button[type=submit]").click()
    error = page.locator("#id_need_description_error")
    expect(error).to_be_focused()
    expect(error).to_be_in_viewport()
    expect(page.locator("#need")).to_have_attribute("open", "")
