"""The catalogue: aid types with their flags and linked consumables, and their user manuals."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from overgang.aids import actions, manual_keepers
from overgang.aids.access import managing_units
from overgang.aids.models import AidType, ConsumableType, UserManual
from overgang.aids.models.catalogue import AidCategory
from overgang.api.auth import request_user
from overgang.api.catalogue_rows import aid_type_rows, consumable_rows
from overgang.api.paging import Page, page
from overgang.api.rows import Row
from overgang.organisations.permissions import is_unrestricted
from overgang.responses import manual_response

router = Router(tags=["catalogue"])


class ConsumableOut(Schema):
    slug: str
    name: str
    unit: str
    pharmacy: bool = Field(description="May be handed out by a pharmacy on a decision letter.")
    linked_to: list[str] = Field(description="The aid types it is directly linked to (U5).")

    @staticmethod
    def resolve_linked_to(obj: ConsumableType | Row) -> list[str]:
        if isinstance(obj, dict):
            return list(obj["linked_to"])
        return [kind.slug for kind in obj.linked_to.all()]


class ManualOut(Schema):
    id: int
    title: str
    filename: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime
    agreement: str = Field(description="The agreement it is kept for; empty: the common one.")
    keeper: str | None = Field(None, description="Key of the unit that keeps it.")
    uploaded_by: str = Field(description="Who uploaded it (user name).")
    reason: str = Field(description="Why it replaced the one in force before it.")

    @staticmethod
    def resolve_keeper(obj: UserManual | Row) -> str | None:
        if isinstance(obj, dict):
            return obj["keeper"]  # type: ignore[no-any-return]
        return obj.keeper.key if obj.keeper else None

    @staticmethod
    def resolve_uploaded_by(obj: UserManual | Row) -> str:
        if isinstance(obj, dict):
            return str(obj["uploaded_by"])
        return obj.uploaded_by.get_username()


class AidTypeOut(Schema):
    slug: str
    name: str
    iso9999: str
    category: AidCategory = Field(examples=["treatment-aid", "technical-aid", "shared-equipment"])
    life_sustaining: bool
    electrical_check: bool
    multi_patient: bool
    staff_training: bool
    parts: list[str] = Field(description="For a therapy: the aid types lent together for it.")
    consumables: list[str] = Field(description="Slugs of the consumables linked to it.")
    manual: ManualOut | None = Field(
        description="The manual handed over with it now under your (first) agreement."
    )

    # The list answers rows of values (overgang.api.catalogue_rows) with these at hand.
    @staticmethod
    def resolve_consumables(obj: AidType | Row) -> list[str]:
        if isinstance(obj, dict):
            return list(obj["consumables"])
        return [c.slug for c in obj.consumables.all()]

    @staticmethod
    def resolve_manual(obj: AidType | Row, context: dict[str, Any]) -> UserManual | Row | None:
        if isinstance(obj, dict):
            return obj["manual"]  # type: ignore[no-any-return]
        return manual_keepers.in_force(list(obj.manuals.all()), _agreement(context["request"], ""))


def _agreement(request: HttpRequest, asked: str) -> str:
    """The agreement whose manuals are meant: the one asked for, which must be one the
    caller works under (else 404), or the caller's first."""
    mine = manual_keepers.works_under(request.user)
    if asked and asked not in mine:
        raise HttpError(404, "Not Found")
    return asked or (mine[0] if mine else "")


def _types() -> QuerySet[AidType]:
    newest_first = (
        UserManual.objects.defer("content")
        .select_related("keeper", "uploaded_by")
        .order_by("-uploaded_at", "-id")
    )
    return AidType.objects.prefetch_related(
        "consumables", Prefetch("manuals", queryset=newest_first)
    )


def _type(slug: str) -> AidType:
    kind = _types().filter(slug=slug).first()
    if kind is None:
        raise HttpError(404, "Not Found")
    return kind


@router.get("/aid-types", response=list[AidTypeOut])
def list_aid_types(request: HttpRequest, paging: Query[Page]) -> list[Row]:
    """Every aid type with its ISO 9999 code, category, flags, consumables and manual."""
    found = page(AidType.objects.order_by("slug", "id"), paging)
    return aid_type_rows(found, _agreement(request, ""))


@router.get("/aid-types/{slug}", response=AidTypeOut)
def get_aid_type(request: HttpRequest, slug: str) -> AidType:
    return _type(slug)


PDF_RESPONSE = {
    "responses": {
        200: {"description": "The current user manual.", "content": {"application/pdf": {}}}
    }
}


@router.get("/aid-types/{slug}/manual", openapi_extra=PDF_RESPONSE)
def get_manual(request: HttpRequest, slug: str, agreement: str = "") -> HttpResponse:
    """The user manual of the type handed over under the agreement (one you work under;
    by default your first), as PDF; 404 when there is none."""
    manual = manual_keepers.in_force(
        list(_type(slug).manuals.all()), _agreement(request, agreement)
    )
    if manual is None:
        raise HttpError(404, "Not Found")
    return manual_response(UserManual.objects.get(pk=manual.pk))


@router.get("/aid-types/{slug}/manuals", response=list[ManualOut])
def manual_history(
    request: HttpRequest, slug: str, paging: Query[Page], agreement: str = ""
) -> list[UserManual]:
    """The history of the type's manual under the agreement (one you work under; by default
    your first), newest first: its own and the common ones, who uploaded each and why."""
    wanted = _agreement(request, agreement)
    found = (
        _type(slug)
        .manuals.filter(agreement__in=[wanted, ""])
        .defer("content")
        .select_related("keeper", "uploaded_by")
        .order_by("-uploaded_at", "-id")
    )
    return list(page(found, paging))


@router.post("/aid-types/{slug}/manuals", response={201: ManualOut})
def upload_manual(
    request: HttpRequest,
    slug: str,
    title: Form[str],
    file: File[UploadedFile],
    agreement: Form[str] = "",
    reason: Form[str] = "",
) -> Status[UserManual]:
    """Upload a new user manual (PDF, at most 20 MB) for an agreement; it is handed over
    under that agreement from now on. Only the agreement's keepers do: its treatment-aids
    unit for treatment aids, its municipal depot for the others (403 for others who work
    under it, 404 for an agreement you do not work under). `agreement` may be left out when
    you keep the manual for one agreement; `reason` is required when a manual is replaced."""
    actor = request_user(request)
    if not managing_units(actor) and not is_unrestricted(actor):
        raise HttpError(403, "Only treatment-aids or depot staff upload manuals.")
    try:
        manual = actions.upload_manual(
            _type(slug),
            actor=actor,
            title=title,
            filename=file.name or "",
            # One byte more than allowed is enough to say that it is too large.
            content=file.read(actions.MANUAL_MAX_BYTES + 1),
            agreement=agreement,
            reason=reason,
        )
    except manual_keepers.OutsideScope:
        raise HttpError(404, "Not Found") from None
    except manual_keepers.NotTheKeeper as refusal:
        raise HttpError(403, str(refusal)) from None
    return Status(201, manual)


@router.get("/consumables", response=list[ConsumableOut])
def list_consumables(request: HttpRequest, paging: Query[Page]) -> list[Row]:
    """The consumables and the aid types each is directly linked to."""
    return consumable_rows(page(ConsumableType.objects.order_by("slug", "id"), paging))
