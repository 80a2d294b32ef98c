"""What a set of lent devices still lacks before the loan is complete.

A loan is complete when the agreement's units and bundle are all lent (O5: a
life-sustaining aid in two units; long-term oxygen as a concentrator and portable
cylinders) and the user manual went with every device (U7). Instruction not yet given
is shown too, but does not hold the loan back: training is recorded on the stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from overgang.aids.cases import decide_for
from overgang.aids.models import AidType, Loan, LoanRole

SECOND_UNIT = "second-unit"
PART = "part"
MANUAL = "manual"
INSTRUCTION = "instruction"


@dataclass(frozen=True)
class Missing:
    kind: str
    text: str
    aid_type: str = ""  # the type still to lend, for a second unit or a part
    blocking: bool = True


def main_of(loan: Loan) -> Loan:
    return loan.main or loan  # no query when the loan leads its set (main_id is empty)


def loans_of_set(main: Loan) -> list[Loan]:
    """The main loan and the active loans lent with it, main first."""
    found = (
        Loan.objects.filter(Q(pk=main.pk) | Q(main=main.pk, returned_at__isnull=True))
        .select_related("device__aid_type", "manual")
        .order_by("id")
    )
    return sorted(found, key=lambda loan: loan.pk != main.pk)


@dataclass(frozen=True)
class Needs:
    """What the agreement lends for the set: `units` of the main type (with the rule's
    citations) and one of each type of `bundle`."""

    units: int
    units_cites: tuple[str, ...]
    bundle: tuple[str, ...]
    bundle_cites: tuple[str, ...]


def needs_of(main: Loan) -> Needs:
    kind = main.device.aid_type
    decision = decide_for(main.patient, kind.slug, placement=main.placement, purpose=main.purpose)
    bundle: tuple[str, ...] = ()
    bundle_cites: tuple[str, ...] = ()
    if main.therapy is not None:
        therapy = decide_for(
            main.patient, main.therapy.slug, placement=main.placement, purpose=main.purpose
        )
        if therapy is not None and therapy["lendable"]:
            bundle = tuple(therapy["bundle"])
            bundle_cites = tuple(therapy["bundle_cites"])
    return Needs(
        units=decision["units"] if decision else 1,
        units_cites=tuple(decision["units_cites"]) if decision else (),
        bundle=bundle,
        bundle_cites=bundle_cites,
    )


def outstanding(
    main: Loan, loans: list[Loan] | None = None, *, patient_loans: list[Loan] | None = None
) -> list[Missing]:
    """What the set still lacks, in the order a technician deals with it. `patient_loans`:
    every active loan of the patient, where the caller has read them already."""
    loans = loans if loans is not None else loans_of_set(main)
    active = [loan for loan in loans if loan.returned_at is None]
    if not active:
        return []
    needs = needs_of(main)
    return [
        *_missing_units(main, active, needs, patient_loans),
        *_missing_parts(main, active, needs),
        *_missing_manuals(active),
        *_missing_instructions(active),
    ]


def _missing_units(
    main: Loan, active: list[Loan], needs: Needs, patient_loans: list[Loan] | None = None
) -> list[Missing]:
    """A unit for each one the agreement lends beyond those the patient has."""
    kind = main.device.aid_type
    same_kind = sum(1 for loan in active if loan.device.aid_type_id == kind.pk)
    if same_kind < needs.units and patient_loans is not None:
        in_set = {loan.pk for loan in active}
        same_kind += sum(
            1
            for loan in patient_loans
            if loan.pk not in in_set and loan.device.aid_type_id == kind.pk
        )
    elif same_kind < needs.units:
        # A unit lent on its own earlier counts too: the patient has it at home.
        same_kind += (
            Loan.objects.active()
            .filter(patient=main.patient_id, device__aid_type=kind.pk)
            .exclude(pk__in=[loan.pk for loan in active])
            .count()
        )
    return [
        Missing(
            SECOND_UNIT,
            _("Second unit not lent: %(aid)s is lent in %(units)s units (%(cites)s).")
            % {"aid": kind.name, "units": needs.units, "cites": ", ".join(needs.units_cites)},
            aid_type=kind.slug,
        )
        for _number in range(same_kind, needs.units)
    ]


def _missing_parts(main: Loan, active: list[Loan], needs: Needs) -> list[Missing]:
    """Each part of the therapy's bundle that is not lent with it."""
    therapy = main.therapy
    if not needs.bundle or therapy is None:
        return []
    lent_types = {loan.device.aid_type.slug for loan in active}
    names = {t.slug: t.name for t in AidType.objects.filter(slug__in=needs.bundle)}
    return [
        Missing(
            PART,
            _("%(part)s not lent: %(therapy)s is lent as %(parts)s (%(cites)s).")
            % {
                "part": names.get(part, part),
                "therapy": therapy.name,
                "parts": _(" and ").join(names.get(p, p) for p in needs.bundle),
                "cites": ", ".join(needs.bundle_cites),
            },
            aid_type=part,
        )
        for part in needs.bundle
        if part not in lent_types
    ]


def _missing_manuals(active: list[Loan]) -> list[Missing]:
    return [
        Missing(
            MANUAL,
            _("The user manual for %(serial)s is not handed over.")
            % {"serial": loan.device.serial},
        )
        for loan in active
        if not loan.manual_handed_over
    ]


def _missing_instructions(active: list[Loan]) -> list[Missing]:
    return [
        Missing(
            INSTRUCTION,
            _("Instruction in the use of %(serial)s is not recorded.")
            % {"serial": loan.device.serial},
            blocking=False,
        )
        for loan in active
        if not loan.instruction_given
    ]


def is_complete(missing: list[Missing]) -> bool:
    return not any(item.blocking for item in missing)


def role_in_set(main_type: AidType, therapy: AidType | None, kind: AidType) -> str | None:
    """How a device of `kind` goes with a set whose main device is of `main_type`: as a
    second unit, as a part of the therapy, or not at all (None)."""
    if kind.pk == main_type.pk:
        # Another of the same kind is a second unit, even inside a therapy: the agreement
        # decides whether it lends two (O5) or refuses a spare (N9).
        return LoanRole.SECOND_UNIT
    if therapy is not None and kind.slug in therapy.parts:
        return LoanRole.PART  # the therapy's other kinds: portable cylinders, several of them
    return None
