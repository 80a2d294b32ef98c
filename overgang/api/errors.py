"""JSON errors as the contract fixes them: 422 names the field, 409 says the state, 404 hides;
503 with Retry-After when the database cannot be reached."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from overgang import unavailable
from overgang.errors import Conflict, InvalidInput

logger = logging.getLogger(__name__)


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
