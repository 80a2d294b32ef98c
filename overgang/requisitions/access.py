"""Who sees and who acts on swap reports.

A report is seen by whoever may see the resident (the municipality, the institution, the
hospital that serves the address). The municipal side reports; the treatment-aids unit lends.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from overgang.audit.access import patient_scope
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
