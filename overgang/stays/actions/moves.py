"""Where the patient goes at discharge (O10, 000 9.3): a move into or out of an institution
changes where the patient lives, and, where the agreement says so, gives the party it names
the second-time training of staff on the patient's treatment aids."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from overgang.aids.models import Loan
from overgang.errors import InvalidInput
from overgang.organisations.models import INSTITUTIONS, Organisation
from overgang.patients import actions as patient_actions
from overgang.patients.models import Residence
from overgang.rules.clock import day_at
from overgang.rules.registry import second_training_for
from overgang.stays.access import holder_for
from overgang.stays.actions.deadlines import add_deadline
from overgang.stays.models import Deadline, Stay

HOME = "home"


def destination_of(key: str) -> Organisation | None:
    """The institution a discharge goes to, by key; None for home. Bad keys are 422."""
    if key == HOME:
        return None
    found = Organisation.objects.filter(key=key, kind__in=INSTITUTIONS).first()
    if found is None:
        raise InvalidInput({"destination": _("Choose home or an institution.")})
    return found


def move_at_discharge(
    stay: Stay, destination: str, *, actor: User, at: datetime.datetime
) -> Deadline | None:
    """Record where the patient goes. Call inside the discharge's transaction."""
    if not destination:
        return None
    patient = stay.patient
    to = destination_of(destination)
    left = patient.institution if patient.residence == Residence.INSTITUTION else None
    if (to is None and left is None) or (to is not None and left is not None and to.pk == left.pk):
        return None  # back where the patient came from
    move = "from-institution" if left is not None else "home-to-institution"
    patient_actions.update_patient(
        patient,
        actor=actor,
        reason=_("Discharged to a new place"),
        second_training=False,  # given below, on this stay
        residence=Residence.HOME if to is None else Residence.INSTITUTION,
        institution=to,
    )
    treated = Loan.objects.active().filter(
        patient=patient.pk, device__aid_type__category="treatment-aid"
    )
    rule = second_training_for(stay.agreement, move, on=day_at(at, stay.time_zone))
    if rule is None or not treated.exists():
        return None
    holder = left if rule.trainer == "institution-left" and left is not None else None
    return add_deadline(
        actor=actor,
        now=at,
        stay=stay,
        duty="second-training",
        party=rule.party,
        holder=holder or holder_for(stay, rule.party),
        due=at,
        rule=f"{stay.agreement}.second-training.{move}",
        cites=list(rule.cites),
        text=dict(rule.text),
    )
