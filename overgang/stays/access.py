"""Whose worklist a deadline is on, and which parties and places a user acts for.

Which stays a user sees is `Stay.objects.restrict(user, action)` (see StayQuerySet), and
which deadlines `Deadline.objects.restrict(user, action)`: those of the stays, and those
their organisations hold. A deadline is on the worklist of the organisation that holds it
and of every organisation above that one (a municipality sees what its allocation office
holds); the worklist is that list alone, not every deadline of the stays one sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from overgang.audit.history import SYSTEM_USERNAME
from overgang.organisations import access_cache
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import CHANGE, VIEW, is_unrestricted, memberships_for
from overgang.patients.access import organisations_under
from overgang.stays.models import BY_DUE, Deadline, Stay


def sides(user: Any, action: str = CHANGE) -> set[str]:
    """The parties the user acts for: "hospital", "municipality" (a superuser or the system
    itself, for imports and jobs: both)."""
    if is_unrestricted(user) or user.get_username() == SYSTEM_USERNAME:
        return {"hospital", "municipality"}
    found = set()
    for membership in memberships_for(user, action):
        if membership.organisation.is_hospital_side:
            found.add("hospital")
        elif membership.organisation.is_municipal_side:
            found.add("municipality")
    return found


def holders_of(user: Any) -> list[int] | None:
    """The organisations whose deadlines are on the user's worklist; None: all."""
    if is_unrestricted(user):
        return None
    return organisations_under(user, VIEW)


def worklist(user: Any) -> QuerySet[Deadline]:
    """Open deadlines the user's organisations hold, overdue first (earliest due first)."""
    found = Deadline.objects.filter(done_at__isnull=True)
    holders = holders_of(user)
    if holders is not None:
        found = found.filter(holder__in=holders)
    return found.order_by(*BY_DUE)


def capped_count(found: QuerySet[Deadline]) -> tuple[int, bool]:
    """How many deadlines, counted up to the cap (settings.WORKLIST_COUNT_CAP); and whether
    there are more than that."""
    return capped_counts(found)[0]


def capped_counts(*found: QuerySet[Deadline]) -> list[tuple[int, bool]]:
    """`capped_count` of each, in one query: the worklist counts its rows and its overdue
    ones every half minute for everyone, and a round trip each cost as much as counting."""
    return capped_counts_and(found)[0]


def capped_counts_and(
    found: Sequence[QuerySet[Deadline]], also: Sequence[QuerySet[Any]] = ()
) -> tuple[list[tuple[int, bool]], list[int]]:
    """`capped_counts` of `found`, and in the same query how many rows each of `also` has
    (sliced to count up to a cap of its own): the worklist page counts the menu's news
    with its own figures, one round trip fewer."""
    cap = settings.WORKLIST_COUNT_CAP
    counted = counts_of(*(each.order_by().values("holder_id")[: cap + 1] for each in found), *also)
    capped = [(min(count, cap), count > cap) for count in counted[: len(found)]]
    return capped, counted[len(found) :]


def counts_of(*found: QuerySet[Any]) -> list[int]:
    """How many rows each has (a sliced one: up to its slice), in one query."""
    counts: list[str] = []
    params: list[Any] = []
    for each in found:
        try:
            sql, more = each.query.sql_with_params()
        except EmptyResultSet:
            # A filter that matches nothing, such as `holder IN ()` for a user who belongs
            # to no organisation yet: Django's count() answers 0 without asking; so do we.
            counts.append("0")
            continue
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(more)
    if all(count == "0" for count in counts):
        return [0] * len(counts)
    with connections[found[0].db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(counts)}", params)
        row = cursor.fetchone()
    return list(row)


def holder_for(stay: Stay, party: str) -> Organisation:
    """Who holds a duty of `party` on the stay: the department (or hospital) for the hospital,
    the allocation office of the patient's district or municipality for the municipality."""
    if party == "municipality":
        patient = stay.patient
        home = patient.district_id or patient.municipality_id
        register = access_cache.current_register()
        return register.child(home, Kind.ALLOCATION_OFFICE) or register.get(home)
    return stay.department or stay.hospital


def admitting_units(user: Any) -> list[Organisation]:
    """Where the user may admit patients: their own departments and hospitals, and the
    departments of a hospital they work for as a whole."""
    if is_unrestricted(user):
        return list(Organisation.objects.filter(kind=Kind.DEPARTMENT).order_by("name"))
    found: dict[int, Organisation] = {}
    for membership in memberships_for(user, CHANGE):
        org = membership.organisation
        if not org.is_hospital_side or org.nearest(Kind.HOSPITAL) is None:
            continue
        if org.kind == Kind.HOSPITAL:
            for department in Organisation.objects.filter(parent=org, kind=Kind.DEPARTMENT):
                found[department.pk] = department
        found[org.pk] = org
    return sorted(found.values(), key=lambda o: o.name)
