"""Requisitions of treatment aids (U1–U3): the only writers.

A requester asks; the patient's agreement says at once whether this requester may ask for
this aid (U2) and the refusal is never stored. The treatment-aids unit that serves the
patient's hospital assesses, grants or refuses with reasons; on granting it reserves a
device and plans the delivery (at discharge, or sent afterwards), and delivering lends it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids import actions as aids
from overgang.aids.cases import loan_case, routine_cites
from overgang.aids.models import AidType, Delivery, Device, DeviceStatus, Loan, Placement
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.i18n import LANGUAGES
from overgang.organisations.models import Kind, Organisation
from overgang.patients.models import Patient, Residence
from overgang.requisitions.models import (
    DeliveryPlan,
    Lymphoedema,
    Phase,
    RequesterRole,
    Requisition,
    RequisitionStatus,
    Route,
)
from overgang.rules import decide
from overgang.rules.appeals import appeal_route
from overgang.rules.clock import day_at
from overgang.rules.registry import RulesError, agreement_for_municipality, all_agreements
from overgang.stays import news
from overgang.stays.models import Need, NeedStatus, News, Stay
from overgang.stays.states import StayStatus

FIELDS = (
    "status",
    "assessment",
    "decision_reason",
    "decided_by",
    "decided_at",
    "delivery",
    "deliver_by",
    "device",
    "loan",
    "delivered_at",
    "reopened",
)
CREATED_FIELDS = (
    "patient",
    "route",
    "stay",
    "need",
    "aid_type",
    "justification",
    "phase",
    "lymphoedema",
    "requester_name",
    "requester_role",
    "department",
    "referred_by",
    "referred_on",
    "conferred_with",
    "conferred_at",
    "rule",
    "unit",
    "status",
)
# How a planned delivery is recorded on the loan.
LOAN_DELIVERY = {
    DeliveryPlan.AT_DISCHARGE: Delivery.HANDED_OUT,
    DeliveryPlan.HAND_OUT: Delivery.HANDED_OUT,
    DeliveryPlan.SEND: Delivery.SENT,
}
HOSPITAL_REQUESTERS = frozenset({Kind.HOSPITAL, Kind.DEPARTMENT, Kind.TRUST, Kind.REGION})


@dataclass(frozen=True)
class RequesterAnswer:
    """What the agreement says about this requester asking for this aid (U2)."""

    agreement: str
    country: str
    time_zone: str
    allowed: bool | None  # None: the agreement does not say
    rule: str
    reasons: dict[str, str]
    cites: list[str]
    needs: list[str]
    appeal: dict[str, Any]


def requester_answer(
    patient: Patient,
    kind: AidType,
    *,
    requester_role: str,
    phase: str,
    lymphoedema: str = "",
    on: datetime.date | None = None,
) -> RequesterAnswer:
    """Ask the patient's agreement whether `requester_role` may apply for `kind` (U2)."""
    on = on or clock.today_in(patient.municipality.country)
    agreement = agreement_for_municipality(patient.municipality.number, on=on)
    placement = (
        Placement.INSTITUTION if patient.residence == Residence.INSTITUTION else Placement.HOME
    )
    case = loan_case(patient, kind.slug, placement=placement)
    case["date"] = on.isoformat()
    case["need"] = {"phase": phase, "started_by": "specialist"}
    if lymphoedema:
        case["need"]["lymphoedema"] = lymphoedema
    case["requester"] = {"role": requester_role}
    answers = {language: decide(case, language=language) for language in LANGUAGES}
    said = answers["en"]["requisition"]
    return RequesterAnswer(
        agreement=agreement.id,
        country=agreement.country,
        time_zone=agreement.time_zone,
        allowed=None if said is None else said["allowed"],
        rule="" if said is None else said["rule"],
        reasons={
            language: (a["requisition"] or {}).get("reason", "") for language, a in answers.items()
        },
        cites=[] if said is None else said["cites"],
        needs=[] if said is None else said.get("needs", []),
        appeal=appeal_route(answers["en"]["appeal"], agreement.country),
    )


def existing_loans(patient: Patient, kind: AidType) -> QuerySet[Loan]:
    """The patient's active loans of this kind of aid (or of a part of it), shown to the
    requester before asking for another."""
    return loans_of_kind(patient.pk, kind.pk, kind.parts).select_related(
        "device__aid_type", "device__owner"
    )


