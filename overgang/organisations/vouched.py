"""The writer behind single sign-on: a person an identity provider vouched for becomes a user
with the memberships its claims name (docs/security.md, "Single sign-on")."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from overgang.audit.history import record_change, save_changed, snapshot
from overgang.audit.models import ChangeAction
from overgang.organisations.actions import add_membership, remove_membership
from overgang.organisations.models import ExternalIdentity, Membership, Organisation

PROFILE_FIELDS = ("first_name", "last_name", "email")


@dataclass(frozen=True)
class Vouched:
    """What a provider said about a person at login, already checked against the register."""

    provider: str
    subject: str
    first_name: str
    last_name: str
    email: str
    memberships: frozenset[tuple[Organisation, str]]
    # The organisations the provider may vouch for (ids): its memberships there follow the
    # claims; any others the user holds (given by an administrator) are left alone.
    domain: Collection[int]


def sign_in_vouched(vouched: Vouched, *, actor: User) -> User:
    """The user behind the provider's subject, created at the first login, with the names and
    the memberships of this login's claims."""
    with transaction.atomic():
        # Lock the identity: two tabs logging in at once must not create two users.
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=vouched.provider, subject=vouched.subject)
            .first()
        )
        if identity is None:
            user = _first_login(vouched, actor=actor)
        else:
            user = identity.user
            profile = {field: getattr(vouched, field) for field in PROFILE_FIELDS}
            if any(getattr(user, field) != value for field, value in profile.items()):
                save_changed(user, PROFILE_FIELDS, profile, actor=actor)
        _set_memberships(user, vouched, actor=actor)
    return user


def _first_login(vouched: Vouched, *, actor: User) -> User:
    user = User(
        username=username_for(vouched.provider, vouched.subject),
        first_name=vouched.first_name,
        last_name=vouched.last_name,
        email=vouched.email,
    )
    # Signs in through the provider only; a local password would bypass it.
    user.set_unusable_password()
    user.save()
    record_change(
        user,
        actor=actor,
        action=ChangeAction.CREATED,
        after=snapshot(user, ("username", *PROFILE_FIELDS)),
        reason=f"first login through {vouched.provider}",
    )
    identity = ExternalIdentity.objects.create(
        provider=vouched.provider, subject=vouched.subject, user=user
    )
    record_change(
        identity,
        actor=actor,
        action=ChangeAction.CREATED,
        after={"provider": vouched.provider, "subject": vouched.subject, "user": str(user)},
    )
    return user


def username_for(provider: str, subject: str) -> str:
    """A username that names the provider; long subjects are shortened by their hash (the
    identity row, not the username, is what finds the user again)."""
    name = f"{provider}:{subject}"
    if len(name) <= 150:
        return name
    return f"{provider}:{hashlib.sha256(subject.encode()).hexdigest()}"


def _set_memberships(user: User, vouched: Vouched, *, actor: User) -> None:
    held = Membership.objects.filter(user=user, organisation_id__in=vouched.domain).select_related(
        "organisation"
    )
    wanted = {(org.pk, role) for org, role in vouched.memberships}
    for membership in held:
        if (membership.organisation_id, membership.role) not in wanted:
            remove_membership(
                membership, actor=actor, reason=f"no longer in the claims of {vouched.provider}"
            )
    for organisation, role in sorted(vouched.memberships, key=lambda m: (m[0].pk, m[1])):
        add_membership(user, organisation, role, actor=actor)
