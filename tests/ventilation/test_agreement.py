"""O11, the per-patient home-ventilation (LTMV) agreement, through its writers: offered only
where the patient's agreement provides for it (Oslo's 000 10.0), the municipality invited
as soon as a home ventilator is needed, responsibilities from the rules with a reason for
each change, both sides' signatures locking a version, and the hospital's follow-up on its
worklist once the patient has left."""

from __future__ import annotations

import datetime

import pytest

from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.rules.registry import all_agreements
from overgang.stays import actions as stay_actions
from overgang.stays.access import worklist
from overgang.stays.models import Deadline, Notification
from overgang.ventilation import actions
from overgang.ventilation.models import AgreementVersion, VentilationAgreement, VersionStatus
from tests.stays.conftest import SECTION_9, at, written
from tests.ventilation.conftest import complete, ventilator_needed

pytestmark = pytest.mark.django_db


# Which routine provides for the agreement: only Oslo's says so (000 10.0); UNN's, HNT's and
# Nordjylland's say nothing of home ventilation.
@pytest.mark.parametrize(
    ("agreement", "provides"),
    [("oslo", True), ("unn", False), ("hnt", False), ("nordjylland", False)],
)
def test_only_the_agreement_that_says_so_provides_for_it(agreement, provides):
    found = next(a for a in all_agreements() if a.id == agreement)
    assert (found.home_ventilation is not None) is provides
    if provides:
        assert found.home_ventilation.cites == ("000 10.0",)
        assert found.home_ventilation.rule in {r.id for r in found.rules}


@pytest.mark.parametrize(
    ("area", "invited"),
    [("oslo", "Bestillerkontoret, Bydel Frogner"), ("tromso", None), ("levanger", None)],
)
def test_a_home_ventilator_need_invites_the_municipality_at_once(stays_of, area, invited):
    stay, physician = stays_of[area]
    ventilator_needed(stay, physician)
    tasks = Deadline.objects.filter(stay=stay, duty="ltmv-agreement")
    if invited is None:
        assert not tasks.exists()
        return
    municipal = tasks.get(party="municipality")
    assert municipal.holder.name == invited  # the district's office, not Oslo as a whole
    assert municipal.cites == ["000 10.0"]
    assert "LTMV" in municipal.text["nb"]
    assert tasks.filter(party="hospital").exists()
    told = Notification.objects.filter(organisation=municipal.holder, news="ventilation-changed")
    assert told.exists()


def test_another_aid_need_invites_nobody(oslo_stay, ous_clinician):
    stay_actions.record_need(
        oslo_stay,
        actor=ous_clinician,
        kind="aid",
        description="CPAP",
        aid_type="cpap",
        purpose="treatment",
        at=oslo_stay.admitted_at + datetime.timedelta(hours=1),
    )
    assert not Deadline.objects.filter(duty="ltmv-agreement").exists()


@pytest.mark.parametrize("area", ["tromso", "levanger", "aalborg"])
def test_elsewhere_no_agreement_can_be_drafted(stays_of, area):
    stay, physician = stays_of[area]
    with pytest.raises(InvalidInput) as refused:
        actions.draft(stay, actor=physician)
    assert set(refused.value.errors) == {"stay"}
    assert not VentilationAgreement.objects.exists()


def test_the_draft_takes_the_rules_answer_for_a_home_ventilator(drafted):
    version = drafted.current
    by_duty = {r["duty"]: r for r in version.responsibilities}
    # Oslo's 000 3.1/9.0: the trust assesses, delivers, instructs, trains, maintains; the
    # municipality returns the aid (000 7.0).
    assert {d: r["rules_party"] for d, r in by_duty.items()} == {
        "assessment": "hospital",
        "application": "hospital",
        "delivery": "hospital",
        "payment": "hospital",
        "instruction": "hospital",
        "staff_training": "hospital",
        "maintenance": "hospital",
        "consumables": "hospital",
        "follow_up": "hospital",
        "return": "municipality",
    }
    assert by_duty["maintenance"]["cites"] == ["000 3.1"]
    assert all(r["party"] == r["rules_party"] for r in version.responsibilities)
    assert version.follow_up_days == [14, 90, 365]
    assert drafted.municipality.name == "Bydel Frogner"
    assert version.status == VersionStatus.DRAFT


