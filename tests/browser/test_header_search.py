"""The search box in the header: typing a patient's name as the lists show it, or without
the Nordic letters, suggests the patient under the box; the suggestion opens the patient.
In each of the four areas, and never a patient of another area."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from overgang.demo.people import danish_id, norwegian_id
from overgang.organisations.models import Role
from overgang.patients import actions
from overgang.patients.models import Patient

# (user, their membership, the patient's name, municipality, district, what is typed)
AREAS = {
    "oslo": ("oslo-frogner", "oslo-frogner-bestiller", "Sindre Andreassen", "Oslo", "Frogner"),
    "tromso": ("tromso-case", "tromso-tildeling", "Øystein Jørgensen", "Tromsø", ""),
    "levanger": ("levanger-case", "levanger-tildeling", "Åse Rønning", "Levanger", ""),
    "aalborg": ("aalborg-case", "aalborg-visitation", "Mette Kjær", "Aalborg", ""),
}
TYPED = {
    "oslo": "Andreassen, Sindre",
    "tromso": "jorgensen oy",
    "levanger": "Aase",
    "aalborg": "Kjaer, Mette",
}


@pytest.fixture
def residents(system, areas) -> dict[str, Patient]:
    rng = random.Random(1919)
    found = {}
    for area, (_, _, name, municipality, district) in AREAS.items():
        number = danish_id(rng) if municipality == "Aalborg" else norwegian_id(rng)
        created = actions.create_patient(
            actor=system,
            national_id_number=number,
            name=name,
            municipality=municipality,
            district=district,
            address="Gata 1",
        )
        found[area] = Patient.objects.get(pk=created.pk)
    return found


def type_in_header(page: Page, text: str) -> None:
    box = page.locator("header").get_by_role("searchbox")
    box.click()
    box.press_sequentially(text, delay=15)


@pytest.mark.parametrize("area", AREAS)
def test_the_header_search_suggests_the_patient_and_opens_the_record(
    page, log_in, make_user, residents, area
):
    username, membership, name, _, _ = AREAS[area]
    make_user(username, (membership, Role.CASE_WORKER))
    log_in(username)
    patient = residents[area]

    type_in_header(page, TYPED[area])
    suggestions = page.locator("#header-suggestions")
    link = suggestions.get_by_role("link", name=patient.sort_name, exact=True)
    expect(link).to_be_visible()
    # Patients of the other areas are not suggested, whatever they are called.
    for other, resident in residents.items():
        if other != area:
            expect(suggestions).not_to_contain_text(resident.name.split()[-1])

    link.click()
    expect(page).to_have_url(re.compile(rf"/patients/{patient.pk}/$"))
    expect(page.locator("h1")).to_have_text(name)


def test_enter_opens_the_results_page_and_the_keyboard_reaches_the_suggestions(
    page, log_in, frogner_case_worker, residents
):
    log_in("oslo-frogner")
    type_in_header(page, "sindre")
    box = page.locator("#header-q")
    first = page.locator("#header-suggestions a").first
    expect(first).to_have_text("Andreassen, Sindre")
    box.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#header-suggestions a")).to_have_count(0)
    expect(box).to_be_focused()

    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=sindre$"))
    expect(page.locator("main")).to_contain_text("Andreassen, Sindre")

    # An impossible date is said on the field of the results page.
    page.locator("#id_q").fill("31.02.1955")
    with page.expect_navigation():
        page.locator("#id_q").press("Enter")
    expect(page.locator("#id_q_error")).to_be_visible()
    expect(page.locator("#id_q")).to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize(
    ("area", "locale"),
    [("tromso", "nb-NO"), ("aalborg", "da-DK")],
)
def test_screenshots_of_the_header_search(browser, live_server, make_user, residents, area, locale):
    """Only with OVERGANG_SHOTS: the suggestions and the results page at a laptop's and a
    phone's width, in Norwegian and Danish, for a person to look at."""
    directory = os.environ.get("OVERGANG_SHOTS", "")
    if not directory:
        pytest.skip("OVERGANG_SHOTS names no directory")
    username, membership, *_ = AREAS[area]
    make_user(username, (membership, Role.CASE_WORKER))
    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, locale=locale
        )
        page = context.new_page()
        page.goto("/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill("demo")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        type_in_header(page, TYPED[area][:4])
        expect(page.locator("#header-suggestions a").first).to_be_visible()
        Path(directory).mkdir(parents=True, exist_ok=True)
        named = f"{directory}/header-search-{area}-{width}"
        page.screenshot(path=f"{named}-suggestions.png")
        page.goto(f"/search/?q={TYPED[area]}")
        page.screenshot(path=f"{named}-results.png", full_page=True)
        context.close()