def loans_of_kind(patient_id: int, kind_id: int, parts: Sequence[str]) -> QuerySet[Loan]:
    """`existing_loans` by the ids at hand, for a reader that needs no patient or aid type
    instance (the API reads a requisition's columns, not the requisition)."""
    return (
        Loan.objects.active()
        .filter(patient=patient_id)
        .filter(
            Q(device__aid_type=kind_id) | Q(therapy=kind_id) | Q(device__aid_type__slug__in=parts)
        )
        .order_by("started_at")
    )


def processing_unit(trust: Organisation | None, agreement_id: str) -> Organisation | None:
    """The treatment-aids unit that assesses for this hospital: its own, or the unit the
    agreement names outside it (St. Olavs' regional unit for HNT)."""
    if trust is not None:
        own = Organisation.objects.filter(kind=Kind.AIDS_UNIT, parent=trust).first()
        if own is not None:
            return own
    from overgang.rules.registry import agreement_by_id

    agreement = agreement_by_id(agreement_id, on=_today_of(agreement_id))
    if agreement.aids_units:
        return Organisation.objects.filter(key=agreement.aids_units[0]).first()
    return None


def _cited(reason: str, cites: Sequence[str]) -> str:
    return f"{reason} ({', '.join(cites)})" if cites else reason


@dataclass(frozen=True)
class RequisitionInput:
    """What a requester fills in to requisition a treatment aid (U1), before any check."""

    patient: Patient
    aid_type: str
    justification: str
    requester_role: str
    requester_name: str
    department: Organisation | None
    route: str
    stay: Stay | None = None
    need: Need | None = None
    phase: str = ""
    lymphoedema: str = ""
    referred_by: str = ""
    referred_on: datetime.date | None = None
    conferred_with: str = ""
    conferred_at: datetime.datetime | None = None

    @property
    def treatment_phase(self) -> str:
        """The phase as given, or the one the route implies when none is given."""
        if self.phase:
            return self.phase
        return Phase.INPATIENT if self.route == Route.INPATIENT else Phase.OUTPATIENT


def submit_requisition(submission: RequisitionInput, *, actor: User) -> Requisition:
    """Register a requisition, if the agreement lets this requester ask for this aid."""
    kind, department = _checked_fields(submission)
    answer = _allowed_answer(submission, kind)
    _check_conference(submission, answer)
    unit = _serving_unit(submission, department, answer)
    stay = submission.stay
    if stay is None and submission.route == Route.OUTPATIENT:
        # U1's outpatient route: the requisition goes with the patient's open outpatient
        # episode, where there is one, and shows on its page.
        stay = open_episode(submission.patient)
    with transaction.atomic():
        requisition = Requisition.objects.create(
            patient=submission.patient,
            route=submission.route,
            stay=stay,
            need=submission.need,
            aid_type=kind,
            justification=submission.justification.strip(),
            phase=submission.treatment_phase,
            lymphoedema=submission.lymphoedema,
            requester_name=submission.requester_name.strip(),
            requester_role=submission.requester_role,
            department=department,
            referred_by=submission.referred_by.strip(),
            referred_on=submission.referred_on,
            conferred_with=submission.conferred_with.strip(),
            conferred_at=submission.conferred_at,
            agreement=answer.agreement,
            country=answer.country,
            time_zone=answer.time_zone,
            rule=answer.rule,
            reasons=answer.reasons,
            cites=answer.cites,
            appeal_route=answer.appeal,
            unit=unit,
            submitted_by=actor,
        )
        record_change(
            requisition,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(requisition, CREATED_FIELDS),
        )
    return requisition


# The steps of submit_requisition, in the order a requester meets them: first every field on
# its own (all problems reported together), then the agreement's answer, then the conference
# it may ask for, then the unit that will assess.


def _checked_fields(submission: RequisitionInput) -> tuple[AidType, Organisation]:
    """The aid type and department, once every field holds; else all field problems at once."""
    kind = AidType.objects.filter(slug=submission.aid_type).first()
    errors = {
        **_aid_type_problem(kind, submission.aid_type),
        **_justification_problem(submission),
        **_requester_role_problem(submission),
        **_requester_name_problem(submission),
        **_department_problem(submission),
        **_route_problem(submission),
        **_phase_problem(submission),
        **_lymphoedema_problem(submission),
        **_need_problem(submission),
    }
    if errors or kind is None or submission.department is None:
        raise InvalidInput(errors)
    return kind, submission.department


