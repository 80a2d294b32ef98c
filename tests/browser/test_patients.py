"""Finding and opening patients, as a case worker would in the browser."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, Response, expect

from overgang.patients.models import Patient
from tests.conftest import FROGNER_FNR

OUS = "Oslo universitetssykehus HF"


def search(page: Page, text: str) -> None:
    """Type into the search box of the patients page and wait for htmx to bring the results."""
    box = page.locator("#id_q")
    box.clear()

    def results_for_text(response: Response) -> bool:
        url = urlsplit(response.url)
        return (
            url.path == "/patients/"
            and response.request.headers.get("hx-request") == "true"
            and parse_qs(url.query).get("q") == [text]
        )

    with page.expect_response(results_for_text) as results:
        box.press_sequentially(text, delay=20)
    assert results.value.ok
    # hx-push-url: the address shows the search, so it can be bookmarked and reloaded.
    expect(page).to_have_url(re.compile(rf"[?&]q={re.escape(text)}(&|$)"))


def result_links(page: Page):
    return page.locator("#results table a[href^='/patients/']")


def test_a_case_worker_finds_her_patient_by_name_and_opens_the_patient_page(
    page, log_in, frogner_case_worker, frogner_patient
):
    log_in("oslo-frogner")
    page.locator("header nav a[href='/patients/']").click()
    expect(page).to_have_url(re.compile(r"/patients/$"))

    search(page, "Nordmann")
    expect(result_links(page)).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Nordmann, Kari")

    result_links(page).filter(has_text="Nordmann, Kari").click()
    expect(page).to_have_url(re.compile(rf"/patients/{frogner_patient.pk}/$"))
    expect(page.locator("h1")).to_have_text("Kari Nordmann")
    expect(page.locator("main")).to_contain_text(OUS)
    expect(page).to_have_title(re.compile(r"^Kari Nordmann"))


def test_a_case_worker_elsewhere_gets_not_found_for_the_patient_and_never_sees_the_name(
    page, log_in, translated, tromso_case_worker, frogner_patient
):
    log_in("tromso-case")
    response = page.goto(f"/patients/{frogner_patient.pk}/")

    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text(translated("Not found"))
    expect(page.locator("main")).to_contain_text(
        translated("There is nothing here, or it is not available to you.")
    )
    html = page.content()
    for leak in ("Kari", "Nordmann", FROGNER_FNR, "Skovveien"):
        assert leak not in html, f"{leak!r} shows on the not-found page"


def test_a_frogner_case_worker_finds_the_frogner_patient_but_not_the_stovner_patient(
    page, log_in, frogner_case_worker, frogner_patient, stovner_patient
):
    log_in("oslo-frogner")
    page.goto("/patients/")
    # Before any search the list holds only the patients of her district.
    expect(result_links(page)).to_have_count(1)
    expect(page.locator("#results")).not_to_contain_text("Stovnersen")

    search(page, "Stovnersen")
    # Once the results are in, the page says that nothing matches (quoting the search)...
    expect(page.locator("#results")).to_contain_text("Stovnersen")
    expect(page.locator("#results [role=status]")).to_have_text(re.compile(r"^\s*0\b"))
    # ...and lists no one.
    expect(page.locator("#results table")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Stovnersen"))).to_have_count(0)

    search(page, "Nordmann")
    expect(page.locator("#results [role=status]")).to_have_text(re.compile(r"^\s*1\b"))
    expect(result_links(page)).to_have_count(1)
    expect(result_links(page)).to_have_text("Nordmann, Kari")


def test_a_patient_with_an_invalid_national_id_is_not_saved_and_the_field_says_why(
    page, log_in, frogner_case_worker
):
    before = Patient.objects.count()
    log_in("oslo-frogner")
    page.goto("/patients/new/")

    bad_number = FROGNER_FNR[:-1] + str((int(FROGNER_FNR[-1]) + 1) % 10)  # wrong check digit
    page.locator("#id_national_id").fill(bad_number)
    page.locator("#id_name").fill("Per Feilnummer")
    page.locator("#id_address").fill("Skovveien 14")
    page.locator("#id_municipality").fill("Oslo")
    page.locator("#id_district").fill("Frogner")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert posted.value.status == 422
    field = page.locator(".field", has=page.locator("#id_national_id"))
    expect(field).to_have_class(re.compile(r"\binvalid\b"))
    error = field.locator(".error")
    expect(error).to_be_visible()
    expect(error).not_to_have_text("")
    # Screen readers are told too: the field is invalid and described by the error.
    expect(page.locator("#id_national_id")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_national_id")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_national_id_error\b")
    )
    # Only that field is marked, and what was typed is still there to correct.
    expect(page.locator(".field.invalid")).to_have_count(1)
    expect(page.locator("#id_national_id")).to_have_value(bad_number)
    expect(page.locator("#id_name")).to_have_value("Per Feilnummer")
    expect(page.locator("main > [role=alert]")).to_be_visible()

    assert Patient.objects.count() == before
    assert not Patient.objects.filter(name="Per Feilnummer").exists()
