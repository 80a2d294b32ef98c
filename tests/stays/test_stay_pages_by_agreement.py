"""The stay page of each area shows its own routine and its own country's law (issue 14):
no HNT citation for an Oslo, Tromsø or Aalborg patient, the § 9 card only where Norwegian law
applies, the care type chosen at admission, and the reason for an early departure shown to
the municipality."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from overgang.stays import actions
from overgang.stays.models import Stay
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db


def page_of(user, path: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def visible(html: str) -> str:
    """The page's text without its tags and attributes (citations only, not ids)."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger", "aalborg"])
def test_the_admitted_stay_page_shows_its_own_routine(stays_of, area):
    stay, physician = stays_of[area]
    html = page_of(physician, f"/stays/{stay.pk}/")
    shown = visible(html)
    assert ('id="documented"' in html) is (area != "aalborg")  # the § 9 card: Norway only
    assert ("regulation on discharge-ready patients § 9" in shown) is (area != "aalborg")
    assert ("004" in shown) is (area == "levanger")  # HNT's deadlines cite its routine


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger"])
def test_the_notice_step_cites_the_window_and_order_only_for_hnt(stays_of, area):
    stay, physician = stays_of[area]
    stay = actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.declare_discharge_ready(stay, actor=physician, at=at("2026-03-30 09:00"))
    shown = visible(page_of(physician, f"/stays/{stay.pk}/"))
    # The order is HNT's (004 Vedlegg 3.1.1 b); elsewhere the notice is simply sent.
    assert ("Send Health information – updated first" in shown) is (area == "levanger")
    assert "Notice of a discharge-ready patient" in shown
    assert ("08:00–15:00" in shown) is (area == "levanger")
    assert ("004 Vedlegg 3.1.1 b" in shown) is (area == "levanger")
    assert ("004 3.1 a" in shown) is (area == "levanger")  # leaving on own responsibility


@pytest.mark.parametrize("area", ["levanger", "tromso"])
def test_open_aid_tasks_show_as_warnings_not_blockers(stays_of, area):
    stay, physician = stays_of[area]
    stay = actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.record_need(stay, actor=physician, kind="aid", aid_type="cpap", description="CPAP")
    html = page_of(physician, f"/stays/{stay.pk}/")
    assert 'id="warnings"' in html
    assert "Everything is in place" in html


def test_the_admission_form_takes_the_care_type(tromso_patient, unn_physician):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(unn_physician)
    admission = {"department": "unn-lunge", "admission": "emergency"}
    admission["admitted_at"] = "2026-03-27T10:00"
    bad = client.post(f"/patients/{tromso_patient.pk}/admit/", {**admission, "care": "dental"})
    assert bad.status_code == 422
    assert 'id="id_care_error"' in bad.content.decode()
    assert not Stay.objects.exists()
    good = client.post(
        f"/patients/{tromso_patient.pk}/admit/", {**admission, "care": "mental-health"}
    )
    assert good.status_code == 302
    stay = Stay.objects.get()
    assert stay.care == "mental-health"
    shown = visible(page_of(unn_physician, f"/stays/{stay.pk}/"))
    assert "mental health care" in shown
    assert "Coercive measures" in shown


def test_the_municipality_sees_why_the_patient_left_before_it_could_receive(
    stays_of, frogner_case_worker
):
    stay, physician = stays_of["oslo"]
    stay = actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    stay = actions.declare_discharge_ready(stay, actor=physician, at=at("2026-04-10 09:00"))
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        actions.record_message(stay, code, actor=physician, sent_at=at("2026-04-10 09:00"))
    actions.record_answer(
        stay,
        actor=frogner_case_worker,
        can_receive=True,
        receive_at=at("2026-04-13 10:00"),
        service="Home nursing",
        sent_at=at("2026-04-10 09:30"),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(physician)
    refused = client.post(f"/stays/{stay.pk}/departure_ready/", {"at": "2026-04-11T10:00"})
    assert refused.status_code == 422
    assert 'id="id_departure_ready_reason_error"' in refused.content.decode()
    assert Stay.objects.get(pk=stay.pk).status == "discharge-ready"
    reason = "His son takes him home for the weekend."
    done = client.post(
        f"/stays/{stay.pk}/departure_ready/", {"at": "2026-04-11T10:00", "reason": reason}
    )
    assert done.status_code == 302
    shown = page_of(frogner_case_worker, f"/stays/{stay.pk}/")
    assert 'id="early-reason"' in shown
    assert reason in shown
