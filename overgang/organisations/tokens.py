"""API tokens: issued on a correct password, stored hashed, valid for a limited time, and only
while their user is active and keeps the password the token was issued under.

Every request reads its token, the token's user and the access stamp in one query, so a
token is refused the moment its user is deactivated or changes password, however that was
written: by the admin, an action, or a bulk `QuerySet.update` that sends no signal. Nothing
about a token is remembered between requests (overgang/organisations/access_cache.py)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from overgang import clock
from overgang.organisations import access_cache
from overgang.organisations.models import ApiToken
from overgang.organisations.token_lookup import find_token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_mark(user: User) -> str:
    """What a token remembers of its user's password: the SHA-256 of the stored hash. Any
    new password gets a new salt, so even the same password set again ends old tokens."""
    return hashlib.sha256(user.password.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    id: int
    token: str
    expires_at: datetime.datetime


def issue_token(
    user: User,
    *,
    now: datetime.datetime | None = None,
    lifetime: datetime.timedelta | None = None,
) -> IssuedToken:
    """Create a token for `user`; the token itself cannot be recovered later. A `lifetime`
    other than the API's usual hours is for integration accounts (`overgang integration`).

    A user holds at most `API_TOKENS_PER_USER` live tokens: at the cap, the new token ends
    the oldest ones (a script that logs in on every run must not pile up valid tokens)."""
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    expires_at = now + (lifetime or datetime.timedelta(hours=settings.API_TOKEN_HOURS))
    with transaction.atomic():
        # Lock the user row: two logins at the same moment must not both keep a token over
        # the cap.
        User.objects.select_for_update().filter(pk=user.pk).first()
        created = ApiToken.objects.create(
            user=user,
            digest=_digest(token),
            expires_at=expires_at,
            password_mark=password_mark(user),
        )
        # Expired tokens of this user are of no use to anyone.
        ApiToken.objects.filter(user=user, expires_at__lt=now).delete()
        over_cap = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")[
            settings.API_TOKENS_PER_USER :
        ]
        for oldest in over_cap:
            oldest.delete()
    return IssuedToken(id=created.pk, token=token, expires_at=expires_at)


def token_for(token: str, *, now: datetime.datetime | None = None) -> ApiToken | None:
    """The valid, unexpired token with its user, if that user is active and has kept the
    password the token was issued under; else None. One query: the token, its user and the
    access stamp (the user's memberships are remembered while the stamp is unchanged)."""
    now = now or clock.now()
    looked_up = find_token(_digest(token), now, stamp_id=access_cache.STAMP_ID)
    if looked_up is None:
        return None
    found, access_stamp = looked_up
    # A password set since the token was issued, by any path, ends it. A hash Django
    # upgrades at a login (stronger iterations) counts as a change too, as for sessions.
    if not secrets.compare_digest(found.password_mark, password_mark(found.user)):
        return None
    # Note use at most once a minute: a busy integration should not write on every call.
    if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    access_cache.keep_stamp(found.user, access_stamp)
    return found


def user_for_token(token: str, *, now: datetime.datetime | None = None) -> User | None:
    """The active user a valid token belongs to, else None (see `token_for`)."""
    found = token_for(token, now=now)
    return found.user if found is not None else None


def live_tokens(user: User, *, now: datetime.datetime | None = None) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        ApiToken.objects.filter(
            user=user, expires_at__gt=now or clock.now(), password_mark=password_mark(user)
        ).order_by("-created_at", "-pk")
    )


def revoke_token(user: User, token_id: int) -> bool:
    """The user's token `token_id` stops working at once; False if the user has none such."""
    deleted, _by_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def revoke_tokens(user: User) -> int:
    """Every token of the user stops working at once."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
