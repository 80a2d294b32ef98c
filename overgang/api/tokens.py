from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router

from overgang.api.schemas import Message, TokenIn, TokenOut
from overgang.organisations.models import ApiToken
from overgang.organisations.tokens import issue_token

router = Router(tags=["auth"])


@router.post("/token", auth=None, response={200: TokenOut, 401: Message})
def create_token(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, object]]:
    """Exchange a username and password for a bearer token (valid for some hours)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return 401, {"detail": "Wrong username or password."}
    token = issue_token(user)
    expires_at = ApiToken.objects.filter(user=user).latest("created_at").expires_at
    return 200, {"token": token, "expires_at": expires_at}
