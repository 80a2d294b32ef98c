"""Who sees and who acts on swap reports.

A report is seen by whoever may see the resident (the municipality, the institution, the
hospital that serves the address). The municipal side reports; the treatment-aids unit lends.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from overgang.aids.access import managing_units
from overgang.audit.access import patient_scope
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import VIEW, memberships_for
from overgang.requisitions.models import SwapReport


def visible_swaps(user: Any) -> QuerySet[SwapReport]:
    scope = patient_scope(user, VIEW, prefix="patient__")
    return SwapReport.objects.all() if scope is None else SwapReport.objects.filter(scope)


def may_report_swaps(user: Any) -> bool:
    """The institution or the municipality reports residents who use its equipment (000 3.1)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(m.organisation.is_municipal_side for m in memberships_for(user, VIEW))


# Who lends the hospital's equipment in a swap: the treatment-aids units (and private
# hospitals that lend as the specialist service, N3), never a municipal depot.
HOSPITAL_LENDERS = frozenset({Kind.AIDS_UNIT, Kind.PRIVATE_HOSPITAL})


def swap_lenders(user: Any) -> list[Organisation]:
    """The units of `user` that lend the hospital's equipment for a swap."""
    return [u for u in managing_units(user) if u.kind in HOSPITAL_LENDERS]


def may_lend_for_swaps(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or swap_lenders(user))
