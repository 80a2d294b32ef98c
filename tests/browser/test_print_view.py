"""A list's print view, as a case worker reaches it: the search she typed carried into
the print link, the list without the menu, in her language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_patients import search


@pytest.mark.parametrize("language", ["nb", "da"])
def test_the_print_link_prints_the_searched_list_without_the_menu(
    page, log_in, shot, frogner_case_worker, frogner_patient, stovner_patient, language
):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in("oslo-frogner")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.goto("/patients/")
    # The search arrives by htmx after the page (and its links) loaded: the link follows it.
    search(page, "Nordmann")
    shot("exports", f"patients-list-{language}")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator(".export-links")).to_be_in_viewport()
    shot("exports", f"patients-list-phone-{language}")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("a[data-export=print]").click()
    expect(page).to_have_url(re.compile(r"/patients/\?q=Nordmann&(sort=name&)?format=print$"))

    expect(page.locator("header nav")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("table.printed tbody tr")).to_have_count(1)
    expect(page.locator("table.printed")).to_contain_text("Nordmann, Kari")
    expect(page.locator(".print-meta")).to_contain_text("Nordmann")
    expect(page.locator(".print-meta")).to_contain_text("Europe/Oslo")
    shot("exports", f"patients-print-{language}")

    # Printed on paper, the button and the way back are not.
    page.emulate_media(media="print")
    expect(page.locator(".print-actions")).to_be_hidden()
