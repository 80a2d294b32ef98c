from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from overgang.api.auth import request_token_id, request_user
from overgang.api.errors import ErrorOut
from overgang.api.inputs import Id
from overgang.api.paging import Page, page
from overgang.api.schemas import Message, Revoked, TokenIn, TokenListed, TokenOut
from overgang.errors import InvalidInput
from overgang.organisations import logins
from overgang.organisations.tokens import issue_token, live_tokens, revoke_token

router = Router(tags=["auth"])


@router.post("/token", auth=None, response={200: TokenOut, 401: Message, 429: Message})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    """Exchange a username and password for a bearer token (valid for some hours). Too many
    wrong passwords for an account, or from one address, answer 429 with Retry-After."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # A lockout is answered by the login throttle's middleware (429, Retry-After).
        return Status(401, {"detail": "Wrong username or password."})
    logins.forget_failures(request, user.get_username())
    issued = issue_token(user)
    return Status(200, {"id": issued.id, "token": issued.token, "expires_at": issued.expires_at})


@router.get("/tokens", response=list[TokenListed])
def list_tokens(request: HttpRequest, paging: Query[Page]) -> list[dict[str, object]]:
    """Your tokens that still work, newest first; `current` marks the one this call used."""
    in_use = request_token_id(request)
    return [
        {
            "id": token.pk,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "last_used_at": token.last_used_at,
            "current": token.pk == in_use,
        }
        for token in page(live_tokens(request_user(request)), paging)
    ]


@router.post("/token/revoke", response={200: Revoked, 422: Message})
def revoke_current_token(request: HttpRequest) -> dict[str, int]:
    """The token this call was made with stops working at once (an API client's logout)."""
    in_use = request_token_id(request)
    if in_use is None:
        raise InvalidInput(
            {"authorization": _("This call was not made with a bearer token.")}, where="header"
        )
    revoke_token(request_user(request), in_use)
    return {"revoked": in_use}


@router.post("/tokens/{token_id}/revoke", response={200: Revoked, 404: ErrorOut})
def revoke_one_token(request: HttpRequest, token_id: Id) -> dict[str, int]:
    """One of your tokens stops working at once. Another user's token is not found."""
    if not revoke_token(request_user(request), token_id):
        raise Http404
    return {"revoked": token_id}
