"""The stay page's trial discharges and leave (N5): the Aalborg page shows Nordjylland's rule
in Danish with its citation and the aids that went home; a hand-out on the weekend comes back
as a form error on the day field with the input kept, and nothing is recorded; a Norwegian
stay shows its periods with no other routine's words."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from overgang.stays.actions import leave as writers
from overgang.stays.models import LeaveAid, LeavePeriod
from tests.stays.conftest import at

pytestmark = pytest.mark.django_db


def reading(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def trial(aalborg_stay, aalborg_physician):
    return writers.plan_leave(
        aalborg_stay,
        actor=aalborg_physician,
        kind="trial-discharge",
        planned_start=at("2026-03-28 10:00"),
    )


def test_the_aalborg_page_plans_a_trial_discharge_and_shows_the_rule_in_danish(
    aalborg_stay, aalborg_physician
):
    client = reading(aalborg_physician, "da")
    response = client.post(
        f"/stays/{aalborg_stay.pk}/leaves/plan/",
        {"kind": "trial-discharge", "planned_start": "2026-03-28T10:00"},
    )
    assert response.status_code == 302
    page = visible(client.get(f"/stays/{aalborg_stay.pk}/").content.decode())
    assert "hjælpemidler udleveres kun på hverdage" in page
    assert "(003 3)" in page
    assert LeavePeriod.objects.get().kind == "trial-discharge"


def test_a_weekend_hand_out_is_a_form_error_on_the_day_and_nothing_is_recorded(
    aalborg_stay, aalborg_physician, trial
):
    from overgang.stays import actions

    need = actions.record_need(
        aalborg_stay,
        actor=aalborg_physician,
        kind="aid",
        aid_type="wheelchair",
        description="Kørestol",
        purpose="temporary",
    )
    client = reading(aalborg_physician)
    path = f"/stays/{aalborg_stay.pk}/leaves/{trial.pk}/aid/"
    response = client.post(path, {"aid": f"need:{need.pk}", "handed_out_on": "2026-03-28"})
    assert response.status_code == 422
    html = response.content.decode()
    error = re.search(rf'id="id_leave{trial.pk}_aid_handed_out_on_error">([^<]*)<', html)
    assert error, "no error next to the day"
    assert "weekdays only" in error.group(1) and "(003 3)" in error.group(1)
    assert 'value="2026-03-28"' in html  # the input is kept
    assert not LeaveAid.objects.exists()
    ok = client.post(path, {"aid": f"need:{need.pk}", "handed_out_on": "2026-03-27"})
    assert ok.status_code == 302
    page = visible(client.get(f"/stays/{aalborg_stay.pk}/").content.decode())
    assert "Aids that went home: Wheelchair — handed out Friday 27. March" in page


def test_a_plan_without_a_start_comes_back_with_the_error(aalborg_stay, aalborg_physician):
    response = reading(aalborg_physician).post(
        f"/stays/{aalborg_stay.pk}/leaves/plan/", {"kind": "leave", "planned_start": ""}
    )
    assert response.status_code == 422
    assert 'id="id_leave_plan_planned_start_error"' in response.content.decode()
    assert not LeavePeriod.objects.exists()


def test_outsiders_get_404_on_the_leave_steps(aalborg_stay, frogner_case_worker, trial):
    client = reading(frogner_case_worker)
    assert client.post(f"/stays/{aalborg_stay.pk}/leaves/plan/", {}).status_code == 404
    assert client.post(f"/stays/{aalborg_stay.pk}/leaves/{trial.pk}/start/", {}).status_code == 404
    assert LeavePeriod.objects.get().status == "planned"


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger"])
def test_a_norwegian_stay_shows_its_leave_without_nordjyllands_words(stays_of, area):
    stay, physician = stays_of[area]
    period = writers.plan_leave(
        stay, actor=physician, kind="leave", planned_start=at("2026-03-28 10:00")
    )
    html = reading(physician, "nb").get(f"/stays/{stay.pk}/").content.decode()
    assert f'id="leave-{period.pk}"' in html
    assert 'id="leave-rule"' not in html
    page = visible(html)
    assert "003" not in page
    assert "hverdag" not in page
