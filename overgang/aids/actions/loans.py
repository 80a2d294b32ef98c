"""Loans: lending a device (or a set: a second unit, the parts of a therapy), handing over the
user manual, returning. The patient's agreement decides what may be lent and what a set
needs; a device is on loan to one patient at a time (O7)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.actions.catalogue import current_manual
from overgang.aids.actions.checks import installation_cleared, placed_at
from overgang.aids.actions.devices import _move, lock_devices
from overgang.aids.actions.returns import close_returned
from overgang.aids.cases import decide_for
from overgang.aids.models import AidType, Delivery, Device, Loan, LoanRole, Placement, UserManual
from overgang.aids.sets import role_in_set
from overgang.aids.states import DeviceStatus
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.models import INSTITUTIONS, Organisation
from overgang.patients.models import Patient
from overgang.rules.registry import RulesError

# The purposes a loan may name (need.purpose of the rules); blank: as requisitioned.
LOAN_PURPOSES = (
    "treatment",
    "rehabilitation",
    "specialised-rehabilitation",
    "lasting-function-loss",
    "temporary",
    "activity-outside-home",
)
HANDOVER_FIELDS = ("manual_handed_over", "manual", "instruction_given")


@dataclass(frozen=True)
class Where:
    """Where the lent devices will be: at home or in an institution, at an address."""

    placement: str
    institution: Organisation | None
    address: str


def _where(patient: Patient, placement: str, institution: Organisation | None) -> Where:
    if placement not in Placement.values:
        raise InvalidInput({"placement": _("Choose where the device will be.")})
    if placement == Placement.HOME:
        return Where(Placement.HOME, None, placed_at(patient, Placement.HOME))
    institution = institution or patient.institution
    if institution is None:
        raise InvalidInput({"institution": _("Choose the institution where the device will be.")})
    if institution.kind not in INSTITUTIONS:
        raise InvalidInput(
            {"institution": _("%(name)s is not an institution.") % {"name": institution}}
        )
    return Where(Placement.INSTITUTION, institution, placed_at(patient, placement, institution))


def _therapy(therapy: str, device: Device) -> AidType | None:
    if not therapy:
        return None
    kind = AidType.objects.filter(slug=therapy).first()
    if kind is None or not kind.is_therapy:
        raise InvalidInput({"therapy": _("Unknown therapy: %(slug)s.") % {"slug": therapy}})
    if device.aid_type.slug not in kind.parts:
        raise InvalidInput(
            {
                "therapy": _("A %(aid)s is not part of %(therapy)s.")
                % {"aid": device.aid_type.name, "therapy": kind.name}
            }
        )
    return kind


def _objections(
    patient: Patient, kinds: Iterable[AidType], where: Where, purpose: str
) -> list[str]:
    """What the patient's agreement says against lending these kinds: not lent at all (N9),
    or not before the electrical installation is checked (O4, U4: only where the
    agreement has such a rule, and citing that rule's routine)."""
    found: list[str] = []
    for kind in kinds:
        decision = decide_for(patient, kind.slug, placement=where.placement, purpose=purpose)
        if decision is None:
            continue  # no agreement covers the address: nothing to refuse by
        if not decision["lendable"]:
            found += decision["reasons"]
        elif decision["electrical_check_required"] and not installation_cleared(
            patient, where.address
        ):
            found.append(_unchecked(where.address, kind, decision["electrical_check_cites"]))
    return found


def _unchecked(address: str, kind: AidType, cites: Sequence[str]) -> str:
    """The refusal for an unchecked installation, citing the sections of the patient's own
    routine that asked for the check (every rule cites at least one), never another's."""
    return _(
        "The electrical installation at %(address)s must be checked and passed before a "
        "%(aid)s is placed there (%(cites)s)."
    ) % {"address": address, "aid": kind.name, "cites": ", ".join(cites)}


def _spares(patient: Patient, devices: Sequence[tuple[Device, str]], where: Where) -> list[str]:
    """A device of a kind the patient already has (or a second unit the agreement does not
    lend) is a spare: lent only where the agreement lends spares (N9: "no two of each")."""
    kinds = {device.aid_type for device, role in devices if role != LoanRole.PART}
    refusals = {}
    for kind in kinds:
        spare = decide_for(patient, kind.slug, placement=where.placement, purpose="spare")
        if spare is not None and not spare["lendable"]:
            refusals[kind] = spare["reasons"]
    if not refusals:
        return []  # the agreement lends spares: no need to look at what the patient holds
    # Lock the patient: two clerks lending two wheelchairs to one patient at the same moment
    # must not both find that the patient has none. (Devices are locked first, the patient
    # last, everywhere.)
    Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk").first()
    held = set(
        Loan.objects.active()
        .filter(patient=patient, device__aid_type__in=[k.pk for k in refusals])
        .values_list("device__aid_type", flat=True)
    )
    doubled = {device.aid_type for device, role in devices if role == LoanRole.SECOND_UNIT}
    found: list[str] = []
    for kind, reasons in refusals.items():
        if kind.pk in held:
            found += reasons
        elif kind in doubled:
            decision = decide_for(patient, kind.slug, placement=where.placement)
            if decision is None or decision["units"] < 2:
                found += reasons  # a second unit the agreement does not lend (O5 says two)
    return found


def _manuals(kinds: Iterable[AidType], patient: Patient) -> dict[int, UserManual]:
    """The manual of each kind handed over under the patient's agreement; InvalidInput
    naming the kinds that have none."""
    try:
        agreement = patient.agreement_today().id
    except RulesError:
        agreement = ""  # no agreement covers the address: the common manual
    manuals = {}
    lacking = []
    for kind in kinds:
        manual = current_manual(kind, agreement)
        if manual is None:
            lacking.append(kind.name)
        else:
            manuals[kind.pk] = manual
    if lacking:
        raise InvalidInput(
            {
                "manual_handed_over": _(
                    "There is no user manual for %(aids)s in the catalogue. Add it there, then "
                    "hand it over with the device (a manual follows every aid)."
                )
                % {"aids": ", ".join(lacking)}
            }
        )
    return manuals


def _ensure_lendable(device: Device, *, reserved: bool = False) -> None:
    if device.status == DeviceStatus.RESERVED and not reserved:
        # Reserved for a granted requisition: lent only through it (requisitions.deliver).
        raise Conflict(
            _("The device %(serial)s is reserved for another patient.") % {"serial": device.serial}
        )
    if device.status not in DeviceStatus.LENDABLE:
        raise Conflict(
            _("The device %(serial)s is %(status)s, not available for a loan.")
            % {"serial": device.serial, "status": device.get_status_display()}
        )


def _roles(main: Device, therapy: AidType | None, companions: Sequence[Device]) -> list[str]:
    roles = []
    for companion in companions:
        role = role_in_set(main.aid_type, therapy, companion.aid_type)
        if role is None:
            raise InvalidInput(
                {
                    "companions": _("%(serial)s (%(aid)s) does not go with a %(main)s.")
                    % {
                        "serial": companion.serial,
                        "aid": companion.aid_type.name,
                        "main": main.aid_type.name,
                    }
                }
            )
        roles.append(role)
    return roles


def _create(
    device: Device,
    patient: Patient,
    *,
    actor: User,
    where: Where,
    role: str,
    main: Loan | None,
    manual: UserManual | None,
    **fields: object,
) -> Loan:
    try:
        loan = Loan.objects.create(
            device=device,
            patient=patient,
            main=main,
            role=role,
            placement=where.placement,
            institution=where.institution,
            address=where.address,
            manual=manual,
            manual_handed_over=manual is not None,
            lent_by=actor,
            **fields,
        )
    except IntegrityError:
        # The row lock and the status check keep this from happening; the constraint is
        # the last guard, and the whole lending is rolled back.
        raise Conflict(_("The device is already on loan.")) from None
    _move(
        device, DeviceStatus.ON_LOAN, actor=actor, details={"loan": loan.pk, "patient": patient.pk}
    )
    return loan


def lend_device(
    device: Device,
    patient: Patient,
    *,
    actor: User,
    placement: str = Placement.HOME,
    institution: Organisation | None = None,
    expected_end: datetime.date | None = None,
    manual_handed_over: bool = False,
    instruction_given: bool = False,
    delivery: str = Delivery.FETCHED,
    purpose: str = "",
    therapy: str = "",
    companions: Sequence[Device] = (),
    reserved: bool = False,
) -> Loan:
    """Lend an available device to a patient, with the devices that go with it: a second
    unit of a life-sustaining aid (O5), the other parts of a therapy (long-term oxygen).
    Of two clerks lending the same unit at the same moment, one gets the loan and the
    other a Conflict. A reserved device is lent only by the requisition that holds it
    (`reserved`). Returns the main loan."""
    errors: dict[str, str] = {}
    if delivery not in Delivery.values:
        errors["delivery"] = _("Choose how the device reaches the patient.")
    if purpose and purpose not in LOAN_PURPOSES:
        errors["purpose"] = _("Unknown purpose: %(purpose)s.") % {"purpose": purpose}
    if len({d.pk for d in (device, *companions)}) != 1 + len(companions):
        errors["companions"] = _("Each device can be lent once in a set.")
    if errors:
        raise InvalidInput(errors)
    where = _where(patient, placement, institution)
    fields = {
        "expected_end": expected_end,
        "instruction_given": instruction_given,
        "delivery": delivery,
        "purpose": purpose,
    }
    with transaction.atomic():
        device, *others = lock_devices([device, *companions])
        kind_of_therapy = _therapy(therapy, device)
        roles = _roles(device, kind_of_therapy, others)
        _ensure_lendable(device, reserved=reserved)
        for each in others:
            _ensure_lendable(each)
        kinds = {each.aid_type for each in (device, *others)}
        refusal = _objections(
            patient,
            sorted(kinds | ({kind_of_therapy} if kind_of_therapy else set()), key=str),
            where,
            purpose,
        )
        refusal += _spares(
            patient, [(device, LoanRole.MAIN), *zip(others, roles, strict=True)], where
        )
        if refusal:
            raise InvalidInput({"device": " ".join(refusal)})
        manuals = _manuals(kinds, patient) if manual_handed_over else {}
        main = _create(
            device,
            patient,
            actor=actor,
            where=where,
            role=LoanRole.MAIN,
            main=None,
            manual=manuals.get(device.aid_type_id),
            therapy=kind_of_therapy,
            **fields,
        )
        for other, role in zip(others, roles, strict=True):
            _create(
                other,
                patient,
                actor=actor,
                where=where,
                role=role,
                main=main,
                manual=manuals.get(other.aid_type_id),
                **fields,
            )
    return main


def lend_with(
    main: Loan,
    device: Device,
    *,
    actor: User,
    manual_handed_over: bool = False,
    instruction_given: bool = False,
) -> Loan:
    """Lend one more device with an active loan: the second unit, or a part of the therapy
    that was not at hand when the set was lent."""
    with transaction.atomic():
        main = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("device__aid_type", "therapy")
            .get(pk=main.pk)
        )
        if main.returned_at is not None:
            raise Conflict(_("This loan was already returned."))
        if main.main_id is not None:
            raise InvalidInput({"loan": _("Add devices to the set's first loan.")})
        (device,) = lock_devices([device])
        (role,) = _roles(main.device, main.therapy, [device])
        _ensure_lendable(device)
        where = Where(main.placement, main.institution, main.address)
        refusal = _objections(main.patient, [device.aid_type], where, main.purpose)
        refusal += _spares(main.patient, [(device, role)], where)
        if refusal:
            raise InvalidInput({"device": " ".join(refusal)})
        manuals = _manuals([device.aid_type], main.patient) if manual_handed_over else {}
        return _create(
            device,
            main.patient,
            actor=actor,
            where=where,
            role=role,
            main=main,
            manual=manuals.get(device.aid_type_id),
            expected_end=main.expected_end,
            instruction_given=instruction_given,
            delivery=main.delivery,
            purpose=main.purpose,
        )


