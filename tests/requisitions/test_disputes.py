"""Disputes about who pays or delivers (N13, 003 8): the party closest to the citizen
delivers at once; the dispute starts at the lowest level, escalates level by level, and is
settled only once the citizen has the aid."""

import pytest
from django.utils import timezone

from overgang.errors import Conflict, InvalidInput
from overgang.requisitions import actions
from overgang.requisitions.models import Dispute
from overgang.stays import actions as stays

pytestmark = pytest.mark.django_db


def raise_for(patient, actor, areas, **changed):
    fields = {
        "aid_type": "wrist-splint",
        "question": "who-pays",
        "description": "Hospitalet mener, skinnen er et hjælpemiddel; kommunen et redskab.",
        "hospital": areas["aauh-lunge"],
        "municipality": areas["aalborg-visitation"],
        **changed,
    }
    return actions.raise_dispute(patient, actor=actor, **fields)


def test_at_home_the_municipality_is_closest_and_delivers_at_once(
    aalborg_patient, aalborg_allocation, areas
):
    dispute = raise_for(aalborg_patient, aalborg_allocation, areas)
    assert (dispute.closest, dispute.level, dispute.status) == ("municipality", "lowest", "open")
    assert dispute.cites == ["003 8"] and "kommunen" in dispute.closest_reasons["da"]


def test_in_hospital_the_hospital_is_closest(aalborg_patient, aauh_physician, areas):
    stays.admit(
        aalborg_patient,
        actor=aauh_physician,
        unit=areas["aauh-lunge"],
        admission="emergency",
        admitted_at=timezone.now(),
    )
    assert raise_for(aalborg_patient, aauh_physician, areas).closest == "hospital"


def test_escalated_level_by_level_and_settled_after_delivery(
    aalborg_patient, aalborg_allocation, areas
):
    dispute = raise_for(aalborg_patient, aalborg_allocation, areas)
    with pytest.raises(InvalidInput):
        actions.escalate(dispute, actor=aalborg_allocation, note="")
    actions.escalate(dispute, actor=aalborg_allocation, note="Ikke enige på afdelingsniveau.")
    dispute = actions.escalate(dispute, actor=aalborg_allocation, note="Kontaktudvalget uenigt.")
    assert (dispute.level, dispute.status) == ("network-group", "escalated")
    with pytest.raises(Conflict):
        actions.escalate(dispute, actor=aalborg_allocation, note="Videre?")
    with pytest.raises(Conflict):  # the citizen must have the aid first
        actions.settle(dispute, actor=aalborg_allocation, payer="hospital", settlement="Regionen.")
    actions.record_dispute_delivery(dispute, actor=aalborg_allocation, note="Skinne udleveret.")
    settled = actions.settle(
        dispute, actor=aalborg_allocation, payer="hospital", settlement="Regionen refunderer."
    )
    assert (settled.status, settled.payer) == ("settled", "hospital")
    with pytest.raises(Conflict):
        actions.escalate(settled, actor=aalborg_allocation, note="Igen.")


def test_the_norwegian_agreements_name_no_dispute_procedure(
    tromso_patient, tromso_case_worker, areas
):
    with pytest.raises(InvalidInput) as refused:
        raise_for(
            tromso_patient,
            tromso_case_worker,
            areas,
            hospital=areas["unn-lunge"],
            municipality=areas["tromso-tildeling"],
        )
    assert "no procedure for disputes" in refused.value.errors["patient"]


def test_bad_input_names_the_fields_and_stores_nothing(aalborg_patient, aalborg_allocation, areas):
    with pytest.raises(InvalidInput) as bad:
        raise_for(
            aalborg_patient,
            aalborg_allocation,
            areas,
            question="who-knows",
            description=" ",
            hospital=areas["aalborg-visitation"],
        )
    assert {"question", "description", "hospital"} <= set(bad.value.errors)
    assert not Dispute.objects.exists()