def _aid_type_problem(kind: AidType | None, slug: str) -> dict[str, str]:
    if not slug:
        return {"aid_type": _("Choose the aid.")}
    if kind is None:
        return {"aid_type": _("Unknown aid type: %(slug)s.") % {"slug": slug}}
    if kind.category != "treatment-aid":
        return {
            "aid_type": _(
                "%(aid)s is not a treatment aid: the municipality provides it (or applies to NAV)."
            )
            % {"aid": kind.name}
        }
    return {}


def _justification_problem(submission: RequisitionInput) -> dict[str, str]:
    if not submission.justification.strip():
        return {"justification": _("Give the clinical justification.")}
    return {}


def _requester_role_problem(submission: RequisitionInput) -> dict[str, str]:
    if submission.requester_role not in RequesterRole.values:
        return {"requester_role": _("Say in which role the requester asks.")}
    return {}


def _requester_name_problem(submission: RequisitionInput) -> dict[str, str]:
    if not submission.requester_name.strip():
        return {"requester_name": _("Name the person who requisitions.")}
    return {}


def _department_problem(submission: RequisitionInput) -> dict[str, str]:
    """A department is named, and a specialist asks from the hospital side."""
    department = submission.department
    if department is None:
        return {"department": _("Choose the department or practice that requisitions.")}
    if (
        submission.requester_role == RequesterRole.SPECIALIST
        and department.kind not in HOSPITAL_REQUESTERS
    ):
        return {
            "requester_role": _(
                "A specialist physician requisitions from a hospital department, not from "
                "%(place)s."
            )
            % {"place": department.name}
        }
    return {}


def _route_problem(submission: RequisitionInput) -> dict[str, str]:
    """A known route; inpatient with an open stay of the patient, outpatient without a stay
    and, from a specialist, with the referring GP."""
    if submission.route not in Route.values:
        return {"route": _("Choose the route: inpatient or outpatient.")}
    if submission.route == Route.INPATIENT:
        return _inpatient_stay_problem(submission)
    if submission.stay is not None and not _is_open_episode_of(submission.stay, submission):
        return {
            "stay": _(
                "An outpatient requisition belongs to no stay, or to an open outpatient "
                "episode of the patient."
            )
        }
    return _referral_problem(submission)


def _is_open_episode_of(stay: Stay, submission: RequisitionInput) -> bool:
    return (
        stay.is_outpatient
        and stay.patient_id == submission.patient.pk
        and stay.status in StayStatus.OPEN
    )


def open_episode(patient: Patient) -> Stay | None:
    """The patient's open outpatient episode, which an outpatient requisition follows (U1's
    outpatient route); None when the patient has none."""
    return (
        Stay.objects.filter(patient=patient, admission="outpatient", ended_at__isnull=True)
        .order_by("-admitted_at")
        .first()
    )


def _inpatient_stay_problem(submission: RequisitionInput) -> dict[str, str]:
    stay = submission.stay
    if stay is None:
        return {"stay": _("An inpatient requisition belongs to the patient's stay.")}
    if stay.patient_id != submission.patient.pk or stay.status not in StayStatus.OPEN:
        return {"stay": _("That is not an open stay of this patient.")}
    if stay.is_outpatient:
        return {"route": _("The patient is on an outpatient episode: choose the outpatient route.")}
    return {}


def _referral_problem(submission: RequisitionInput) -> dict[str, str]:
    specialist = submission.requester_role in (
        RequesterRole.SPECIALIST,
        RequesterRole.PRIVATE_SPECIALIST,
    )
    if not specialist or submission.referred_by.strip():
        return {}
    cites = routine_cites(submission.patient, "outpatient_referral")
    if not cites:
        return {
            "referred_by": _(
                "Name the GP who referred the patient to the specialist service (the "
                "patient's agreement names no routine for this)."
            )
        }
    return {
        "referred_by": _(
            "Name the GP who referred the patient to the specialist service (%(cites)s)."
        )
        % {"cites": ", ".join(cites)}
    }


def _phase_problem(submission: RequisitionInput) -> dict[str, str]:
    phase = submission.treatment_phase
    if phase not in Phase.values:
        return {"phase": _("Unknown phase of treatment: %(phase)s.") % {"phase": phase}}
    return {}


