"""Needs on a Danish stay carry what they are for in the agreement's terms (N2, seed 003
section 2), and the Nordjylland rules decide from it: a rehabilitation rollator is the
municipality's, not "the agreement does not decide"."""

from __future__ import annotations

import pytest

from overgang.errors import InvalidInput
from overgang.stays import actions
from overgang.stays.actions.deadlines import open_deadlines_once_stayed
from overgang.stays.models import Deadline, Need
from tests.stays.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def aalborg_stay(planned_aalborg_stay):
    return planned_aalborg_stay


def aid_need(stay, actor, aid_type="rollator", **fields):
    return actions.record_need(
        stay,
        actor=actor,
        kind="aid",
        aid_type=aid_type,
        description="To walk safely at home",
        at=at("2026-03-28 09:00"),
        **fields,
    )


def tasks(need):
    return {(d.duty, d.party, d.holder.key) for d in Deadline.objects.filter(need=need)}


def test_a_rehabilitation_rollator_is_the_municipalitys(aalborg_stay, aalborg_physician):
    need = aid_need(aalborg_stay, aalborg_physician, purpose="rehabilitation")
    assert need.purpose == "rehabilitation"
    duties = need.decision["duties"]
    assert {d: duties[d]["party"] for d in ("assessment", "delivery", "payment")} == {
        "assessment": "municipality",
        "delivery": "municipality",
        "payment": "municipality",
    }
    assert duties["delivery"]["rule"] == "nordjylland.rehabilitation"
    assert not any("does not decide" in note for note in need.decision["notes"])
    found = tasks(need)
    assert {("aid-assessment", "municipality"), ("aid-delivery", "municipality")} <= {
        (duty, party) for duty, party, _holder in found
    }
    assert not any(party == "hospital" for _, party, _ in found)


def test_treatment_is_the_hospitals(aalborg_stay, aalborg_physician):
    need = aid_need(aalborg_stay, aalborg_physician, purpose="treatment")
    assert need.decision["duties"]["delivery"]["party"] == "hospital"
    assert need.decision["duties"]["payment"]["cites"] == ["003 2"]


def test_lasting_reduced_function_cites_the_law_the_routine_quotes(aalborg_stay, aalborg_physician):
    need = aid_need(aalborg_stay, aalborg_physician, purpose="lasting-function-loss")
    application = need.decision["duties"]["application"]
    assert application["party"] == "citizen"
    assert application["cites"] == ["003 2", "serviceloven § 112"]


def test_a_temporary_aid_is_the_citizens_own(aalborg_stay, aalborg_physician):
    need = aid_need(aalborg_stay, aalborg_physician, purpose="temporary")
    assert need.decision["duties"]["payment"]["party"] == "citizen"
    assert tasks(need) == set()  # the citizen's part is on nobody's worklist


def test_an_aid_need_without_its_purpose_is_refused_naming_the_field(
    aalborg_stay, aalborg_physician
):
    with pytest.raises(InvalidInput) as refused:
        aid_need(aalborg_stay, aalborg_physician)
    assert "Rehabilitation after discharge" in refused.value.errors["purpose"]
    assert not Need.objects.filter(stay=aalborg_stay).exists()


def test_a_purpose_the_agreement_does_not_name_is_refused(aalborg_stay, aalborg_physician):
    with pytest.raises(InvalidInput) as refused:
        aid_need(aalborg_stay, aalborg_physician, purpose="multi-patient")
    assert "multi-patient" in refused.value.errors["purpose"]
    assert not Need.objects.filter(stay=aalborg_stay).exists()


def test_a_treatment_aid_is_for_the_treatment_unless_said(aalborg_stay, aalborg_physician):
    need = aid_need(aalborg_stay, aalborg_physician, aid_type="oxygen-concentrator")
    assert need.decision["duties"]["delivery"]["rule"] == "nordjylland.treatment"


def test_norwegian_needs_are_asked_no_purpose(levanger_stay, hnt_physician):
    need = aid_need(levanger_stay, hnt_physician, duration="short")
    assert need.purpose == ""
    assert need.decision["duties"]["delivery"]["party"] == "municipality"


# --- N5: the first care plan opens once the stay has lasted 24 hours ----------------------


@pytest.fixture
def unknown_length_stay(aalborg_patient, aalborg_physician, areas):
    return actions.admit(
        aalborg_patient,
        actor=aalborg_physician,
        unit=areas["aauh-lunge"],
        admission="emergency",
        admitted_at=at("2026-03-10 10:00"),
    )


def care_plans(stay):
    return list(Deadline.objects.filter(stay=stay, duty="first-care-plan"))


def test_without_an_expected_length_the_first_care_plan_opens_after_24_hours(
    unknown_length_stay, aalborg_physician
):
    assert care_plans(unknown_length_stay) == []
    assert open_deadlines_once_stayed(now=at("2026-03-11 09:59")) == 0
    assert care_plans(unknown_length_stay) == []
    assert open_deadlines_once_stayed(now=at("2026-03-11 10:01")) == 1
    (plan,) = care_plans(unknown_length_stay)
    assert plan.due == at("2026-03-12 10:00")  # 48 hours after admission, as if known
    assert (plan.party, plan.cites) == ("hospital", ["003 3"])
    assert plan.event.name == "admitted"
    assert open_deadlines_once_stayed(now=at("2026-03-11 11:00")) == 0  # once per stay
    assert len(care_plans(unknown_length_stay)) == 1


def test_a_stay_that_ended_within_24_hours_gets_no_care_plan(
    unknown_length_stay, aalborg_physician
):
    actions.record_death(unknown_length_stay, actor=aalborg_physician, at=at("2026-03-10 20:00"))
    assert open_deadlines_once_stayed(now=at("2026-03-12 10:00")) == 0
    assert care_plans(unknown_length_stay) == []


def test_norwegian_stays_wait_for_nothing(levanger_patient, hnt_physician, areas):
    stay = actions.admit(
        levanger_patient,
        actor=hnt_physician,
        unit=areas["hnt-levanger-med"],
        admission="emergency",
        admitted_at=at("2026-03-27 10:00"),
    )
    before = Deadline.objects.filter(stay=stay).count()
    assert open_deadlines_once_stayed(now=at("2026-03-30 10:00")) == 0
    assert Deadline.objects.filter(stay=stay).count() == before


def test_the_api_takes_and_gives_the_purpose(api_as, aalborg_stay, aalborg_physician):
    api = api_as(aalborg_physician)
    path = f"/stays/{aalborg_stay.pk}/needs"
    data = {"kind": "aid", "aid_type": "rollator", "description": "Rollator"}
    refused = api.post(path, data)
    assert refused.status_code == 422
    assert "purpose" in [e["loc"][-1] for e in refused.json()["detail"]]
    assert not Need.objects.filter(stay=aalborg_stay).exists()
    made = api.post(path, {**data, "purpose": "lasting-function-loss"})
    assert made.status_code == 201, made.content
    assert made.json()["purpose"] == "lasting-function-loss"
    assert {t["party"] for t in made.json()["tasks"]} == {"municipality"}
