"""The patient-pathway survey as it is used (issue 20 item 5): the clinician makes the link
after discharge and prints it; on a phone, without login, a relative forgets a question,
answers, and the link is closed after."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from overgang.stays import actions
from overgang.survey.models import Answer


def test_a_relative_answers_on_a_phone_after_a_mistake(
    browser, page, log_in, shot, live_server, ous_clinician, frogner_patient, areas
):
    now = timezone.now() - datetime.timedelta(hours=3)
    stay = actions.admit(
        frogner_patient,
        actor=ous_clinician,
        unit=areas["ous-lunge"],
        admission="emergency",
        admitted_at=now - datetime.timedelta(hours=1),
    )
    actions.declare_discharge_ready(stay, actor=ous_clinician, at=now, override="Test")
    actions.discharge(
        stay, actor=ous_clinician, at=now + datetime.timedelta(hours=1), force_majeure="Storm"
    )

    log_in(ous_clinician.username)
    page.goto(f"/stays/{stay.pk}/")
    page.locator("#survey-link a").click()
    page.locator("#survey form button[type=submit]").click()
    link = page.locator(".survey-link strong").inner_text()
    expect(page.locator(".survey-qr svg path")).to_have_count(1)
    shot("survey", "link-made")

    relative = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    phone = relative.new_page()
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("lang", "nb")  # Oslo: bokmål
    expect(phone.locator("body")).not_to_contain_text(frogner_patient.name)
    phone.locator("input[name=delivered_on_time][value=yes]").check()
    phone.locator("button[type=submit]").click()
    # The two unanswered questions say so; the one answered keeps its answer.
    expect(phone.locator(".survey-question.invalid")).to_have_count(2)
    expect(phone.locator("input[name=delivered_on_time][value=yes]")).to_be_checked()
    phone.locator("input[name=instruction_given][value=no]").check()
    phone.locator("input[name=works][value=unsure]").check()
    phone.locator("button[type=submit]").click()
    expect(phone.locator("h1")).to_have_text("Takk")
    answer = Answer.objects.get(stay=stay)
    assert (answer.delivered_on_time, answer.instruction_given, answer.works) == (
        "yes",
        "no",
        "unsure",
    )
    phone.goto(link)
    expect(phone.locator("h1")).to_have_text("Lenken virker ikke")
    relative.close()

    page.reload()
    expect(page.locator("#survey")).to_contain_text("Were you shown how to use it?No")