def _lymphoedema_problem(submission: RequisitionInput) -> dict[str, str]:
    if submission.lymphoedema not in Lymphoedema.values:
        return {"lymphoedema": _("Lymphoedema is primary or secondary.")}
    return {}


def _need_problem(submission: RequisitionInput) -> dict[str, str]:
    need, stay = submission.need, submission.stay
    if need is not None and (stay is None or need.stay_id != stay.pk):
        return {"need": _("That need belongs to another stay.")}
    return {}


def _allowed_answer(submission: RequisitionInput, kind: AidType) -> RequesterAnswer:
    """The agreement's answer (U2), if it lets this requester ask; else why not."""
    role = submission.requester_role
    try:
        answer = requester_answer(
            submission.patient,
            kind,
            requester_role=role,
            phase=submission.treatment_phase,
            lymphoedema=submission.lymphoedema,
        )
    except RulesError as error:
        raise InvalidInput({"patient": str(error)}) from None
    if answer.allowed is None:
        raise InvalidInput(
            {
                "requester_role": _(
                    "The agreement does not say that a %(role)s may apply for %(aid)s."
                )
                % {"role": RequesterRole(role).label, "aid": kind.name}
            }
        )
    if not answer.allowed:
        reason = answer.reasons.get(_language(), "") or answer.reasons["en"]
        raise InvalidInput({"requester_role": _cited(reason, answer.cites)})
    return answer


def _check_conference(submission: RequisitionInput, answer: RequesterAnswer) -> None:
    """When the agreement asks for a conference with the specialist service, it is recorded:
    with whom, and when (not in the future)."""
    if "specialist-conference" not in answer.needs:
        return
    missing: dict[str, str] = {}
    if not submission.conferred_with.strip():
        missing["conferred_with"] = _(
            "Record with whom in the specialist service the treatment was conferred (%(cites)s)."
        ) % {"cites": ", ".join(answer.cites)}
    conferred_at = submission.conferred_at
    if conferred_at is None:
        missing["conferred_at"] = _("Record when the conference took place.")
    elif conferred_at > clock.now():
        missing["conferred_at"] = _("The conference cannot be in the future.")
    if missing:
        raise InvalidInput(missing)


def _serving_unit(
    submission: RequisitionInput, department: Organisation, answer: RequesterAnswer
) -> Organisation:
    """The treatment-aids unit that assesses: the stay's hospital's, or else the one serving
    the requesting department's trust (or the patient's responsible hospital)."""
    stay = submission.stay
    trust = (
        stay.trust
        if stay is not None
        else department.nearest(Kind.TRUST, Kind.REGION) or submission.patient.responsible_hospital
    )
    unit = processing_unit(trust, answer.agreement)
    if unit is None:
        raise InvalidInput(
            {"department": _("No treatment-aids unit serves %(trust)s.") % {"trust": trust}}
        )
    return unit


def appeal_for(requisition: Requisition) -> dict[str, Any]:
    """Where this requisition's refusal is appealed, and the decision's legal basis."""
    return requisition.appeal_route or appeal_route(None, requisition.country)


def _language() -> str:
    from overgang.i18n import current_language

    return current_language("en")


def _locked(requisition: Requisition) -> Requisition:
    return (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("aid_type", "patient", "stay")
        .get(pk=requisition.pk)
    )


def _move(
    requisition: Requisition,
    new: str,
    *,
    actor: User,
    values: dict[str, Any] | None = None,
    reason: str = "",
) -> Requisition:
    """Change a locked requisition's status (and fields) with its history row."""
    old = requisition.status
    if not RequisitionStatus.may_move(old, new):
        raise Conflict(
            _("This requisition is %(old)s and cannot become %(new)s.")
            % {"old": requisition.get_status_display(), "new": RequisitionStatus(new).label}
        )
    return save_changed(
        requisition, FIELDS, {"status": new, **(values or {})}, actor=actor, reason=reason
    )


def start_assessment(requisition: Requisition, *, actor: User, note: str = "") -> Requisition:
    """The unit takes the requisition up, so two clerks do not assess it twice."""
    with transaction.atomic():
        requisition = _locked(requisition)
        return _move(
            requisition,
            RequisitionStatus.ASSESSING,
            actor=actor,
            values={"assessment": note.strip() or requisition.assessment},
        )


