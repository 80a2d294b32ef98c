"""Steps the stay walks share: who is logged in, the language they read, a form sent."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page


def switch_to(page: Page, log_in: Callable[[str], Page], username: str) -> None:
    page.context.clear_cookies()
    log_in(username)


def submit(page: Page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").first.click()


def text(page: Page, selector: str) -> str:
    return page.locator(selector).inner_text()


def admit(page: Page, patient_pk: int, *, link: str, language: str) -> None:
    """The physician admits the patient from the patient's page: an emergency expected to
    last three days. The page reads in `language`; the stay's page follows."""
    page.goto(f"/patients/{patient_pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()
    assert page.locator("html").get_attribute("lang") == language
    page.locator("#id_admission input[value=emergency]").check()
    page.locator("#id_expected_stay_hours").fill("72")
    submit(page, "main form")


def lend(page: Page, serial: str, patient_name: str) -> None:
    """The technician lends the device to the patient found by name, with its manual."""
    page.goto(f"/devices/{serial}/")
    page.locator("#id_find").fill(patient_name)
    choice = page.locator("#patient-choices input[name=patient]").first
    choice.wait_for()
    choice.check()
    page.locator("form[action*='/lend/'] input[name=manual_handed_over]").check()
    with page.expect_navigation():
        page.locator("form[action*='/lend/'] button[type=submit]").click()
