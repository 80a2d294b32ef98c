"""JSON errors as the contract fixes them: 422 names the field, 409 says the state, 404 hides."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from overgang.errors import Conflict, InvalidInput


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
