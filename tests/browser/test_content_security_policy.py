"""Under the Content-Security-Policy (no inline script, no eval, no inline style) the htmx
pages do all they did, and the browser reports nothing it refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, Response

from overgang.aids import actions as aid_actions
from overgang.organisations.models import Role
from overgang.patients.models import Relative


@pytest.fixture
def console(page: Page) -> Iterator[list[str]]:
    """What the browser complained about: errors (a refused script or style is one),
    uncaught exceptions, and any word about a policy."""
    problems: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the admin's pages name no icon, so the browser asks for this one
        if message.type == "error" or "Policy" in message.text:
            problems.append(f"{message.type} at {page.url}: {message.text}")

    page.on("console", heard)
    page.on("pageerror", lambda error: problems.append(f"uncaught at {page.url}: {error}"))
    yield problems


def under_the_policy(response: Response | None) -> None:
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_worklist_refreshes_itself_under_the_policy(page, log_in, console, make_user, areas):
    make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))
    log_in("levanger-case")
    page.clock.install()
    under_the_policy(page.goto("/worklist/"))
    with page.expect_response(
        lambda answer: (
            "/worklist/" in answer.url and answer.request.headers.get("x-overgang-poll") == "1"
        )
    ) as refresh:
        page.clock.run_for(31_000)
    assert refresh.value.status == 200
    assert page.locator("#worklist-rows").count() == 1
    assert console == []


def test_a_relative_is_added_through_htmx_under_the_policy(
    page, log_in, console, frogner_case_worker, frogner_patient
):
    log_in("oslo-frogner")
    under_the_policy(page.goto(f"/patients/{frogner_patient.pk}/"))
    address = page.url
    page.locator("#relatives summary").click()
    page.locator("#relatives input[name=name]").fill("Per Nordmann")
    page.locator("#relatives select[name=relation]").select_option("child")
    with page.expect_response(lambda answer: "/relatives/" in answer.url):
        page.locator("#relatives button[type=submit]").click()
    page.locator("#relatives li", has_text="Per Nordmann").wait_for()
    assert page.url == address  # swapped in place, no new page
    assert Relative.objects.filter(patient=frogner_patient, name="Per Nordmann").exists()
    assert console == []


def test_the_menu_the_search_and_the_language_work_under_the_policy(
    page, log_in, console, frogner_case_worker, frogner_patient
):
    log_in("oslo-frogner")
    with page.expect_navigation():
        page.locator("header nav a[href='/patients/']").click()
    page.locator("#id_q").fill("Nordmann")
    page.wait_for_url("**/patients/?q=Nordmann*")  # htmx pushed the search's address
    page.locator("main a", has_text="Nordmann, Kari").wait_for()
    with page.expect_navigation() as navigation:
        page.locator("#language").select_option("da")
    under_the_policy(navigation.value)
    assert page.locator("html").get_attribute("lang") == "da"
    assert "/patients/" in page.url
    with page.expect_navigation():
        page.locator("header nav a[href='/worklist/']").click()
    assert page.locator("#worklist-rows").count() == 1
    assert console == []


def test_enter_in_the_lend_forms_search_finds_the_patient_and_sends_nothing(
    page, log_in, console, ous_technician, frogner_patient, system, areas
):
    aid_actions.register_device(
        actor=system, aid_type="cpap", serial="CP-CSP", owner=areas["ous-bhm"]
    )
    log_in("ous-bhm")
    under_the_policy(page.goto("/devices/CP-CSP/"))
    address = page.url
    page.locator("#id_find").type("Nordmann")
    page.locator("#id_find").press("Enter")
    page.locator("#patient-choices input[name=patient]").first.wait_for()
    assert page.url == address  # Enter searched; the lend form was not sent
    assert console == []


def test_the_admin_lives_with_the_policy(page, console, django_user_model):
    django_user_model.objects.create_superuser("admin", password="demo")
    under_the_policy(page.goto("/admin/login/"))
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("demo")
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    page.goto("/admin/auth/user/add/")
    page.goto("/admin/auth/user/")
    assert console == []
