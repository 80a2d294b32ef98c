from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from overgang.organisations.tokens import user_for_token


def request_user(request: HttpRequest) -> User:
    """The authenticated user of an API call (every route but the token needs one)."""
    assert isinstance(request.user, User)
    return request.user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
