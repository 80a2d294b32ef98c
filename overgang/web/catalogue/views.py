"""The catalogue pages: aid types with their flags and consumables, and their user manuals
(U7). Everyone who is logged in reads them; treatment-aids and depot staff upload manuals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids import actions
from overgang.aids.models import AidCategory, AidType, ConsumableType, UserManual
from overgang.responses import manual_response
from overgang.web.catalogue.forms import ManualForm
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404

MANAGE = "aids.manage_device"


def _newest_first() -> QuerySet[UserManual]:
    return (
        UserManual.objects.defer("content")
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def _aid_types() -> QuerySet[AidType]:
    return AidType.objects.prefetch_related(
        "consumables", Prefetch("manuals", queryset=_newest_first())
    )


def _by_category(kinds: list[AidType]) -> list[tuple[str, list[AidType]]]:
    groups = []
    for value, label in AidCategory.choices:
        members = sorted((k for k in kinds if k.category == value), key=lambda k: k.name.casefold())
        if members:
            groups.append((str(label), members))
    return groups


@login_required
def catalogue(request: AuthedRequest) -> HttpResponse:
    kinds = list(_aid_types())
    lacking = 0
    for kind in kinds:
        manuals = list(kind.manuals.all())
        kind.current_manual = manuals[0] if manuals else None  # type: ignore[attr-defined]
        lacking += not manuals and not kind.is_therapy
    context = {
        "groups": _by_category(kinds),
        "consumables": sorted(
            ConsumableType.objects.prefetch_related("linked_to"), key=lambda c: c.name.casefold()
        ),
        "missing_manuals": lacking,
    }
    return render(request, "catalogue/list.html", context)


def _kind(slug: str) -> AidType:
    return scoped_or_404(_aid_types(), slug=slug)


def _type_page(
    request: AuthedRequest, kind: AidType, form: ManualForm | None = None, status: int = 200
) -> HttpResponse:
    manuals = list(kind.manuals.all())
    context: dict[str, Any] = {
        "kind": kind,
        "manuals": manuals,
        "current": manuals[0] if manuals else None,
        "consumables": sorted(kind.consumables.all(), key=lambda c: c.name.casefold()),
        "parts": list(AidType.objects.filter(slug__in=kind.parts)),
        "may_upload": request.user.has_perm(MANAGE) and not kind.is_therapy,
        "form": form or ManualForm(),
    }
    return render(request, "catalogue/detail.html", context, status=status)


@login_required
def aid_type_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    return _type_page(request, _kind(slug))


@login_required
@require_POST
def manual_upload(request: AuthedRequest, slug: str) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    kind = _kind(slug)
    form = ManualForm(request.POST, request.FILES)

    def write() -> None:
        upload = form.cleaned_data.get("file")
        actions.upload_manual(
            kind,
            actor=request.user,
            title=form.cleaned_data.get("title", ""),
            filename=getattr(upload, "name", ""),
            content=upload.read(actions.MANUAL_MAX_BYTES + 1) if upload else b"",
        )

    outcome = attempt(write, form)
    if isinstance(outcome, Refused):
        return _type_page(request, kind, form, status=outcome.shown_on(form))
    messages.success(request, _("The new user manual for %(aid)s is saved.") % {"aid": kind.name})
    return redirect("aid-type-detail", slug=kind.slug)


@login_required
def manual_current(request: AuthedRequest, slug: str) -> HttpResponse:
    newest_first = UserManual.objects.order_by("-uploaded_at", "-id")
    return manual_response(scoped_or_404(newest_first, aid_type__slug=slug))


@login_required
def manual_file(request: AuthedRequest, pk: int) -> HttpResponse:
    return manual_response(scoped_or_404(UserManual.objects.all(), pk=pk))
