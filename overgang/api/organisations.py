from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from overgang.api.answers import answer
from overgang.api.inputs import one_of
from overgang.api.paging import PageOf500, page
from overgang.api.rows import schema_rows, value_rows
from overgang.api.schemas import OrganisationOut
from overgang.errors import InvalidInput
from overgang.organisations.filters import filter_organisations
from overgang.organisations.models import Country, Kind, Organisation

router = Router(tags=["organisations"])


class DirectoryParams(Schema):
    q: str = ""
    kind: Annotated[str, one_of(Kind, "")] = ""
    country: Annotated[str, one_of(Country, "")] = ""


# A listed organisation's columns, keyed as OrganisationOut reads them (overgang.api.rows).
LISTED = {
    **{name: name for name in ("id", "key", "kind", "name", "country", "number", "her_id")},
    **{name: name for name in ("sor_id", "address", "phone", "email", "opening_hours")},
    "parent.key": "parent__key",
}


@router.get("", response=list[OrganisationOut])
def list_organisations(
    request: HttpRequest, params: Query[DirectoryParams], paging: Query[PageOf500]
) -> HttpResponse:
    """The directory: the same filter as the organisations page."""
    if params.kind and params.kind not in Kind.values:
        raise InvalidInput(
            {"kind": f"Unknown kind; one of: {', '.join(Kind.values)}."}, where="query"
        )
    if params.country and params.country not in Country.values:
        raise InvalidInput({"country": "Country is NO or DK."}, where="query")
    found = filter_organisations(
        Organisation.objects.all(), q=params.q, kind=params.kind, country=params.country
    )
    return answer(
        schema_rows(OrganisationOut, value_rows(page(found.order_by("name", "id"), paging), LISTED))
    )


@router.get("/{key}", response=OrganisationOut)
def get_organisation(request: HttpRequest, key: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("parent"), key=key)
