"""O10 (000 9.1, "evt. vurdere behov for tolk"): in the browser, the training form of a
patient who needs an interpreter warns before it is sent, holds a send without an
interpreter or a reason, and records the training once the reason is given."""

from __future__ import annotations

import datetime

import pytest

from overgang import clock
from overgang.organisations.models import Role
from overgang.patients import actions as patient_actions
from overgang.stays import actions
from overgang.stays.models import Training

from .walk import submit, text


@pytest.mark.locale("nb-NO")
def test_a_training_without_interpreter_or_reason_is_held_in_the_browser(
    page, log_in, make_user, system, areas
):
    physician = make_user("hnt-clinician", ("hnt-levanger-med", Role.CLINICIAN))
    patient = patient_actions.create_patient(
        actor=system,
        national_id_number="12035610039",
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
        interpreter_needed=True,
        language="arabisk",
    )
    stay = actions.admit(
        patient,
        actor=physician,
        unit=areas["hnt-levanger-med"],
        admission="emergency",
        admitted_at=clock.now() - datetime.timedelta(days=1),
    )
    log_in("hnt-clinician")
    page.goto(f"/stays/{stay.pk}/")
    page.locator("#training-form summary").click()
    warning = page.locator("#training-form .interpreter-warning")
    assert "Pasienten trenger tolk (arabisk)." in warning.inner_text()
    page.locator("#id_training_aid_type").select_option("cpap")
    page.locator("#id_training_trainee input[value=patient]").check()
    page.locator("#id_training_names").fill("Lars Levangsen")
    page.locator("#id_training_item_1").fill("Sette på masken")
    page.locator("#id_training_understood_1").select_option("yes")
    page.locator("#training-form form button[type=submit]").click()
    # Held: the page stays, the warning is marked, the reason field has the focus.
    assert page.url.endswith(f"/stays/{stay.pk}/")
    assert "nudged" in (warning.get_attribute("class") or "")
    assert page.evaluate("document.activeElement.name") == "no_interpreter_reason"
    assert not Training.objects.exists()
    page.locator("#id_training_no_interpreter_reason").fill("Tolken uteble; sønnen oversatte.")
    submit(page, "#training-form form")
    training = text(page, "#training")
    assert "Uten tolk fordi: Tolken uteble; sønnen oversatte." in training
    assert "Sette på masken" in training
    assert Training.objects.get().no_interpreter_reason == "Tolken uteble; sønnen oversatte."
