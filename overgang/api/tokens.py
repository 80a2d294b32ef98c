from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from overgang.api.schemas import Message, TokenIn, TokenOut
from overgang.organisations.tokens import issue_token

router = Router(tags=["auth"])


@router.post("/token", auth=None, response={200: TokenOut, 401: Message})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    """Exchange a username and password for a bearer token (valid for some hours)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, {"detail": "Wrong username or password."})
    issued = issue_token(user)
    return Status(200, {"token": issued.token, "expires_at": issued.expires_at})