def _default_deliver_by(requisition: Requisition) -> datetime.date | None:
    stay = requisition.stay
    if stay is None or stay.expected_discharge is None:
        return None
    expected = day_at(stay.expected_discharge, requisition.time_zone)
    # A stay already past its expected discharge gets no date in the past: deliver now.
    return max(expected, clock.today(requisition.time_zone))


def _today_of(agreement_id: str) -> datetime.date:
    """Today on the clock of the agreement with this id (every version keeps one zone)."""
    versions = [a for a in all_agreements() if a.id == agreement_id]
    return clock.today(versions[0].time_zone) if versions else clock.today()


def _check_device(requisition: Requisition, device: Device) -> None:
    kind = requisition.aid_type
    if device.owner_id != requisition.unit_id:
        raise InvalidInput(
            {
                "device": _("%(serial)s belongs to %(owner)s, not to %(unit)s.")
                % {"serial": device.serial, "owner": device.owner, "unit": requisition.unit}
            }
        )
    if device.aid_type_id != kind.pk and device.aid_type.slug not in kind.parts:
        raise InvalidInput(
            {"device": _("%(serial)s is not a %(aid)s.") % {"serial": device.serial, "aid": kind}}
        )


def _reserve(requisition: Requisition, device: Device, *, actor: User) -> Device:
    _check_device(requisition, device)
    (locked,) = aids.lock_devices([device])
    if locked.status != DeviceStatus.AVAILABLE:
        raise Conflict(
            _("%(serial)s cannot be reserved: it is %(status)s.")
            % {"serial": locked.serial, "status": locked.get_status_display()}
        )
    return aids.reserve_device(
        locked,
        actor=actor,
        reason=_("Reserved for requisition %(number)s.") % {"number": requisition.pk},
        details={"requisition": requisition.pk, "patient": requisition.patient_id},
    )


def decide_requisition(
    requisition: Requisition,
    *,
    actor: User,
    approved: bool,
    reason: str,
    delivery: str = "",
    deliver_by: datetime.date | None = None,
    device: Device | None = None,
) -> Requisition:
    """Grant or refuse (U1). A refusal needs its reason; a grant plans the delivery and, given
    a device, reserves it for the patient."""
    if approved:
        errors = _grant_problems(requisition, delivery=delivery, deliver_by=deliver_by)
    else:
        errors = _refusal_problems(reason=reason, device=device)
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            requisition = _locked(requisition)
            _check_to_decide(requisition)
            values: dict[str, Any] = {
                "decision_reason": reason.strip(),
                "decided_by": actor,
                "decided_at": clock.now(),
            }
            if approved:
                values.update(_delivery_plan(requisition, delivery=delivery, deliver_by=deliver_by))
                if device is not None:
                    values["device"] = _reserve(requisition, device, actor=actor)
            decided = _move(
                requisition,
                RequisitionStatus.GRANTED if approved else RequisitionStatus.REFUSED,
                actor=actor,
                values=values,
                reason=reason.strip(),
            )
            news.tell(
                News.REQUISITION_DECIDED,
                to=decided.department,
                patient=decided.patient,
                link=reverse("requisition-detail", args=[decided.pk]),
            )
            return decided
    except IntegrityError:
        raise Conflict(_("That device is reserved for another requisition.")) from None


def _refusal_problems(*, reason: str, device: Device | None) -> dict[str, str]:
    """A refusal says why (the patient reads it) and reserves nothing."""
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the refusal; the patient reads it.")
    if device is not None:
        errors["device"] = _("A refused requisition reserves no device.")
    return errors


def _grant_problems(
    requisition: Requisition, *, delivery: str, deliver_by: datetime.date | None
) -> dict[str, str]:
    """A grant's delivery is a known plan (at discharge only for an inpatient), by a date
    that has not passed."""
    errors: dict[str, str] = {}
    if delivery and delivery not in DeliveryPlan.values:
        errors["delivery"] = _("Choose how the aid reaches the patient.")
    elif delivery == DeliveryPlan.AT_DISCHARGE and requisition.route != Route.INPATIENT:
        errors["delivery"] = _("Only an inpatient gets the aid at discharge.")
    if deliver_by is not None and deliver_by < clock.today(requisition.time_zone):
        errors["deliver_by"] = _("The delivery date has passed.")
    return errors