def _responsibilities(version, **changed):
    return [
        {
            "duty": r["duty"],
            "party": changed.get(r["duty"], (r["party"], ""))[0],
            "reason": changed.get(r["duty"], (r["party"], ""))[1],
        }
        for r in version.responsibilities
    ]


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({"responsibilities": {"consumables": ("municipality", "")}}, "responsibilities"),
        ({"responsibilities": {"consumables": ("nobody", "x")}}, "responsibilities"),
        ({"follow_up_days": []}, "follow_up_days"),
        ({"follow_up_days": [90, 14]}, "follow_up_days"),
        ({"follow_up_days": [0]}, "follow_up_days"),
        ({"assessment_date": datetime.date(2999, 1, 1)}, "assessment_date"),
        ({"participants": [{"name": "Lege", "role": "", "organisation": "OUS"}]}, "participants"),
        ({"training": [{"trainer": "OUS", "trainees": "", "by": "2026-04-01"}]}, "training"),
        ({"training": [{"trainer": "OUS", "trainees": "HS", "by": "soon"}]}, "training"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_changes(
    drafted, frogner_nurse, changes, refused
):
    before = AgreementVersion.objects.get(pk=drafted.current.pk)
    if "responsibilities" in changes:
        changes = {"responsibilities": _responsibilities(before, **changes["responsibilities"])}
    with pytest.raises(InvalidInput) as error:
        complete(drafted, frogner_nurse, **changes)
    assert refused in error.value.errors
    after = AgreementVersion.objects.get(pk=before.pk)
    assert (after.participants, after.responsibilities) == (
        before.participants,
        before.responsibilities,
    )


def test_a_change_from_the_rules_keeps_both_answers_and_the_reason(drafted, frogner_nurse):
    version = complete(
        drafted,
        frogner_nurse,
        responsibilities=_responsibilities(
            drafted.current, consumables=("municipality", "Bydelens rammeavtale")
        ),
    )
    row = next(r for r in version.responsibilities if r["duty"] == "consumables")
    assert (row["rules_party"], row["party"], row["reason"]) == (
        "hospital",
        "municipality",
        "Bydelens rammeavtale",
    )


def test_both_signatures_lock_the_version_and_a_change_makes_a_new_draft(
    drafted, ous_clinician, frogner_nurse
):
    complete(drafted, frogner_nurse)
    first = actions.sign(drafted, actor=ous_clinician)
    assert first.status == VersionStatus.DRAFT
    first = actions.sign(drafted, actor=frogner_nurse)
    assert first.status == VersionStatus.SIGNED
    with pytest.raises(Conflict):
        actions.sign(drafted, actor=ous_clinician)
    second = complete(drafted, ous_clinician, staffing_plan="Tre sykepleiere om natten.")
    assert (second.number, second.status) == (2, VersionStatus.DRAFT)
    kept = AgreementVersion.objects.get(ventilation=drafted, number=1)
    assert kept.status == VersionStatus.SIGNED
    assert kept.staffing_plan == "To sykepleiere om natten."
    assert kept.hospital_signed_by == ous_clinician
    assert ChangeRecord.objects.filter(model="ventilation.agreementversion").count() >= 4


def test_a_change_to_a_half_signed_draft_undoes_the_signature(
    drafted, ous_clinician, frogner_nurse
):
    complete(drafted, frogner_nurse)
    actions.sign(drafted, actor=ous_clinician)
    changed = complete(drafted, frogner_nurse, staffing_plan="Endret")
    assert changed.number == 1
    assert changed.hospital_signed_at is None
    # The hospital has to sign again: its task is open once more.
    assert Deadline.objects.filter(
        stay=drafted.stay, duty="ltmv-agreement", party="hospital", done_at__isnull=True
    ).exists()


def test_signing_needs_the_assessment(drafted, ous_clinician):
    with pytest.raises(InvalidInput) as refused:
        actions.sign(drafted, actor=ous_clinician)
    assert set(refused.value.errors) == {"assessment_date", "participants"}


def test_each_side_signing_closes_its_task_and_tells_the_other(
    drafted, ous_clinician, frogner_nurse
):
    complete(drafted, frogner_nurse)
    hospital_told = Notification.objects.filter(
        organisation=drafted.stay.department, news="ventilation-changed"
    )
    assert hospital_told.exists()  # the district's change is news for the hospital
    actions.sign(drafted, actor=frogner_nurse)
    tasks = Deadline.objects.filter(stay=drafted.stay, duty="ltmv-agreement")
    assert tasks.get(party="municipality").done_at is not None
    assert tasks.get(party="hospital").done_at is None
    assert hospital_told.count() == 2


def _discharged(stay, physician):
    stay = stay_actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    stay = stay_actions.declare_discharge_ready(
        stay, actor=physician, at=at("2026-03-28 09:00"), override="x"
    )
    return stay_actions.discharge(
        stay, actor=physician, at=at("2026-03-28 10:00"), force_majeure="Flom i avdelingen"
    )


@pytest.mark.parametrize("signed_before_discharge", [True, False])
def test_the_follow_up_is_on_the_hospitals_worklist_once_the_patient_left(
    drafted, ous_clinician, frogner_nurse, signed_before_discharge
):
    complete(drafted, frogner_nurse)
    if signed_before_discharge:
        actions.sign(drafted, actor=ous_clinician)
        actions.sign(drafted, actor=frogner_nurse)
    assert not Deadline.objects.filter(duty="ltmv-follow-up").exists()
    _discharged(drafted.stay, ous_clinician)
    if not signed_before_discharge:
        assert not Deadline.objects.filter(duty="ltmv-follow-up").exists()
        actions.sign(drafted, actor=ous_clinician)
        actions.sign(drafted, actor=frogner_nurse)
    follow_ups = [d for d in worklist(ous_clinician) if d.duty == "ltmv-follow-up"]
    assert sorted(d.due for d in follow_ups if d.due) == [
        at("2026-03-28 10:00") + datetime.timedelta(days=days) for days in (14, 90, 365)
    ]
    assert all(d.party == "hospital" and d.cites == ["000 10.0"] for d in follow_ups)
    assert not [d for d in worklist(frogner_nurse) if d.duty == "ltmv-follow-up"]
