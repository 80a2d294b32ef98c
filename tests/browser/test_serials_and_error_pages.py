"""In the browser: a device whose serial holds a slash, a reload after a form error, and the
page shown when a page fails."""

import pytest

from overgang.aids.models import Device


def test_a_slash_serial_is_registered_found_and_reloaded_after_an_error(
    page, log_in, ous_technician
):
    log_in("ous-bhm")
    page.goto("/devices/new/")
    page.locator("#id_aid_type").select_option("cpap")
    page.locator("#id_serial").fill("NEW-OXY 77/A")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert Device.objects.filter(serial="NEW-OXY 77/A").exists()
    assert "NEW-OXY 77/A" in page.locator("h1").inner_text()

    page.goto("/devices/?q=77/A&status=available")
    with page.expect_navigation():
        page.get_by_role("link", name="NEW-OXY 77/A").first.click()
    device_page = page.url

    # Discard without a reason: the form comes back with its error, at the action's address.
    page.locator("#discard summary").click()
    with page.expect_navigation():
        page.locator("#discard button[type=submit]").click()
    assert page.url.split("#")[0].endswith("/discard/")
    assert page.locator("#discard .error").count() >= 1
    # The same address in a new tab: a GET, which lands on the device's page.
    action = page.url.split("#")[0]
    response = page.goto(action)
    assert response is not None and response.status == 200
    assert page.url == device_page
    # Switching the language on the action's address, as after a form error.
    page.goto(device_page)
    with page.expect_navigation():
        page.locator("#discard summary").click()
        page.locator("#discard button[type=submit]").click()
    with page.expect_navigation():
        page.locator("#language").select_option("nb")
    assert page.url == device_page
    assert page.locator("html").get_attribute("lang") == "nb"


@pytest.mark.urls("tests.pages.failing_urls")
def test_a_failing_page_shows_overgangs_own_error_page(page, log_in, ous_technician):
    log_in("ous-bhm")
    response = page.goto("/fails/template/")
    assert response is not None and response.status == 500
    assert page.locator("header .brand").is_visible()
    assert page.locator("nav a[href='/devices/']").is_visible()