def _check_to_decide(requisition: Requisition) -> None:
    if requisition.status not in RequisitionStatus.TO_DECIDE:
        raise Conflict(
            _("This requisition is %(status)s already.")
            % {"status": requisition.get_status_display()}
        )


def _delivery_plan(
    requisition: Requisition, *, delivery: str, deliver_by: datetime.date | None
) -> dict[str, Any]:
    """How and by when a granted aid reaches the patient: as asked, or by default at
    discharge for an inpatient and sent for an outpatient, by the default date."""
    default = (
        DeliveryPlan.AT_DISCHARGE if requisition.route == Route.INPATIENT else DeliveryPlan.SEND
    )
    return {
        "delivery": delivery or default,
        "deliver_by": deliver_by or _default_deliver_by(requisition),
    }


def reserve_for(requisition: Requisition, device: Device, *, actor: User) -> Requisition:
    """Reserve (or change) the device a granted requisition will deliver."""
    try:
        with transaction.atomic():
            requisition = _locked(requisition)
            if requisition.status != RequisitionStatus.GRANTED:
                raise Conflict(
                    _("Only a granted requisition reserves a device; this one is %(status)s.")
                    % {"status": requisition.get_status_display()}
                )
            if requisition.device_id == device.pk:
                return requisition
            if requisition.device is not None:
                aids.release_device(
                    requisition.device, actor=actor, reason=_("Another device was reserved.")
                )
            reserved = _reserve(requisition, device, actor=actor)
            return save_changed(requisition, FIELDS, {"device": reserved}, actor=actor)
    except IntegrityError:
        raise Conflict(_("That device is reserved for another requisition.")) from None


def deliver(
    requisition: Requisition,
    *,
    actor: User,
    companions: Sequence[Device] = (),
    manual_handed_over: bool = False,
    instruction_given: bool = False,
) -> Requisition:
    """The reserved device reaches the patient as planned: it is lent, and the stay's need
    for it (if the requisition answers one) is met."""
    from overgang.stays.actions.needs import link_loan

    with transaction.atomic():
        requisition = _locked(requisition)
        if requisition.status != RequisitionStatus.GRANTED:
            raise Conflict(
                _("Only a granted requisition is delivered; this one is %(status)s.")
                % {"status": requisition.get_status_display()}
            )
        if requisition.device is None:
            raise InvalidInput({"device": _("Reserve a device before delivering.")})
        patient = requisition.patient
        institution = patient.institution if patient.residence == Residence.INSTITUTION else None
        kind = requisition.aid_type
        loan = aids.lend_device(
            requisition.device,
            patient,
            actor=actor,
            placement=Placement.INSTITUTION if institution else Placement.HOME,
            institution=institution,
            delivery=LOAN_DELIVERY[DeliveryPlan(requisition.delivery)],
            therapy=kind.slug if kind.is_therapy else "",
            companions=companions,
            manual_handed_over=manual_handed_over,
            instruction_given=instruction_given,
            reserved=True,
        )
        requisition = _move(
            requisition,
            RequisitionStatus.DELIVERED,
            actor=actor,
            values={"loan": loan, "delivered_at": loan.started_at},
        )
        need = requisition.need
        if need is not None and need.status == NeedStatus.OPEN and need.loan_id is None:
            link_loan(need, loan, actor=actor)
    return requisition


def withdraw_requisition(requisition: Requisition, *, actor: User, reason: str) -> Requisition:
    """The requisition is no longer wanted; a reserved device is free again."""
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the requisition is withdrawn.")})
    with transaction.atomic():
        requisition = _locked(requisition)
        if requisition.device is not None and requisition.status == RequisitionStatus.GRANTED:
            aids.release_device(requisition.device, actor=actor, reason=reason.strip())
        return _move(requisition, RequisitionStatus.WITHDRAWN, actor=actor, reason=reason.strip())


def reopen(requisition: Requisition, *, actor: User, reason: str) -> Requisition:
    """An appeal succeeded: the refused requisition is back in the unit's queue (U3)."""
    with transaction.atomic():
        requisition = _locked(requisition)
        return _move(
            requisition,
            RequisitionStatus.SUBMITTED,
            actor=actor,
            values={
                "reopened": requisition.reopened + 1,
                "decided_by": None,
                "decided_at": None,
            },
            reason=reason,
        )
