"""The only writers of organisations, users and memberships."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from overgang.audit.history import record_change, snapshot
from overgang.audit.models import ChangeAction
from overgang.organisations.models import Membership, Organisation

AREAS_FILE = Path(__file__).with_name("data") / "areas.toml"
ORGANISATION_FIELDS = (
    "kind",
    "name",
    "parent",
    "country",
    "number",
    "her_id",
    "sor_id",
    "address",
    "phone",
    "email",
    "opening_hours",
)


def load_organisations(*, actor: User, path: Path = AREAS_FILE) -> int:
    """Create or update the organisations in a data file; returns how many changed."""
    with path.open("rb") as file:
        entries: list[dict[str, Any]] = tomllib.load(file)["organisation"]
    changed = 0
    with transaction.atomic():
        by_key = {org.key: org for org in Organisation.objects.all()}
        for entry in entries:
            values = {field: entry.get(field, "") for field in ORGANISATION_FIELDS}
            values["parent"] = by_key[entry["parent"]] if entry.get("parent") else None
            org = by_key.get(entry["key"])
            if org is None:
                org = Organisation.objects.create(key=entry["key"], **values)
                record_change(
                    org,
                    actor=actor,
                    action=ChangeAction.CREATED,
                    after=snapshot(org, ORGANISATION_FIELDS),
                )
                by_key[org.key] = org
                changed += 1
                continue
            before = snapshot(org, ORGANISATION_FIELDS)
            for field, value in values.items():
                setattr(org, field, value)
            after = snapshot(org, ORGANISATION_FIELDS)
            if before != after:
                org.save()
                record_change(
                    org, actor=actor, action=ChangeAction.CHANGED, before=before, after=after
                )
                changed += 1
    return changed


def create_user(
    *,
    actor: User,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_superuser: bool = False,
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        record_change(
            user,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(user, ("username", "first_name", "last_name", "email", "is_superuser")),
        )
    return user


def add_membership(user: User, organisation: Organisation, role: str, *, actor: User) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        if created:
            record_change(
                membership,
                actor=actor,
                action=ChangeAction.CREATED,
                after={"user": str(user), "organisation": str(organisation), "role": role},
            )
    return membership


def remove_membership(membership: Membership, *, actor: User, reason: str = "") -> None:
    """The user no longer works there in that role: access ends when this commits."""
    with transaction.atomic():
        record_change(
            membership,
            actor=actor,
            action=ChangeAction.DELETED,
            before={
                "user": str(membership.user),
                "organisation": str(membership.organisation),
                "role": membership.role,
            },
            reason=reason,
        )
        membership.delete()
