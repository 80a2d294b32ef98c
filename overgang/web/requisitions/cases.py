"""Which requisition the form is for: the routes the requester may take for this patient, the
roles they may ask in, and the route and role chosen, which decide the form's fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from overgang.organisations.models import Organisation
from overgang.organisations.permissions import is_unrestricted
from overgang.requisitions.models import RequesterRole, Route
from overgang.stays.models import Admission, Stay


@dataclass(frozen=True)
class RequisitionCase:
    routes: tuple[str, ...]
    roles: tuple[str, ...]
    route: str
    role: str


def requisition_case(
    user: Any,
    places: list[Organisation],
    stays: Any,
    chosen: Mapping[str, Any],
    default_role: str,
) -> RequisitionCase:
    """The case of the form as `chosen` (the posted form, or the query) says, else as the
    requester most likely means it.

    The inpatient route is the hospital physician's during the patient's stay (U1): offered
    to the hospital side, and only while the patient has an open inpatient stay. A requester
    on the municipal side asks on the outpatient route and never as the specialist physician,
    who asks from a hospital department."""
    hospital_side = is_unrestricted(user) or any(p.is_hospital_side for p in places)
    first: Stay | None = stays.exclude(admission=Admission.OUTPATIENT).first()
    routes: tuple[str, ...] = (
        (Route.INPATIENT, Route.OUTPATIENT)
        if hospital_side and first is not None
        else (Route.OUTPATIENT,)
    )
    roles = tuple(r for r in RequesterRole.values if hospital_side or r != RequesterRole.SPECIALIST)
    route = str(chosen.get("route") or routes[0])
    role = str(chosen.get("requester_role") or (default_role if default_role in roles else ""))
    return RequisitionCase(routes=routes, roles=roles, route=route, role=role)
