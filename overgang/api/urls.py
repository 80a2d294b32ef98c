from django.urls import register_converter
from ninja import NinjaAPI
from ninja.operation import Operation
from ninja.security import django_auth

from overgang.api import errors
from overgang.api.auth import BearerToken
from overgang.api.converters import MessageIdPathConverter, SerialPathConverter
from overgang.api.devices import router as devices_router
from overgang.api.organisations import router as organisations_router
from overgang.api.patients import router as patients_router
from overgang.api.rules import router as rules_router
from overgang.api.tokens import router as tokens_router

# Before the routes are built: /devices/{serialpath:serial} and
# /messages/{messagepath:message_id} use them.
register_converter(SerialPathConverter, "serialpath")
register_converter(MessageIdPathConverter, "messagepath")


class OvergangAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """Name an operation by its top-level API module (overgang.api.stays, not
        overgang.api.stays.needs), so splitting a module into parts keeps the ids clients
        generated their code from."""
        area = ".".join(operation.view_func.__module__.split(".")[:3])
        return f"{area}_{operation.view_func.__name__}".replace(".", "_")


api = OvergangAPI(
    title="Overgang API",
    version="1",
    description="Hospital and municipality coordinate a patient's aids across the transition.",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/auth", tokens_router)
api.add_router("/patients", patients_router)
api.add_router("/organisations", organisations_router)
api.add_router("/rules", rules_router)
api.add_router("", devices_router)
api.add_router("", "overgang.api.catalogue.router")
api.add_router("", "overgang.api.returns.router")
api.add_router("", "overgang.api.consumables.router")
api.add_router("", "overgang.api.swaps.router")
api.add_router("", "overgang.api.requisitions.router")
api.add_router("", "overgang.api.nav.router")
api.add_router("", "overgang.api.disputes.router")
api.add_router("", "overgang.api.failures.router")
api.add_router("", "overgang.api.stays.router")
api.add_router("", "overgang.api.messages.router")
api.add_router("", "overgang.api.audit.router")
api.add_router("", "overgang.api.ventilation.router")
api.add_router("", "overgang.api.agreements.router")
api.add_router("", "overgang.api.indicators.router")
# Last: the errors are declared on the operations of every router above.
errors.declare(api)
