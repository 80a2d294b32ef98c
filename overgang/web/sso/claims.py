"""From the claims of a verified ID token to what the provider vouches for: the person, the
organisation by its register id, the roles mapped to the app's. Anything the provider may not
say (an organisation outside its domain, an unknown role) refuses the whole login."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from overgang.organisations.models import Organisation, Role
from overgang.organisations.vouched import Vouched
from overgang.web.sso.config import Provider

# Roles a provider grants when it has no mapping of its own: its claim carries the app's
# values. An administrator or an integration account is never granted without a mapping.
NOT_BY_DEFAULT = frozenset({Role.ADMIN, Role.INTEGRATION})


class Refused(Exception):
    """The claims cannot be accepted: `message` is for the person, `detail` for the log."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(detail)
        self.message = message
        self.detail = detail


def vouched_from_claims(provider: Provider, claims: dict[str, Any]) -> Vouched:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Refused(_("The identity provider did not say who you are."), "no sub claim")
    domain = domain_of(provider)
    organisation = _organisation(provider, claims, domain)
    roles = _roles(provider, claims)
    return Vouched(
        provider=provider.name,
        subject=subject,
        first_name=_text(claims.get("given_name"), 150),
        last_name=_text(claims.get("family_name"), 150),
        email=_text(claims.get("email"), 254),
        memberships=frozenset((organisation, role) for role in roles),
        domain=domain,
    )


def domain_of(provider: Provider) -> frozenset[int]:
    """The ids of the organisations the provider may vouch for: those it names and everything
    under them."""
    rows = list(Organisation.objects.values_list("pk", "key", "parent_id"))
    children: dict[int, list[int]] = {}
    for pk, _key, parent in rows:
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    pending = [pk for pk, key, _parent in rows if key in provider.vouches_for]
    domain: set[int] = set()
    while pending:
        pk = pending.pop()
        if pk not in domain:
            domain.add(pk)
            pending.extend(children.get(pk, ()))
    return frozenset(domain)


def _organisation(
    provider: Provider, claims: dict[str, Any], domain: frozenset[int]
) -> Organisation:
    value = claims.get(provider.organisation_claim)
    if not isinstance(value, str | int) or not str(value).strip():
        raise Refused(
            _("The identity provider did not say which organisation you work for."),
            f"no {provider.organisation_claim} claim",
        )
    value = str(value).strip()
    found = list(Organisation.objects.filter(**{provider.organisation_id: value}))
    if not found:
        raise Refused(
            _("The organisation %(value)s is not in Overgang's register.") % {"value": value},
            f"{provider.organisation_claim}={value!r}: not a {provider.organisation_id} we know",
        )
    inside = [org for org in found if org.pk in domain]
    if len(inside) != 1:
        names = ", ".join(org.name for org in found)
        raise Refused(
            _("%(provider)s may not vouch for memberships in %(organisation)s.")
            % {"provider": provider.label, "organisation": names},
            f"{provider.organisation_claim}={value!r} is {names}, outside {provider.vouches_for}",
        )
    return inside[0]


def _roles(provider: Provider, claims: dict[str, Any]) -> list[str]:
    value = claims.get(provider.role_claim)
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise Refused(
            _("The identity provider did not say in which role you work."),
            f"no {provider.role_claim} claim",
        )
    mapping = dict(provider.roles) or {
        role: role for role in Role.values if role not in NOT_BY_DEFAULT
    }
    unknown = [v for v in values if v not in mapping]
    if unknown:
        raise Refused(
            _("Overgang does not know the role %(role)s.") % {"role": ", ".join(unknown)},
            f"{provider.role_claim}={unknown!r} is not mapped to a role",
        )
    return sorted({mapping[v] for v in values})


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""
