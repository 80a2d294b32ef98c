"""The catalogue pages: aid types with their flags and consumables, and their user manuals
(U7). Everyone who is logged in reads them, with each manual's history; each agreement's
keepers upload its manuals (overgang.aids.manual_keepers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids import actions, manual_keepers
from overgang.aids.models import AidCategory, AidType, ConsumableType, UserManual
from overgang.organisations.permissions import is_unrestricted
from overgang.responses import manual_response
from overgang.rules.registry import all_agreements
from overgang.web.catalogue import tables
from overgang.web.catalogue.forms import ManualForm
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404
from overgang.web.exports.respond import exported

MANAGE = "aids.manage_device"


def _newest_first() -> QuerySet[UserManual]:
    return (
        UserManual.objects.defer("content")
        .select_related("uploaded_by", "keeper")
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


@dataclass
class Shelf:
    """One agreement's manual of an aid type, as its page shows it: the one in force, its
    history, and the form when the user keeps it."""

    agreement: str
    label: str
    current: UserManual | None
    history: list[UserManual]
    form: ManualForm | None


def _label(agreement: str) -> str:
    if not agreement:
        return _("Common to all agreements")
    found = [a for a in all_agreements() if a.id == agreement]
    return f"{found[-1].title} ({agreement})" if found else agreement


def _shelves(request: AuthedRequest, kind: AidType, failed: ManualForm | None) -> list[Shelf]:
    manuals = list(kind.manuals.all())
    mine = manual_keepers.desks(request.user, kind)
    superuser = is_unrestricted(request.user)
    shelves = []
    for agreement in manual_keepers.works_under(request.user) or [""]:
        form = None
        if not kind.is_therapy and (agreement in mine or superuser):
            posted = failed is not None and failed.data.get("agreement", "") == agreement
            form = failed if posted else ManualForm(initial={"agreement": agreement})
        shelves.append(
            Shelf(
                agreement=agreement,
                label=_label(agreement),
                current=manual_keepers.in_force(manuals, agreement),
                history=[m for m in manuals if m.agreement in {agreement, ""}],
                form=form,
            )
        )
    return shelves


@login_required
def catalogue(request: AuthedRequest) -> HttpResponse:
    kinds = list(_aid_types())
    mine = manual_keepers.works_under(request.user)
    lacking = 0
    for kind in kinds:
        manual = manual_keepers.in_force(list(kind.manuals.all()), mine[0] if mine else "")
        kind.current_manual = manual  # type: ignore[attr-defined]
        lacking += manual is None and not kind.is_therapy
    export = exported(request, tables.CATALOGUE, kinds)
    if export is not None:
        return export
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
    context: dict[str, Any] = {
        "kind": kind,
        "shelves": _shelves(request, kind, form),
        "form": form,  # the one sent, when it was refused
        "keepers": manual_keepers.keepers_text(kind),
        "consumables": sorted(kind.consumables.all(), key=lambda c: c.name.casefold()),
        "parts": list(AidType.objects.filter(slug__in=kind.parts)),
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
        try:
            actions.upload_manual(
                kind,
                actor=request.user,
                title=form.cleaned_data.get("title", ""),
                filename=getattr(upload, "name", ""),
                content=upload.read(actions.MANUAL_MAX_BYTES + 1) if upload else b"",
                agreement=form.cleaned_data.get("agreement", ""),
                reason=form.cleaned_data.get("reason", ""),
            )
        except manual_keepers.OutsideScope:
            raise Http404 from None
        except manual_keepers.NotTheKeeper as refusal:
            raise PermissionDenied(str(refusal)) from None

    outcome = attempt(write, form)
    if isinstance(outcome, Refused):
        return _type_page(request, kind, form, status=outcome.shown_on(form))
    messages.success(request, _("The new user manual for %(aid)s is saved.") % {"aid": kind.name})
    return redirect("aid-type-detail", slug=kind.slug)


@login_required
def manual_current(request: AuthedRequest, slug: str) -> HttpResponse:
    """The manual in force under ?agreement= (one the user works under), else under the
    user's first agreement."""
    kind = _kind(slug)
    mine = manual_keepers.works_under(request.user)
    agreement = request.GET.get("agreement", mine[0] if mine else "")
    if agreement and agreement not in mine:
        raise Http404
    manual = manual_keepers.in_force(list(kind.manuals.all()), agreement)
    if manual is None:
        raise Http404
    return manual_response(UserManual.objects.get(pk=manual.pk))


@login_required
def manual_file(request: AuthedRequest, pk: int) -> HttpResponse:
    return manual_response(scoped_or_404(UserManual.objects.all(), pk=pk))
