"""Every region runs its own routine (issue 14): the discharge and departure checklists of a
stay are its own agreement's plus its country's law; other parties' open tasks warn, they do
not block; § 9's points for mental health care and TSB, and a psychologist who may decide;
no leaving before the municipality's answered time without a reason it is shown; open aid
needs are handed over at discharge, not withdrawn."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Role
from overgang.rules.checklists import CARE_TYPES
from overgang.stays import actions
from overgang.stays.checklist import (
    departure_blockers,
    departure_items,
    departure_warnings,
    discharge_blockers,
    physician_items,
)
from overgang.stays.models import Deadline, Outcome, Stay, StayEvent
from tests.stays.conftest import SECTION_9, at, written

pytestmark = pytest.mark.django_db

NORWEGIAN = ("oslo", "tromso", "levanger")


def all_texts(stay: Stay) -> list[str]:
    return (
        [text for _item, text, _done in physician_items(stay)]
        + [text for _item, text, _done, _message in departure_items(stay)]
        + [str(b) for b in discharge_blockers(stay) + departure_blockers(stay)]
    )


@pytest.mark.parametrize("area", ["oslo", "tromso", "aalborg"])
def test_hnts_routine_is_not_shown_to_other_regions_patients(stays_of, area):
    stay, _physician = stays_of[area]
    assert not any("004" in text for text in all_texts(stay))
    assert stay.checklists.notice_window is None


def test_hnts_own_patients_keep_its_departure_list_and_window(stays_of):
    stay, _physician = stays_of["levanger"]
    assert [item for item, *_ in departure_items(stay)] == [
        "patient-informed",
        "transport-ordered",
        "medicines-ready",
        "discharge-report-sent",
    ]
    assert all("004 Vedlegg 3.1.2" in text for _i, text, _d, _m in departure_items(stay))
    assert stay.checklists.notice_window is not None


@pytest.mark.parametrize("area", NORWEGIAN)
def test_section_9_is_cited_as_law_for_every_norwegian_patient(stays_of, area):
    stay, _physician = stays_of[area]
    texts = [text for _item, text, _done in physician_items(stay)]
    assert len(texts) == 5
    assert all("regulation on discharge-ready patients § 9" in text for text in texts)


def test_denmark_has_no_section_9_and_its_own_departure_condition(stays_of):
    stay, physician = stays_of["aalborg"]
    assert physician_items(stay) == []
    assert discharge_blockers(stay) == []
    stay = actions.declare_discharge_ready(stay, actor=physician, at=at("2026-03-28 09:00"))
    blockers = departure_blockers(stay)
    assert [b.key for b in blockers] == ["departure:final-care-plan-sent"]
    assert "(003 3)" in str(blockers[0])


def _notified(stay, physician, when="2026-04-10 09:00"):
    stay = actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    stay = actions.declare_discharge_ready(stay, actor=physician, at=at(when))
    for code in ("HELSEOPPL_SOKNAD:oppdatert", "LOG_UTSKRIVNINGSKLAR"):
        actions.record_message(stay, code, actor=physician, sent_at=at(when))
    return Stay.objects.get(pk=stay.pk)


@pytest.mark.parametrize("area", ["oslo", "tromso"])
def test_no_answer_yet_is_a_warning_where_the_routine_does_not_wait_for_it(stays_of, area):
    stay, physician = stays_of[area]
    stay = _notified(stay, physician)
    assert departure_blockers(stay) == []
    assert [w.key for w in departure_warnings(stay)] == ["answer"]


def test_hnt_waits_for_the_answer_and_cites_its_routine(stays_of):
    stay, physician = stays_of["levanger"]
    stay = _notified(stay, physician)
    answer = [b for b in departure_blockers(stay) if b.key == "answer"]
    assert answer and "(004 Vedlegg 3.1.2 a)" in str(answer[0])


# --- mental health care and TSB (§ 9) ------------------------------------------------------


@pytest.fixture
def psychologist(make_user):
    return make_user("unn-psykolog", ("unn-lunge", Role.PSYCHOLOGIST))


def _admit(patient, physician, areas, care):
    return actions.admit(
        patient,
        actor=physician,
        unit=areas["unn-lunge"],
        admission="emergency",
        admitted_at=at("2026-03-27 10:00"),
        care=care,
    )


@pytest.mark.parametrize("care", ["mental-health", "tsb"])
def test_a_psychologist_decides_in_mental_health_care_and_tsb(
    tromso_patient, unn_physician, psychologist, areas, care
):
    stay = _admit(tromso_patient, unn_physician, areas, care)
    items = [item for item, _text, _done in physician_items(stay)]
    assert {"cooperation-meeting", "outpatient-contact"} <= set(items)
    assert ("coercion-ended" in items) is (care == "mental-health")
    stay = actions.document(stay, items, actor=psychologist, texts=written(items))
    assert discharge_blockers(stay) == []
    stay = actions.declare_discharge_ready(stay, actor=psychologist, at=at("2026-03-28 09:00"))
    assert stay.discharge_ready_by == psychologist


def test_a_psychologist_does_not_decide_in_somatic_care(
    tromso_patient, unn_physician, psychologist, areas
):
    stay = _admit(tromso_patient, unn_physician, areas, "somatic")
    assert "coercion-ended" not in [item for item, *_ in physician_items(stay)]
    with pytest.raises(InvalidInput) as error:
        actions.declare_discharge_ready(stay, actor=psychologist, override="x")
    assert "physician" in str(error.value)


def test_an_unknown_care_type_is_refused_by_field(tromso_patient, unn_physician, areas):
    with pytest.raises(InvalidInput) as error:
        _admit(tromso_patient, unn_physician, areas, "dental")
    assert set(error.value.errors) == {"care"}
    assert not Stay.objects.exists()


# --- leaving before the municipality can receive (item 5) ----------------------------------


def _answered_for_monday(stay, physician, case_worker):
    """Friday: discharge-ready and notified; the municipality answers "from Monday 10:00"."""
    stay = _notified(stay, physician, "2026-04-10 09:00")
    actions.record_answer(
        stay,
        actor=case_worker,
        can_receive=True,
        receive_at=at("2026-04-13 10:00"),
        service="Home nursing",
        sent_at=at("2026-04-10 09:30"),
    )
    stay = Stay.objects.get(pk=stay.pk)
    checklist = stay.checklists.departure_ready(stay.care)
    if checklist:
        actions.prepare(stay, [i.item for i in checklist if not i.message], actor=physician)
        for item in checklist:
            if item.message:
                actions.record_message(
                    stay, item.message, actor=physician, sent_at=at("2026-04-10 10:00")
                )
    return Stay.objects.get(pk=stay.pk)


@pytest.fixture
def case_workers(frogner_case_worker, tromso_case_worker, levanger_case_worker):
    return {
        "oslo": frogner_case_worker,
        "tromso": tromso_case_worker,
        "levanger": levanger_case_worker,
    }


@pytest.mark.parametrize("area", NORWEGIAN)
def test_leaving_on_saturday_before_mondays_answered_time_needs_a_reason(
    stays_of, case_workers, area
):
    stay, physician = stays_of[area]
    stay = _answered_for_monday(stay, physician, case_workers[area])
    with pytest.raises(InvalidInput) as error:
        actions.declare_departure_ready(stay, actor=physician, at=at("2026-04-11 10:00"))
    assert set(error.value.errors) == {"reason"}
    assert "from" in error.value.errors["reason"]
    assert Stay.objects.get(pk=stay.pk).status == "discharge-ready"
    with pytest.raises(InvalidInput):
        actions.discharge(stay, actor=physician, at=at("2026-04-11 10:00"), force_majeure="")

    reason = "The daughter takes him home and stays until Monday."
    stay = actions.declare_departure_ready(
        stay, actor=physician, at=at("2026-04-11 10:00"), reason=reason
    )
    assert stay.early_reason == reason
    assert ChangeRecord.objects.filter(
        model="stays.stay", object_id=str(stay.pk), reason=reason
    ).exists()
    assert StayEvent.objects.get(stay=stay, name="departure-ready").note == reason
    stay = actions.discharge(stay, actor=physician, at=at("2026-04-11 12:00"))
    assert stay.status == "discharged"


def test_leaving_at_or_after_the_answered_time_needs_no_reason(stays_of, case_workers):
    stay, physician = stays_of["oslo"]
    stay = _answered_for_monday(stay, physician, case_workers["oslo"])
    stay = actions.declare_departure_ready(stay, actor=physician, at=at("2026-04-13 10:00"))
    assert stay.early_reason == ""


# --- needs handed over at discharge --------------------------------------------------------


@pytest.mark.parametrize("area", ["oslo", "tromso", "levanger", "aalborg"])
def test_open_aid_tasks_are_handed_over_at_discharge_not_withdrawn(stays_of, area):
    stay, physician = stays_of[area]
    actions.record_need(
        stay,
        actor=physician,
        kind="aid",
        aid_type="cpap",
        description="CPAP at night",
    )
    open_tasks = set(
        Deadline.objects.filter(stay=stay, need__isnull=False, done_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert open_tasks
    stay = actions.declare_discharge_ready(
        Stay.objects.get(pk=stay.pk), actor=physician, at=at("2026-03-28 09:00"), override="x"
    )
    stay = actions.discharge(
        stay, actor=physician, at=at("2026-03-28 10:00"), force_majeure="Flood in the ward"
    )
    still = Deadline.objects.filter(pk__in=open_tasks)
    assert all(d.done_at is None for d in still)
    assert not still.filter(outcome=Outcome.WITHDRAWN).exists()
    handed = StayEvent.objects.get(stay=stay, name="needs-handed-over")
    assert all(d.holder.name in handed.note for d in still)


def test_other_duties_end_with_the_stay(stays_of):
    stay, physician = stays_of["levanger"]
    stay = actions.declare_discharge_ready(
        stay, actor=physician, at=at("2026-03-28 09:00"), override="x"
    )
    actions.discharge(stay, actor=physician, at=at("2026-03-28 10:00"), force_majeure="Flood")
    assert not Deadline.objects.filter(stay=stay, need__isnull=True, done_at__isnull=True).exists()


# --- refusals cite the patient's own routine, or nothing -----------------------------------


@pytest.mark.parametrize("area", ["oslo", "tromso"])
def test_own_responsibility_and_relatives_do_not_cite_hnt_elsewhere(stays_of, area):
    stay, physician = stays_of[area]
    with pytest.raises(InvalidInput) as error:
        actions.leave_on_own_responsibility(stay, actor=physician, competent=False, safe=False)
    assert not any("004" in message for message in error.value.errors.values())
    with pytest.raises(InvalidInput) as error:
        actions.assess_relatives(
            stay, actor=physician, relatives_need_support=True, minor_children=False
        )
    assert "004" not in error.value.errors["note"]


def test_hnt_refusals_cite_hnts_routine(stays_of):
    stay, physician = stays_of["levanger"]
    with pytest.raises(InvalidInput) as error:
        actions.assess_relatives(
            stay, actor=physician, relatives_need_support=True, minor_children=False
        )
    assert "(004 2.1, 004 2.2)" in error.value.errors["note"]
    with pytest.raises(Conflict) as conflict:
        actions.leave_on_own_responsibility(stay, actor=physician, competent=True, safe=True)
    assert "004 3.1 a" in str(conflict.value)


SEED_CITE = re.compile(r"\b(\d{3}) (?:Vedlegg )?\d")
OWN_SEEDS = {"oslo": {"000"}, "tromso": {"001"}, "levanger": {"002", "004"}, "aalborg": {"003"}}


def refusals(stay, physician) -> list[str]:
    """What the hospital is told when a step is refused or open, without changing anything."""
    found = all_texts(stay)
    for attempt in (
        lambda: actions.leave_on_own_responsibility(
            stay, actor=physician, competent=False, safe=False
        ),
        lambda: actions.assess_relatives(
            stay, actor=physician, relatives_need_support=True, minor_children=True
        ),
    ):
        with pytest.raises(InvalidInput) as error:
            attempt()
        found += list(error.value.errors.values())
    return found


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(area=st.sampled_from(sorted(OWN_SEEDS)), care=st.sampled_from(CARE_TYPES))
def test_a_stays_checklists_and_refusals_cite_only_its_own_routine(stays_of, area, care):
    stay, physician = stays_of[area]
    stay.care = care
    for text in refusals(stay, physician):
        seeds = set(SEED_CITE.findall(text))
        assert seeds <= OWN_SEEDS[area], text
        if area == "aalborg":
            assert "§ 9" not in text and "regulation on discharge-ready" not in text
