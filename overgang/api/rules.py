"""The rules engine over HTTP: the same JSON as `overgang rules decide|deadlines`."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Body, Router

from overgang.i18n import current_language
from overgang.rules.engine import deadlines, decide
from overgang.rules.registry import RulesError

router = Router(tags=["rules"])


def _invalid(error: RulesError) -> HttpResponse:
    field = getattr(error, "field", "") or "body"
    message = str(error).removeprefix(f"{field}: ")
    body = {"detail": [{"loc": ["body", *field.split(".")], "msg": message, "type": "invalid"}]}
    return JsonResponse(body, status=422)


@router.post("/decide", auth=None, response={200: dict[str, Any]})
def decide_case(request: HttpRequest, case: Body[dict[str, Any]]) -> Any:
    """Who does what for a case, and why (see docs/contracts/rules.md)."""
    try:
        return decide(case, language=current_language())
    except RulesError as error:
        return _invalid(error)


@router.post("/deadlines", auth=None, response={200: dict[str, Any]})
def event_deadlines(request: HttpRequest, event: Body[dict[str, Any]]) -> Any:
    """The deadlines an event starts, in the agreement's time zone."""
    try:
        return deadlines(event, language=current_language())
    except RulesError as error:
        return _invalid(error)
