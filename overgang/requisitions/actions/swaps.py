"""Swap reports (O3, 000 3.1).

An institution reports a resident who uses its own equipment for treatment started in
specialist care; the patient's agreement decides at once whether the hospital's equipment
replaces it, and the treatment-aids unit then lends it to the resident in the institution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids import actions as aids
from overgang.aids.cases import loan_case, routine_cites
from overgang.aids.models import AidType, Device, Loan, Placement
from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.i18n import LANGUAGES
from overgang.patients.models import Patient, Residence
from overgang.requisitions.access import HOSPITAL_LENDERS
from overgang.requisitions.models import OPEN_SWAPS, StartedBy, SwapReport, SwapStatus
from overgang.rules import decide
from overgang.rules.registry import RulesError

FIELDS = ("aid_type", "started_by", "documentation", "terminal", "swap", "status", "loan")


@dataclass(frozen=True)
class SwapDecision:
    swap: bool | None  # None: the agreement does not decide a swap for this case
    reasons: dict[str, str]  # the agreement's words, in nb, da and en
    cites: list[str]


def swap_decision(
    patient: Patient, aid_type: str, *, started_by: str, terminal: bool
) -> SwapDecision:
    """What the patient's agreement says about swapping to the hospital's equipment."""
    case = loan_case(patient, aid_type, placement=Placement.INSTITUTION)
    case["patient"]["terminal"] = terminal
    case["need"] = {
        "uses_institution_equipment": True,
        "treatment_started_in_specialist_care": started_by == StartedBy.SPECIALIST,
        "started_by": started_by,
    }
    try:
        answers = {language: decide(case, language=language) for language in LANGUAGES}
    except RulesError:
        return SwapDecision(None, {}, [])
    decision = answers["en"]
    return SwapDecision(
        decision["swap_to_hospital_equipment"],
        {language: a["swap_reason"] or "" for language, a in answers.items()},
        decision["swap_cites"],
    )


STATUS_OF = {True: SwapStatus.TO_SWAP, False: SwapStatus.NO_SWAP, None: SwapStatus.NOT_COVERED}


def report_swap(
    patient: Patient,
    *,
    actor: User,
    aid_type: str,
    started_by: str,
    documentation: str = "",
    terminal: bool = False,
) -> SwapReport:
    """The institution reports the resident; the agreement decides the swap at once."""
    errors: dict[str, str] = {}
    if patient.residence != Residence.INSTITUTION or patient.institution is None:
        errors["patient"] = _("%(name)s does not live in an institution.") % {"name": patient.name}
    kind = AidType.objects.filter(slug=aid_type).first()
    if kind is None:
        errors["aid_type"] = _("Unknown aid type: %(slug)s.") % {"slug": aid_type}
    if started_by not in StartedBy.values:
        errors["started_by"] = _("Say who started the treatment.")
    elif started_by == StartedBy.SPECIALIST and not documentation.strip():
        errors["documentation"] = _documentation_missing(patient)
    if errors or kind is None or patient.institution is None:
        raise InvalidInput(errors)
    decided = swap_decision(patient, kind.slug, started_by=started_by, terminal=terminal)
    reported_already = Conflict(
        _("This resident's %(aid)s is reported already.") % {"aid": kind.name}
    )
    if SwapReport.objects.filter(patient=patient, aid_type=kind, status__in=OPEN_SWAPS).exists():
        raise reported_already
    try:
        with transaction.atomic():
            report = SwapReport.objects.create(
                patient=patient,
                institution=patient.institution,
                aid_type=kind,
                started_by=started_by,
                documentation=documentation.strip(),
                terminal=terminal,
                swap=decided.swap,
                reasons=decided.reasons,
                cites=decided.cites,
                status=STATUS_OF[decided.swap],
                reported_by=actor,
                closed_at=None if decided.swap else clock.now(),
            )
            record_change(
                report, actor=actor, action=ChangeAction.CREATED, after=snapshot(report, FIELDS)
            )
    except IntegrityError:
        raise reported_already from None  # reported by someone else at the same moment
    return report


def lend_for_swap(
    report: SwapReport,
    device: Device,
    *,
    actor: User,
    companions: Sequence[Device] = (),
    manual_handed_over: bool = False,
    instruction_given: bool = False,
) -> Loan:
    """The unit lends its device to the resident in the institution: the swap is done."""
    with transaction.atomic():
        report = (
            SwapReport.objects.select_for_update(of=("self",))
            .select_related("aid_type")
            .get(pk=report.pk)
        )
        if report.status != SwapStatus.TO_SWAP:
            raise Conflict(
                _("This report is %(status)s.") % {"status": report.get_status_display()}
            )
        if device.owner.kind not in HOSPITAL_LENDERS:
            raise InvalidInput(
                {
                    "device": _("A swap is to the hospital's equipment: %(owner)s lends none.")
                    % {"owner": device.owner}
                }
            )
        kind = report.aid_type
        therapy = kind.slug if kind.is_therapy else ""
        if device.aid_type_id != kind.pk and device.aid_type.slug not in kind.parts:
            raise InvalidInput(
                {
                    "device": _("%(serial)s is not a %(aid)s.")
                    % {"serial": device.serial, "aid": kind}
                }
            )
        loan = aids.lend_device(
            device,
            report.patient,
            actor=actor,
            placement=Placement.INSTITUTION,
            institution=report.institution,
            therapy=therapy,
            companions=companions,
            manual_handed_over=manual_handed_over,
            instruction_given=instruction_given,
        )
        save_changed(
            report,
            FIELDS,
            {"status": SwapStatus.SWAPPED, "loan": loan, "closed_at": clock.now()},
            actor=actor,
        )
    return loan


def withdraw_swap(report: SwapReport, *, actor: User) -> SwapReport:
    """The report was a mistake, or the resident no longer uses the equipment."""
    with transaction.atomic():
        report = SwapReport.objects.select_for_update().get(pk=report.pk)
        if report.status != SwapStatus.TO_SWAP:
            raise Conflict(
                _("This report is %(status)s.") % {"status": report.get_status_display()}
            )
        return save_changed(
            report,
            FIELDS,
            {"status": SwapStatus.WITHDRAWN, "closed_at": clock.now()},
            actor=actor,
        )


def _documentation_missing(patient: Patient) -> str:
    """Ask for the document, citing the patient's routine where it asks for one (Oslo's
    000 3.1), and saying so where it is silent."""
    cites = routine_cites(patient, "swap_documentation")
    if not cites:
        return _(
            "Say which document shows that the hospital started the treatment (the "
            "patient's agreement names no routine for this)."
        )
    return _("Say which document shows that the hospital started the treatment (%(cites)s).") % {
        "cites": ", ".join(cites)
    }
