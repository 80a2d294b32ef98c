"""API tokens: issued on a correct password, stored hashed, valid for a limited time."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from overgang.organisations.models import ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime.datetime


def issue_token(user: Any, *, now: datetime.datetime | None = None) -> IssuedToken:
    """Create a token for `user`; the token itself cannot be recovered later."""
    now = now or timezone.now()
    issued = IssuedToken(
        token=secrets.token_urlsafe(32),
        expires_at=now + datetime.timedelta(hours=settings.API_TOKEN_HOURS),
    )
    ApiToken.objects.create(user=user, digest=_digest(issued.token), expires_at=issued.expires_at)
    # Expired tokens of this user are of no use to anyone.
    ApiToken.objects.filter(user=user, expires_at__lt=now).delete()
    return issued


def user_for_token(token: str, *, now: datetime.datetime | None = None) -> Any | None:
    """The active user a valid, unexpired token belongs to, else None."""
    now = now or timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if found is None:
        return None
    # Note use at most once a minute: a busy integration should not write on every call.
    if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
