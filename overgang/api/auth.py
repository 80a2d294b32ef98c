from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from overgang.organisations.tokens import token_for


def request_user(request: HttpRequest) -> User:
    """The authenticated user of an API call (every route but the token needs one)."""
    assert isinstance(request.user, User)
    return request.user


def request_token_id(request: HttpRequest) -> int | None:
    """The id of the bearer token the call was made with; None for a browser session."""
    found: int | None = getattr(request, "overgang_token_id", None)
    return found


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        found = token_for(token)
        if found is None:
            return None
        request.user = found.user
        request.overgang_token_id = found.pk  # type: ignore[attr-defined]
        return found.user
