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
