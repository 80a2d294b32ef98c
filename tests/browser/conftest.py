"""Browser tests: Debian's Chromium, driven by Playwright (sync API), on the live server.

Every test here is marked `browser`. Without /usr/bin/chromium they are skipped, except on
CI (CI=true), where a missing browser is a failure: CI must install it.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from django.utils import translation

# Playwright's sync API runs an event loop in this thread; the ORM calls of fixtures and
# tests would otherwise raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SKIP_REASON = (
    "Chromium not found at /usr/bin/chromium: browser tests skipped (apt-get install chromium)"
)
CI_FAILURE = (
    "Chromium not found at /usr/bin/chromium, and CI=true: "
    "CI must install chromium (apt-get install -y chromium) before running the browser tests."
)
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
PASSWORD = "demo"


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "locale(code): the browser's locale, e.g. nb-NO")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = not CHROMIUM.exists()
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if missing and not _on_ci():
            # Skip before any fixture (database, live server) is set up.
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item, so `page` can tell whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        if _on_ci():
            pytest.fail(CI_FAILURE, pytrace=False)
        pytest.skip(SKIP_REASON)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context (no cookies) for each test, in the browser's default locale or the
    one a test asks for with `@pytest.mark.locale("nb-NO")`: the language it asks pages in
    (Accept-Language) and the one it shows dates and times in, as a Norwegian's browser."""
    marker = request.node.get_closest_marker("locale")
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        **({"locale": marker.args[0]} if marker else {}),
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # the screenshot is a courtesy, never a second failure
            print(f"No screenshot for {request.node.nodeid}: {error}")
    context.close()


@pytest.fixture
def log_in(page: Page) -> Callable[..., Page]:
    """Log in through the login page, as a user would, and land on the start page."""

    def log_in(username: str, password: str = PASSWORD) -> Page:
        page.goto("/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert not page.url.endswith("/login/"), f"{username} could not log in"
        return page

    return log_in


@pytest.fixture
def translated(page: Page) -> Callable[[str], str]:
    """A message of the app in the language the page is shown in (its html[lang]).

    For texts whose wording is not the point of a test, so it holds in every language.
    """

    def translated(message: str) -> str:
        language = page.locator("html").get_attribute("lang") or "en"
        with translation.override(language):
            return translation.gettext(message)

    return translated


@pytest.fixture
def shot(page: Page) -> Callable[[str, str], None]:
    """A full-page screenshot of a step of a walk, when OVERGANG_SHOTS names a directory:
    `<area>-<nn>-<step>-<lang>.png`, numbered in the order taken. Nothing otherwise."""
    directory = os.environ.get("OVERGANG_SHOTS", "")
    numbers = itertools.count(1)

    def shot(area: str, step: str) -> None:
        if not directory:
            return
        language = page.locator("html").get_attribute("lang") or "en"
        path = Path(directory) / f"{area}-{next(numbers):02d}-{step}-{language}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)

    return shot
