"""JSON errors as the contract fixes them: 422 names the field, 409 says the state, 404 hides;
503 with Retry-After when the database cannot be reached.

Every operation's OpenAPI entry declares the errors it can give, with their bodies, so that
a client (and the fuzzing in tests/api/test_fuzz.py) knows every answer it may get:

- 400 `ErrorOut` when the operation reads a JSON body and the body is not JSON;
- 401 `ErrorOut` when the operation needs a caller and the request names none that is valid;
- 403 `ErrorOut` on a change by an authenticated operation: a role that may not do it, or a
  session (cookie) caller without the CSRF token;
- 404 `ErrorOut` when the path names an object: it does not exist or is outside your scope;
- 409 `ErrorOut` on a change: the state forbids it (every writer checks the state it changes);
- 422 `InvalidOut` when the operation reads input: the fields that are wrong and why.

An operation declares others itself (a read restricted to some roles: 403; an answer of its
own under one of these codes keeps its own schema).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.operation import Operation

from overgang import unavailable
from overgang.errors import Conflict, InvalidInput

logger = logging.getLogger(__name__)

CHANGES = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorOut(Schema):
    """The body of 401, 403, 404 and 409."""

    detail: str = Field(description="What is wrong, in words.", examples=["Not Found"])


class FieldError(Schema):
    loc: list[str | int] = Field(
        description="Where: body, query or path, then the field (and its position in a list).",
        examples=[["body", "serial"]],
    )
    msg: str = Field(description="What is wrong with it.")
    type: str = Field(description="The kind of problem, e.g. missing, invalid, int_parsing.")


class InvalidOut(Schema):
    """The body of 422: each field that cannot be accepted. Nothing was changed."""

    detail: list[FieldError]


def install(api: NinjaAPI) -> None:
    @api.exception_handler(InvalidInput)
    def invalid_input(request: HttpRequest, error: InvalidInput) -> HttpResponse:
        detail = [
            {"loc": [error.where, field], "msg": message, "type": "invalid"}
            for field, message in error.errors.items()
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, error: Conflict) -> HttpResponse:
        return api.create_response(request, {"detail": str(error)}, status=409)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unreachable(request: HttpRequest, error: Exception) -> HttpResponse:
        # Whether or not DEBUG is on: a client retries a 503, it cannot retry a traceback.
        logger.error("The database cannot be reached: %s", error)
        return unavailable.api_response()


@csrf_exempt  # a 404 whatever the method: Django's CSRF page would answer 403 in HTML
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A path under /api/ that names no operation, or names it with a malformed part (an id
    that is not a number): JSON like every other answer of the API, not the HTML page."""
    return JsonResponse({"detail": "Not Found"}, status=404)


def error_responses(operation: Operation, path: str) -> dict[int, type[Schema]]:
    """The errors an operation can give, by what it is: see the module's docstring."""
    errors: dict[int, type[Schema]] = {}
    changes = bool(CHANGES.intersection(operation.methods))
    if any(model.__ninja_param_source__ == "body" for model in operation.models):
        errors[400] = ErrorOut
    if operation.auth_callbacks:
        errors[401] = ErrorOut
        if changes:
            errors[403] = ErrorOut
    if "{" in path:
        errors[404] = ErrorOut
    if changes and operation.auth_callbacks:
        errors[409] = ErrorOut
    if operation.models:  # path, query or body parameters
        errors[422] = InvalidOut
    return errors


def declare(api: NinjaAPI) -> None:
    """Add each operation's errors to its responses (after every router is added)."""
    # The bound routers are the ones both the URLs and the OpenAPI document are built from.
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                for status, schema in error_responses(operation, path).items():
                    if status not in operation.response_models:
                        operation.response_models[status] = _response_model(operation, schema)


def _response_model(operation: Operation, schema: type[Schema]) -> Any:
    # The wrapper ninja builds for each declared response ({"response": schema}).
    return operation._create_response_model(schema)
