"""Second-time training when a patient moves outside a stay (O10, 000 9.3).

"Sykehjem og andre institusjoner vil ha ansvar for 2. gangsopplæring av personell ift
behandlingshjelpemidler, ved flytting til annen institusjon, hjem til eget hjem mv.
Kommunen har ansvar for 2. gangsopplæring av personell ved flytting fra eget hjem til
sykehjem eller annen institusjon."

A change of residence on the patient's record (home <-> institution, or one institution to
another) gives the party the agreement names a task to train the staff again, on the
patient's latest stay, when the patient has aids they were trained on or treatment aids
lent. A move at discharge is the discharge's own (stays.actions.moves)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q

from overgang import clock
from overgang.aids.models import Loan
from overgang.patients.models import Patient, Residence
from overgang.rules.registry import RulesError, second_training_for
from overgang.stays.access import holder_for
from overgang.stays.actions.deadlines import add_deadline
from overgang.stays.models import Deadline, Stay, Training


def move_of(residence_before: str, institution_before: int | None, patient: Patient) -> str | None:
    """The kind of move the agreement knows, or None for no move it speaks of."""
    if residence_before == Residence.INSTITUTION and (
        patient.residence != Residence.INSTITUTION or patient.institution_id != institution_before
    ):
        return "from-institution"
    if residence_before != Residence.INSTITUTION and patient.residence == Residence.INSTITUTION:
        return "home-to-institution"
    return None


def trained_aids(patient: Patient) -> list[str]:
    """The aids lent to the patient now that needed training: treatment aids, and those the
    patient, relatives or staff were trained on during a stay."""
    trained = Training.objects.filter(stay__patient=patient).values("aid_type")
    return sorted(
        {
            name
            for name in Loan.objects.active()
            .filter(patient=patient.pk)
            .filter(Q(device__aid_type__category="treatment-aid") | Q(device__aid_type__in=trained))
            .values_list("device__aid_type__name_en", flat=True)
        }
    )


def retrain_after_move(
    patient: Patient,
    *,
    residence_before: str,
    institution_before: int | None,
    actor: User,
) -> Deadline | None:
    """Call inside the transaction that changed the patient."""
    move = move_of(residence_before, institution_before, patient)
    if move is None:
        return None
    stay = Stay.objects.filter(patient=patient).order_by("-admitted_at", "-pk").first()
    if stay is None or stay.is_open or not trained_aids(patient):
        # Without a stay there is no training on record; during a stay the discharge
        # decides where the patient goes and gives the task itself.
        return None
    now = clock.now()
    try:
        agreement = patient.agreement_today()
    except RulesError:
        return None
    rule = second_training_for(agreement.id, move, on=clock.today_in(patient.municipality.country))
    if rule is None:
        return None
    stay.patient = patient
    left = institution_before if move == "from-institution" else None
    holder = (
        left
        if rule.trainer == "institution-left" and left is not None
        else holder_for(stay, rule.party).pk
    )
    return add_deadline(
        actor=actor,
        now=now,
        stay=stay,
        duty="second-training",
        party=rule.party,
        holder_id=holder,
        due=now,
        rule=f"{agreement.id}.second-training.{move}",
        cites=list(rule.cites),
        text=dict(rule.text),
    )
