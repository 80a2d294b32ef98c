"""Finding one's way in a FHIR message Bundle: its resources by reference, their ids."""

from __future__ import annotations

from typing import TypeVar

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from overgang.messages.incoming import Organisation
from overgang.messages.medcom.terms import SOR_SYSTEM

R = TypeVar("R", bound=Resource)


class Entries:
    """A Bundle's resources, found by a Reference the way MedCom writes them: the entry's
    fullUrl, or "Type/id" (relative, or the last two parts of an absolute URL)."""

    def __init__(self, bundle: Bundle) -> None:
        self.resources: list[Resource] = []
        self._by_key: dict[str, Resource] = {}
        for entry in bundle.entry or ():
            resource = entry.resource
            if not isinstance(resource, Resource):
                continue
            self.resources.append(resource)
            if entry.fullUrl:
                self._by_key.setdefault(str(entry.fullUrl), resource)
            if resource.id:
                self._by_key.setdefault(f"{resource.get_resource_type()}/{resource.id}", resource)

    def of_type(self, kind: type[R]) -> list[R]:
        return [resource for resource in self.resources if isinstance(resource, kind)]

    def resolve(self, reference: Reference | None, kind: type[R]) -> R | None:
        if reference is None or not reference.reference:
            return None
        text = str(reference.reference)
        found = self._by_key.get(text) or self._by_key.get("/".join(text.split("/")[-2:]))
        return found if isinstance(found, kind) else None


def referenced_id(reference: Reference | None) -> str | None:
    """The id a reference names ("MessageHeader/abc" or ".../MessageHeader/abc" -> "abc")."""
    if reference is None or not reference.reference:
        return None
    return str(reference.reference).rstrip("/").split("/")[-1] or None


def identifier_values(identifiers: list[Identifier] | None, system: str) -> tuple[str, ...]:
    return tuple(
        str(identifier.value)
        for identifier in identifiers or ()
        if identifier.system == system and identifier.value
    )


def organisation(resource: Organization) -> Organisation:
    """An Organization as Overgang's plain Organisation: its name and SOR-ids."""
    return Organisation(
        name=str(resource.name or ""), ids=identifier_values(resource.identifier, SOR_SYSTEM)
    )
