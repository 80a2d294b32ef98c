"""The language selector in the header."""

from __future__ import annotations

from playwright.sync_api import Page, expect

# The nav link to the patients list, in each language (see overgang/locale/*/LC_MESSAGES).
PATIENTS = {"nb": "Pasienter", "en": "Patients", "da": "Patienter"}


def choose_language(page: Page, code: str) -> None:
    with page.expect_navigation():
        page.locator("header select#language").select_option(code)


def test_choosing_a_language_in_the_header_changes_the_text_of_the_page(
    page, log_in, frogner_case_worker
):
    log_in("oslo-frogner")
    nav_link = page.locator("header nav a[href='/patients/']")
    start_url = page.url

    for code in ("nb", "en", "da"):
        choose_language(page, code)
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(nav_link).to_have_text(PATIENTS[code])
        expect(page.locator("header select#language")).to_have_value(code)
        assert page.url == start_url, "changing language leaves the user on the same page"

    # The choice sticks on the next page.
    nav_link.click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator("h1")).to_have_text(PATIENTS["da"])
