"""Who keeps the user manuals of the catalogue (U7), agreement by agreement.

The catalogue's aid types are shared, but what is handed over with an aid is each
agreement's own: under the routines the one who lends an aid gives its manual with it
(Oslo 001 point 11, "Brukermanual skal følge alle behandlingshjelpemidler"; the hospital's
treatment-aids unit lends treatment aids; the municipality's depot lends the municipal
aids). So the manuals of an agreement are kept by:

- treatment aids: the treatment-aids staff of a hospital that serves under the agreement
  (its trust or region is the agreement's hospital, or the unit is one the agreement names
  to lend outside it, as St. Olavs for HNT);
- every other aid (technical aids, equipment for several patients, training gear): the
  depot staff of a municipality the agreement covers.

Only they replace it; everyone else reads it and its history (who replaced it, when, why).
A user's role must allow managing devices at all (else 403); a keeper of another agreement
does not reach this one (404: outside the scope it does not exist); a user who works under
the agreement on the other side is told who keeps it (403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.utils.translation import gettext as _

from overgang import clock
from overgang.aids.models import AidCategory, AidType
from overgang.errors import InvalidInput
from overgang.organisations.agreements import agreements_of
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import (
    MANAGE_DEVICES,
    is_unrestricted,
    memberships_for,
    memberships_of,
)
from overgang.rules.registry import all_agreements

HOSPITAL_KEPT = frozenset({AidCategory.TREATMENT_AID})


class OutsideScope(Exception):
    """The agreement is not one the user works under: as if it did not exist (404)."""


class NotTheKeeper(Exception):
    """The user works under the agreement but does not keep this manual (403)."""


@dataclass(frozen=True)
class Desk:
    """Where a user keeps one agreement's manual of an aid type: the agreement and the unit
    the user keeps it for (None for a superuser or the system, who act for no unit)."""

    agreement: str
    unit: Organisation | None


def kept_by_hospital(aid_type: AidType) -> bool:
    return aid_type.category in HOSPITAL_KEPT


def _agreements(organisation: Organisation) -> set[str]:
    """The agreements the organisation works under, with those that name it as a unit
    lending outside its own trust (St. Olavs' unit for HNT)."""
    found = {agreement.id for agreement in agreements_of(organisation)}
    if organisation.is_hospital_side:
        on = clock.today_in(organisation.country)
        found |= {
            a.id for a in all_agreements() if a.in_force(on) and organisation.key in a.aids_units
        }
    return found


def _kept_for(unit: Organisation, aid_type: AidType) -> set[str]:
    """The agreements whose manual of `aid_type` the unit keeps."""
    if kept_by_hospital(aid_type) != unit.is_hospital_side:
        return set()
    return _agreements(unit)


def desks(user: Any, aid_type: AidType) -> dict[str, Desk]:
    """The agreements whose manual of `aid_type` the user keeps, each with the unit."""
    found: dict[str, Desk] = {}
    for membership in memberships_for(user, MANAGE_DEVICES):
        for agreement in sorted(_kept_for(membership.organisation, aid_type)):
            found.setdefault(agreement, Desk(agreement, membership.organisation))
    return found


def works_under(user: Any) -> list[str]:
    """The agreements the user works under, in any role (all of them for a superuser):
    whose manuals the catalogue shows them."""
    if is_unrestricted(user):
        return sorted({a.id for a in all_agreements()})
    return sorted({a for m in memberships_of(user) for a in _agreements(m.organisation)})


def desk_for(user: Any, aid_type: AidType, agreement: str = "") -> Desk:
    """Where the user uploads this manual: the agreement named, or the one the user keeps
    it for. OutsideScope, NotTheKeeper, or InvalidInput naming `agreement` when the user
    keeps it for several and named none."""
    if is_unrestricted(user):
        # Superusers keep the common manual too (agreement ""), as the system does.
        if agreement and agreement not in works_under(user):
            raise OutsideScope(agreement)
        return Desk(agreement, None)
    mine = desks(user, aid_type)
    if agreement in mine:
        return mine[agreement]
    if agreement and agreement not in works_under(user):
        raise OutsideScope(agreement)
    if not agreement and len(mine) == 1:
        return next(iter(mine.values()))
    if not agreement and mine:
        raise InvalidInput(
            {
                "agreement": _("Say which agreement the manual is for: %(choices)s.")
                % {"choices": ", ".join(sorted(mine))}
            }
        )
    raise NotTheKeeper(keepers_text(aid_type))


def in_force[M](
    manuals: list[M],
    agreement: str,
    agreement_of: Callable[[M], str] = attrgetter("agreement"),
) -> M | None:
    """Of a type's manuals, newest first: the one handed over under the agreement (its own
    newest, else the newest common one), as `current_manual` finds it in the database.
    The manuals are UserManuals, or rows of their values with `agreement_of` to read them."""
    own = next((m for m in manuals if agreement and agreement_of(m) == agreement), None)
    return own or next((m for m in manuals if not agreement_of(m)), None)


def keepers_text(aid_type: AidType) -> str:
    """Who keeps the manuals of this kind of aid, for a refusal and for the page."""
    if kept_by_hospital(aid_type):
        return _(
            "Under each agreement the manuals of %(aid)s are kept by the hospital's "
            "treatment-aids unit."
        ) % {"aid": aid_type.name}
    return _(
        "Under each agreement the manuals of %(aid)s are kept by the municipality's aid depot."
    ) % {"aid": aid_type.name}
