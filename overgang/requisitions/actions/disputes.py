"""Disputes about who pays or delivers (N13, 003 8): the only writers.

Registering a dispute names at once the party closest to the citizen, who delivers now;
the dispute starts at the lowest level (the hospital department's management and the
municipal allocation), may be escalated level by level, and ends with the settlement.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.models import AidType
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient
from overgang.requisitions.actions.dates import not_future
from overgang.requisitions.models import Dispute, Level, Payer, Question, Requisition
from overgang.requisitions.states import DisputeStatus
from overgang.rules.disputes import NoDisputeRoute, closest_party, next_level
from overgang.rules.registry import RulesError
from overgang.stays.states import StayStatus

FIELDS = (
    "question",
    "closest",
    "delivered_on",
    "delivery_note",
    "level",
    "status",
    "escalation_note",
    "payer",
    "settlement",
    "settled_on",
)


def raise_dispute(
    patient: Patient,
    *,
    actor: User,
    aid_type: str,
    question: str,
    description: str,
    hospital: Organisation | None,
    municipality: Organisation | None,
    requisition: Requisition | None = None,
) -> Dispute:
    """Register the disagreement; the party closest to the citizen delivers at once."""
    errors: dict[str, str] = {}
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        errors["aid_type"] = _("Unknown aid type: %(slug)s.") % {"slug": aid_type}
    if question not in Question.values:
        errors["question"] = _("Say what the disagreement is about: who pays or who delivers.")
    if not description.strip():
        errors["description"] = _("Describe the disagreement.")
    if hospital is None or not hospital.is_hospital_side:
        errors["hospital"] = _("Choose the hospital department in the dispute.")
    if municipality is None or not municipality.is_municipal_side:
        errors["municipality"] = _("Choose the municipal allocation in the dispute.")
    if requisition is not None and requisition.patient_id != patient.pk:
        errors["requisition"] = _("That requisition is another patient's.")
    if errors or kind is None or hospital is None or municipality is None:
        raise InvalidInput(errors)
    try:
        agreement = patient.agreement_today()
        in_hospital = patient.stays.filter(status__in=StayStatus.IN_HOSPITAL).exists()
        party, reasons, cites = closest_party(agreement.id, in_hospital=in_hospital)
    except NoDisputeRoute:
        raise InvalidInput(
            {
                "patient": _(
                    "The agreement for %(municipality)s names no procedure for disputes; "
                    "agree it directly with the other party."
                )
                % {"municipality": patient.municipality.name}
            }
        ) from None
    except RulesError as error:
        raise InvalidInput({"patient": str(error)}) from None
    with transaction.atomic():
        dispute = Dispute.objects.create(
            patient=patient,
            aid_type=kind,
            requisition=requisition,
            question=question,
            description=description.strip(),
            hospital=hospital,
            municipality=municipality,
            agreement=agreement.id,
            closest=party,
            closest_reasons=reasons,
            cites=cites,
            raised_by=actor,
        )
        record_change(
            dispute, actor=actor, action=ChangeAction.CREATED, after=snapshot(dispute, FIELDS)
        )
    return dispute


def _locked(dispute: Dispute) -> Dispute:
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.status == DisputeStatus.SETTLED:
        raise Conflict(_("This dispute is settled."))
    return dispute


def record_delivery(
    dispute: Dispute,
    *,
    actor: User,
    note: str,
    delivered_on: datetime.date | None = None,
) -> Dispute:
    """The closest party delivered to the citizen while the dispute goes on."""
    today = clock.today_in(dispute.municipality.country)
    delivered_on = delivered_on or today
    errors: dict[str, str] = {}
    if not note.strip():
        errors["delivery_note"] = _("Say what was delivered to the citizen.")
    not_future(delivered_on, "delivered_on", errors, today=today)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        dispute = _locked(dispute)
        return save_changed(
            dispute,
            FIELDS,
            {"delivered_on": delivered_on, "delivery_note": note.strip()},
            actor=actor,
        )


def escalate(dispute: Dispute, *, actor: User, note: str) -> Dispute:
    """Not settled at this level: on to the next one (contact committee, network group)."""
    if not note.strip():
        raise InvalidInput({"escalation_note": _("Say why the dispute is not settled here.")})
    with transaction.atomic():
        dispute = _locked(dispute)
        higher = next_level(dispute.agreement, dispute.level)
        if higher is None:
            raise Conflict(
                _("The dispute is at %(level)s already, the highest level.")
                % {"level": Level(dispute.level).label}
            )
        return save_changed(
            dispute,
            FIELDS,
            {"level": higher, "status": DisputeStatus.ESCALATED, "escalation_note": note.strip()},
            actor=actor,
            reason=note.strip(),
        )


def settle(
    dispute: Dispute,
    *,
    actor: User,
    payer: str,
    settlement: str,
    settled_on: datetime.date | None = None,
) -> Dispute:
    """The parties agree who pays (and how the one who delivered is compensated)."""
    today = clock.today_in(dispute.municipality.country)
    settled_on = settled_on or today
    errors: dict[str, str] = {}
    if payer not in Payer.values:
        errors["payer"] = _("Say who pays: the hospital, the municipality, or shared.")
    if not settlement.strip():
        errors["settlement"] = _("Write down what was agreed.")
    not_future(settled_on, "settled_on", errors, today=today)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        dispute = _locked(dispute)
        if dispute.delivered_on is None:
            raise Conflict(
                _("Record the delivery to the citizen first: the doubt must not delay it.")
            )
        return save_changed(
            dispute,
            FIELDS,
            {
                "status": DisputeStatus.SETTLED,
                "payer": payer,
                "settlement": settlement.strip(),
                "settled_on": settled_on,
            },
            actor=actor,
        )
