"""Issue 14 leftovers: what the stay page and the messages say comes from the patient's
agreement and the country's messages and law, not from `country == "NO"`: HNT's message
order (004 Vedlegg 3.1.1 b) only under HNT, the needs hint in each routine's words, the
relatives cited to HNT 004 2.1/2.2 only, and no requirement IDs shown as citations."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from overgang.errors import Conflict
from overgang.stays import actions
from overgang.stays.models import Stay
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db


def shown(user, stay) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(f"/stays/{stay.pk}/")
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _ready(stay, physician):
    stay = actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.declare_discharge_ready(stay, actor=physician, at=at("2026-03-30 09:00"))
    return Stay.objects.get(pk=stay.pk)


@pytest.mark.parametrize("area", ["oslo", "tromso"])
def test_the_notice_waits_for_no_update_where_the_agreement_does_not_say_so(stays_of, area):
    stay, physician = _ready(*stays_of[area]), stays_of[area][1]
    actions.record_message(
        stay, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=at("2026-03-30 10:00")
    )
    assert Stay.objects.get(pk=stay.pk).notified_at == at("2026-03-30 10:00")


def test_under_hnt_the_notice_waits_for_the_update_cited_to_its_routine(stays_of):
    stay, physician = stays_of["levanger"]
    stay = _ready(stay, physician)
    with pytest.raises(Conflict, match=r"Health information – updated.*004 Vedlegg 3\.1\.1 b"):
        actions.record_message(
            stay, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=at("2026-03-30 10:00")
        )
    assert Stay.objects.get(pk=stay.pk).notified_at is None


NEEDS_HINT = {
    "oslo": "as soon as possible. (000 8.0)",
    "tromso": None,
    "levanger": "day 0–2 after admission. (002 1)",
    "aalborg": "with the care plan before discharge. (003 3.1)",
}


@pytest.mark.parametrize("area", NEEDS_HINT)
def test_the_needs_hint_is_the_agreements_own(stays_of, area):
    stay, physician = stays_of[area]
    text = shown(physician, stay)
    assert "No needs described yet." in text
    assert "(H1)" not in text and "(N6)" not in text
    hint = NEEDS_HINT[area]
    if hint:
        assert hint in text
    else:  # UNN's routine says nothing of it: no advice, no citation
        assert "No needs described yet. Describe a need" in text
    assert ("day 0–2" in text) is (area == "levanger")


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger", "aalborg"])
def test_the_relatives_card_cites_only_hnts_routine(stays_of, area):
    stay, physician = stays_of[area]
    text = shown(physician, stay)
    assert "are minor children relatives?" in text
    assert "(R10)" not in text
    assert ("004 2.1, 004 2.2" in text) is (area == "levanger")
    # Helsepersonelloven § 10 a holds in every Norwegian area (R10), never in Denmark.
    assert ("§ 10 a" in text) is (area != "aalborg")


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger"])
def test_the_answer_step_cites_the_duty_to_answer_at_once(
    stays_of, area, request, levanger_case_worker
):
    stay, physician = stays_of[area]
    stay = _ready(stay, physician)
    actions.record_message(
        stay, "HELSEOPPL_SOKNAD:oppdatert", actor=physician, sent_at=at("2026-03-30 10:00")
    )
    actions.record_message(
        stay, "LOG_UTSKRIVNINGSKLAR", actor=physician, sent_at=at("2026-03-30 10:00")
    )
    text = shown(physician, stay)
    assert "Waiting for the municipality's answer" in text
    assert "(R5)" not in text
    cite = "(004 Vedlegg 3.2 a)" if area == "levanger" else "(regulation on discharge-ready"
    assert f"the municipality answers at once. {cite}" in text


def test_a_danish_stay_has_no_norwegian_notice_step(stays_of):
    stay, physician = stays_of["aalborg"]
    actions.declare_discharge_ready(stay, actor=physician, at=at("2026-03-30 09:00"))
    text = shown(physician, Stay.objects.get(pk=stay.pk))
    assert "Notify the municipality" not in text
    assert "Notice of a discharge-ready patient" not in text


WORKERS = {
    "oslo": "frogner_case_worker",
    "tromso": "tromso_case_worker",
    "levanger": "levanger_case_worker",
}


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger"])
def test_medicines_go_along_on_a_same_day_departure_only_where_the_routine_says_so(
    stays_of, area, request
):
    """HNT's 004 Vedlegg 3.1 b (R7): leaving the day of the notice, medicines and equipment
    go with the patient until the next working day. Oslo's and UNN's routines say nothing."""
    stay, physician = stays_of[area]
    stay = _ready(stay, physician)
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        actions.record_message(stay, code, actor=physician, sent_at=at("2026-03-30 10:00"))
    actions.record_answer(
        Stay.objects.get(pk=stay.pk),
        actor=request.getfixturevalue(WORKERS[area]),
        can_receive=True,
        receive_at=at("2026-03-30 14:00"),
        service="Hjemmesykepleie",
        needs_from_hospital="Oksygen til helgen",
        sent_at=at("2026-03-30 10:20"),
    )
    stay = Stay.objects.get(pk=stay.pk)
    items = stay.checklists.departure_ready(stay.care)
    for item in items:
        if item.message:
            actions.record_message(
                stay, item.message, actor=physician, sent_at=at("2026-03-30 11:00")
            )
    actions.prepare(stay, [i.item for i in items if not i.message], actor=physician)
    actions.declare_departure_ready(
        Stay.objects.get(pk=stay.pk), actor=physician, at=at("2026-03-30 14:00")
    )
    stay = Stay.objects.get(pk=stay.pk)
    text = shown(physician, stay)
    if area == "levanger":
        assert stay.supplies_until is not None
        assert "Same-day departure" in text and "(004 Vedlegg 3.1 b)" in text
    else:
        assert stay.supplies_until is None
        assert "Same-day departure" not in text


def test_a_discharged_stay_says_what_lapsed_and_asks_nothing_more(
    planned_aalborg_stay, aalborg_physician
):
    """After the discharge, a duty that lapsed reads "no longer needed", not "done"; the
    relatives card no longer asks for an assessment nobody can make any more."""
    stay = planned_aalborg_stay
    actions.declare_discharge_ready(
        stay, actor=aalborg_physician, at=at("2026-03-27 12:00"), override="Færdigbehandlet."
    )
    actions.discharge(
        Stay.objects.get(pk=stay.pk),
        actor=aalborg_physician,
        at=at("2026-03-27 13:00"),
        force_majeure="Sengemangel.",
    )
    text = shown(aalborg_physician, Stay.objects.get(pk=stay.pk))
    first_plan = re.search(r"First care plan .*?(no longer needed|done) \d", text)
    assert first_plan and first_plan.group(1) == "no longer needed"
    assert "Not assessed yet" not in text
    assert "Not assessed during the stay." in text
