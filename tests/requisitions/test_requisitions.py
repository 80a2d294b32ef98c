"""Requisitions of treatment aids (U1–U3) through the one writer: who may ask is the
agreement's (U2), with its citation when refused; the unit decides with reasons, reserves a
device and delivers it; a refusal can be appealed and reopens when the appeal succeeds."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from overgang import clock
from overgang.aids import actions as aids
from overgang.aids.models import Device, Loan
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.requisitions import actions
from overgang.requisitions.models import Appeal, Requisition

pytestmark = pytest.mark.django_db


def test_a_specialist_requisitions_and_the_unit_serving_the_hospital_gets_it(requisition_of):
    requisition = requisition_of()
    assert requisition.status == "submitted"
    assert requisition.unit.key == "unn-bhm"
    assert (
        requisition.rule == "unn.requisition.specialist" and "001 Saksgang 2" in requisition.cites
    )
    assert requisition.appeal_route["body"] == "Statsforvalteren"
    history = ChangeRecord.objects.get(model="requisitions.requisition", action="created")
    assert history.changes["status"] == [None, "submitted"]


@pytest.mark.parametrize(
    ("role", "aid", "phase", "lymphoedema", "allowed", "cite"),
    [
        ("gp", "cpap", "", "", False, "001 Saksgang 3"),
        ("gp", "nebuliser", "", "", True, "001 Saksgang 3"),
        ("physiotherapist", "tens", "", "", True, "001 Saksgang 3"),
        ("physiotherapist", "cpap", "", "", False, "001 Saksgang 3"),
        ("lymphoedema-physiotherapist", "compression-garment", "", "primary", True, "001"),
        ("lymphoedema-physiotherapist", "compression-garment", "", "", False, "001"),
        ("private-specialist-with-agreement", "cpap", "", "", True, "001 Saksgang 3"),
        ("gp", "oxygen-concentrator", "outpatient", "", False, "001 Saksgang 3"),
    ],
)
def test_who_may_requisition_is_the_agreements(
    requisition_of, role, aid, phase, lymphoedema, allowed, cite
):
    fields = {"requester_role": role, "aid_type": aid, "phase": phase, "lymphoedema": lymphoedema}
    if allowed:
        requisition = requisition_of(**fields)
        assert requisition.status == "submitted" and any(
            c.startswith(cite) for c in requisition.cites
        )
    else:
        with pytest.raises(InvalidInput) as refused:
            requisition_of(**fields)
        assert cite in refused.value.errors["requester_role"]
        assert not Requisition.objects.exists()


def test_a_gps_palliative_oxygen_needs_the_conference_on_record(requisition_of):
    gp = {"requester_role": "gp", "phase": "palliative", "referred_by": ""}
    with pytest.raises(InvalidInput) as missing:
        requisition_of(**gp)
    assert set(missing.value.errors) == {"conferred_with", "conferred_at"}
    assert "001 Beskrivelse 9" in missing.value.errors["conferred_with"]
    conferred = timezone.now() - datetime.timedelta(hours=2)
    requisition = requisition_of(**gp, conferred_with="Overlege Lunge, UNN", conferred_at=conferred)
    assert requisition.rule == "unn.requisition.gp-palliative-oxygen"
    assert requisition.conferred_with == "Overlege Lunge, UNN"


def test_a_specialist_outpatient_requisition_names_the_referring_gp(requisition_of):
    with pytest.raises(InvalidInput) as missing:
        requisition_of(referred_by="")
    assert "001 Saksgang 2" in missing.value.errors["referred_by"]


def test_bad_input_names_each_field_and_stores_nothing(requisition_of):
    with pytest.raises(InvalidInput) as bad:
        requisition_of(
            aid_type="wheelchair", justification=" ", requester_role="nurse", route="by-post"
        )
    assert {"aid_type", "justification", "requester_role", "route"} <= set(bad.value.errors)
    assert "not a treatment aid" in bad.value.errors["aid_type"]
    assert not Requisition.objects.exists()


def test_a_specialist_requisitions_from_a_hospital_not_from_a_nursing_home(requisition_of, areas):
    with pytest.raises(InvalidInput) as bad:
        requisition_of(department=areas["tromso-kroken"])
    assert "hospital department" in bad.value.errors["requester_role"]


def test_danish_hospital_staff_ordain_and_the_regional_depot_decides(
    aalborg_patient, make_user, areas
):
    doctor = make_user("aauh-lege", ("aauh-lunge", "clinician"))
    requisition = actions.submit_requisition(
        actions.RequisitionInput(
            patient=aalborg_patient,
            aid_type="cpap",
            justification="Svær søvnapnø, AHI 42.",
            requester_role="specialist-physician",
            requester_name="Mette Læge",
            department=areas["aauh-lunge"],
            route="outpatient",
            referred_by="Egen læge Hans Hansen",
        ),
        actor=doctor,
    )
    assert requisition.unit.key == "rn-depot" and requisition.cites == ["003 1"]
    assert requisition.appeal_route["body"] == "Styrelsen for Patientklager"
    with pytest.raises(InvalidInput) as refused:
        actions.submit_requisition(
            actions.RequisitionInput(
                patient=aalborg_patient,
                aid_type="cpap",
                justification="Søvnapnø.",
                requester_role="gp",
                requester_name="Hans Hansen",
                department=areas["aauh-lunge"],
                route="outpatient",
            ),
            actor=doctor,
        )
    assert "003 2.4" in refused.value.errors["requester_role"]


def test_grant_reserves_the_device_and_delivery_lends_it(requisition_of, unn_unit, concentrator):
    requisition = requisition_of()
    actions.start_assessment(requisition, actor=unn_unit)
    granted = actions.decide_requisition(
        requisition,
        actor=unn_unit,
        approved=True,
        reason="Oppfyller kriteriene.",
        device=concentrator,
    )
    assert (granted.status, granted.delivery) == ("granted", "send")
    concentrator.refresh_from_db()
    assert concentrator.status == "reserved"
    with pytest.raises(Conflict):  # nobody else borrows the reserved device
        aids.lend_device(concentrator, requisition.patient, actor=unn_unit)
    delivered = actions.deliver(granted, actor=unn_unit, instruction_given=True)
    concentrator.refresh_from_db()
    loan = Loan.objects.get(device=concentrator)
    assert (delivered.status, delivered.loan, concentrator.status) == ("delivered", loan, "on-loan")
    assert loan.delivery == "sent" and loan.instruction_given


def test_a_refusal_needs_its_reason_and_a_decision_is_made_once(requisition_of, unn_unit):
    requisition = requisition_of()
    with pytest.raises(InvalidInput) as bad:
        actions.decide_requisition(requisition, actor=unn_unit, approved=False, reason="")
    assert "reason" in bad.value.errors
    requisition.refresh_from_db()
    assert requisition.status == "submitted"
    actions.decide_requisition(requisition, actor=unn_unit, approved=False, reason="pO2 8,5 kPa.")
    with pytest.raises(Conflict):
        actions.decide_requisition(requisition, actor=unn_unit, approved=True, reason="")


def test_a_device_reserved_for_one_requisition_is_not_reserved_for_another(
    requisition_of, unn_unit, concentrator, frogner_patient
):
    first, second = requisition_of(), requisition_of()
    actions.decide_requisition(first, actor=unn_unit, approved=True, reason="", device=concentrator)
    with pytest.raises(Conflict):
        actions.decide_requisition(
            second, actor=unn_unit, approved=True, reason="", device=concentrator
        )
    second.refresh_from_db()
    assert second.status == "submitted" and second.device is None


def test_withdrawing_a_granted_requisition_frees_its_device(requisition_of, unn_unit, concentrator):
    requisition = actions.decide_requisition(
        requisition_of(), actor=unn_unit, approved=True, reason="", device=concentrator
    )
    actions.withdraw_requisition(requisition, actor=unn_unit, reason="Pasienten døde.")
    assert Device.objects.get(pk=concentrator.pk).status == "available"


def test_an_upheld_appeal_reopens_the_requisition(requisition_of, unn_unit):
    requisition = actions.decide_requisition(
        requisition_of(), actor=unn_unit, approved=False, reason="pO2 over grensen."
    )
    appeal = actions.register_appeal(
        requisition,
        actor=unn_unit,
        appellant="relative",
        appellant_name="Siri Nordlys",
        grounds="Far blir andpusten ved minste anstrengelse.",
    )
    assert (appeal.status, appeal.body) == ("received", "Statsforvalteren")
    with pytest.raises(Conflict):  # only the appeal body dismisses
        actions.record_outcome(appeal, actor=unn_unit, upheld=False, outcome="Nei.")
    actions.forward_appeal(appeal, actor=unn_unit)
    actions.record_outcome(
        appeal, actor=unn_unit, upheld=True, outcome="Statsforvalteren opphever avslaget."
    )
    requisition.refresh_from_db()
    assert (requisition.status, requisition.reopened, requisition.decided_at) == (
        "submitted",
        1,
        None,
    )
    granted = actions.decide_requisition(
        requisition, actor=unn_unit, approved=True, reason="Ny vurdering."
    )
    assert granted.status == "granted"


def test_a_dismissed_appeal_leaves_the_refusal(requisition_of, unn_unit):
    requisition = actions.decide_requisition(
        requisition_of(), actor=unn_unit, approved=False, reason="Ikke indikasjon."
    )
    appeal = actions.register_appeal(
        requisition, actor=unn_unit, appellant="patient", grounds="Uenig."
    )
    with pytest.raises(Conflict):  # one open appeal at a time
        actions.register_appeal(requisition, actor=unn_unit, appellant="patient", grounds="Igjen.")
    actions.forward_appeal(appeal, actor=unn_unit)
    actions.record_outcome(appeal, actor=unn_unit, upheld=False, outcome="Avslaget står.")
    requisition.refresh_from_db()
    assert requisition.status == "refused"
    assert Appeal.objects.get().status == "dismissed"


def test_only_a_refusal_is_appealed_and_bad_appeals_change_nothing(requisition_of, unn_unit):
    requisition = requisition_of()
    with pytest.raises(Conflict):
        actions.register_appeal(requisition, actor=unn_unit, appellant="patient", grounds="x")
    refused = actions.decide_requisition(requisition, actor=unn_unit, approved=False, reason="Nei.")
    tomorrow = clock.today() + datetime.timedelta(days=1)
    with pytest.raises(InvalidInput) as bad:
        actions.register_appeal(
            refused, actor=unn_unit, appellant="guardian", grounds="", received_on=tomorrow
        )
    assert {"appellant_name", "grounds", "received_on"} <= set(bad.value.errors)
    assert not Appeal.objects.exists()


def test_an_appeal_dated_before_the_norwegian_day_of_the_decision_is_refused(
    requisition_of, unn_unit
):
    # 23:30 UTC on 31 January is already 1 February in Tromsø: the refusal is of 1 February.
    late_evening_utc = datetime.datetime(2027, 1, 31, 23, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        refused = actions.decide_requisition(
            requisition_of(), actor=unn_unit, approved=False, reason="Nei."
        )
        with pytest.raises(InvalidInput) as bad:
            actions.register_appeal(
                refused,
                actor=unn_unit,
                appellant="patient",
                grounds="Uenig.",
                received_on=datetime.date(2027, 1, 31),
            )
    assert set(bad.value.errors) == {"received_on"}
    assert not Appeal.objects.exists()


def test_the_existing_loans_of_the_same_kind_are_found(
    requisition_of, tromso_patient, unn_unit, concentrator
):
    aids.lend_device(concentrator, tromso_patient, actor=unn_unit)
    from overgang.aids.models import AidType

    kind = AidType.objects.get(slug="long-term-oxygen")  # a therapy: the concentrator is a part
    assert [loan.device.serial for loan in actions.existing_loans(tromso_patient, kind)] == [
        "UNN-OC-1"
    ]
    assert not actions.existing_loans(tromso_patient, AidType.objects.get(slug="cpap")).exists()


def test_an_oslo_outpatient_requisition_does_not_cite_unns_routine(
    requisition_of, frogner_patient, make_user, areas
):
    """Oslo's routine says nothing of the referring GP: the message says so, and never
    cites UNN's 001 Saksgang 2 to an Oslo patient."""
    physician = make_user("ous-lege", ("ous-lunge", "clinician"))
    with pytest.raises(InvalidInput) as missing:
        requisition_of(
            patient=frogner_patient,
            actor=physician,
            department=areas["ous-lunge"],
            aid_type="cpap",
            referred_by="",
        )
    message = missing.value.errors["referred_by"]
    assert "001 " not in message and "Saksgang" not in message
    assert "names no routine" in message