def hand_over(
    loan: Loan,
    *,
    actor: User,
    manual_handed_over: bool | None = None,
    instruction_given: bool | None = None,
) -> Loan:
    """Record that the user manual went with the device (U7) and that instruction was given;
    either can be corrected back, with the change in the history."""
    with transaction.atomic():
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("device__aid_type")
            .get(pk=loan.pk)
        )
        if loan.returned_at is not None:
            raise Conflict(_("This loan was already returned."))
        before = snapshot(loan, HANDOVER_FIELDS)
        if manual_handed_over is True and not loan.manual_handed_over:
            loan.manual = _manuals([loan.device.aid_type], loan.patient)[loan.device.aid_type_id]
            loan.manual_handed_over = True
        elif manual_handed_over is False:
            loan.manual, loan.manual_handed_over = None, False
        if instruction_given is not None:
            loan.instruction_given = instruction_given
        loan.save(update_fields=list(HANDOVER_FIELDS))
        record_change(
            loan,
            actor=actor,
            action=ChangeAction.CHANGED,
            before=before,
            after=snapshot(loan, HANDOVER_FIELDS),
        )
    return loan


def return_loan(loan: Loan, *, actor: User, reason: str = "") -> Loan:
    """The device is back: the loan ends and the device waits for reprocessing (O7)."""
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise Conflict(_("This loan was already returned."))
        (device,) = lock_devices([loan.device])
        loan.returned_at = clock.now()
        loan.save(update_fields=["returned_at"])
        _move(device, DeviceStatus.RETURNED, actor=actor, reason=reason, details={"loan": loan.pk})
        if loan.main_id is None:
            _hand_on_the_set(loan, actor=actor)
        close_returned(loan, actor=actor)
    return loan


SET_FIELDS = ("main", "role", "therapy")


def _hand_on_the_set(returned: Loan, *, actor: User) -> None:
    """The set's first device is back while others are still out: the oldest of them leads
    the set from now on, so that the set can still be completed (a new second unit)."""
    rest = list(
        Loan.objects.select_for_update()
        .filter(main=returned, returned_at__isnull=True)
        .order_by("id")
    )
    if not rest:
        return
    leader, *others = rest
    save_changed(
        leader,
        SET_FIELDS,
        {"main": None, "role": LoanRole.MAIN, "therapy": returned.therapy},
        actor=actor,
    )
    for other in others:
        save_changed(other, SET_FIELDS, {"main": leader}, actor=actor)
