"""API tokens: issued on a correct password, stored hashed, valid for a limited time."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from overgang import clock
from overgang.organisations import access_cache
from overgang.organisations.models import ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime.datetime


def issue_token(
    user: Any,
    *,
    now: datetime.datetime | None = None,
    lifetime: datetime.timedelta | None = None,
) -> IssuedToken:
    """Create a token for `user`; the token itself cannot be recovered later. A `lifetime`
    other than the API's usual hours is for integration accounts (`overgang integration`)."""
    now = now or clock.now()
    issued = IssuedToken(
        token=secrets.token_urlsafe(32),
        expires_at=now + (lifetime or datetime.timedelta(hours=settings.API_TOKEN_HOURS)),
    )
    ApiToken.objects.create(user=user, digest=_digest(issued.token), expires_at=issued.expires_at)
    # Expired tokens of this user are of no use to anyone.
    ApiToken.objects.filter(user=user, expires_at__lt=now).delete()
    return issued


def user_for_token(token: str, *, now: datetime.datetime | None = None) -> Any | None:
    """The active user a valid, unexpired token belongs to, else None. What was read is
    remembered while the access stamp stays the same (overgang.organisations.access_cache)."""
    now = now or clock.now()
    digest = _digest(token)
    stamp = access_cache.current_stamp()
    facts = access_cache.recall_token(digest, stamp)
    if facts is not None:
        if facts.expires_at <= now:
            return None
        user = access_cache.user_of(facts)
    else:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest, expires_at__gt=now, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        user = found.user
        facts = access_cache.TokenFacts(
            token_id=found.pk,
            user=copy.copy(user),
            expires_at=found.expires_at,
            last_used_at=found.last_used_at,
        )
        access_cache.keep_token(digest, stamp, facts)
    # Note use at most once a minute: a busy integration should not write on every call.
    if facts.last_used_at is None or now - facts.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=facts.token_id).update(last_used_at=now)
        access_cache.keep_token(digest, stamp, dataclasses.replace(facts, last_used_at=now))
    user._overgang_access_stamp = stamp  # type: ignore[attr-defined]
    return user


def revoke_tokens(user: Any) -> int:
    """Every token of the user stops working at once (the access stamp is renewed)."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
