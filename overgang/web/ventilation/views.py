"""The home-ventilation (LTMV) agreement's pages (O11): drafted from the stay by the
hospital, completed by the municipality or district, signed by both, printed.

Only where the patient's agreement provides for it: elsewhere there is no button, and the
writer refuses (see docs/agreements.md, "Home ventilation").
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays.access import sides
from overgang.stays.models import Stay
from overgang.ventilation import actions, documents
from overgang.ventilation.models import AgreementVersion, VentilationAgreement
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404
from overgang.web.ventilation.forms import SignForm, VersionForm, duty_name, party_name

PDF_NAMES = {"nb": "ltmv-avtale", "da": "ltmv-aftale"}


@login_required
@require_POST
def ventilation_new(request: AuthedRequest, pk: int) -> HttpResponse:
    stay = scoped_or_404(Stay.objects.restrict(request.user, CHANGE), pk=pk)
    outcome = attempt(lambda: actions.draft(stay, actor=request.user))
    if isinstance(outcome, Refused):
        messages.error(request, outcome.message)
        return redirect("stay-detail", pk=stay.pk)
    messages.success(request, _("The home-ventilation agreement is drafted."))
    return redirect("ventilation-detail", pk=outcome.pk)


def _agreement(request: AuthedRequest, pk: int, action: str = VIEW) -> VentilationAgreement:
    return scoped_or_404(
        VentilationAgreement.objects.restrict(request.user, action).select_related(
            "patient", "stay", "hospital", "municipality"
        ),
        pk=pk,
    )


def _shown_version(request: AuthedRequest, agreement: VentilationAgreement) -> AgreementVersion:
    asked = request.GET.get("version", "")
    if not asked:
        return agreement.current
    if not asked.isdigit():
        raise Http404
    found = agreement.versions.filter(number=int(asked)).first()
    if found is None:
        raise Http404
    return found


def _page(
    request: AuthedRequest,
    agreement: VentilationAgreement,
    *,
    version: AgreementVersion | None = None,
    form: VersionForm | None = None,
    sign_form: SignForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    current = agreement.current
    version = version or current
    acting = sides(request.user) & set(actions.SIDES)
    may_change = (
        bool(acting)
        and VentilationAgreement.objects.restrict(request.user, CHANGE)
        .filter(pk=agreement.pk)
        .exists()
    )
    is_current = version.number == current.number
    may_sign = [
        side
        for side in actions.SIDES
        if side in acting and getattr(current, f"{side}_signed_at") is None
    ]
    responsibilities = [
        {
            **row,
            "duty_name": duty_name(row["duty"]),
            "rules_party_name": party_name(row["rules_party"]),
            "party_name": party_name(row["party"]),
            "differs": row["party"] != row["rules_party"],
        }
        for row in version.responsibilities
    ]
    provided = actions.provision(agreement.stay)
    # Dates kept as ISO text, shown as dates in the reader's format.
    training = [{**row, "by": datetime.date.fromisoformat(row["by"])} for row in version.training]
    context: dict[str, Any] = {
        "training": training,
        "agreement": agreement,
        "version": version,
        "current": current,
        "is_current": is_current,
        "versions": agreement.versions.order_by("-number"),
        "responsibilities": responsibilities,
        "may_change": may_change and is_current,
        "may_sign": may_change and is_current and not current.locked and may_sign,
        "sign_both": len(acting) > 1,
        "form": form or VersionForm(version=current),
        "sign_form": sign_form or SignForm(),
        "cites": provided.cites if provided else (),
        "error": error,
    }
    return render(request, "ventilation/detail.html", context, status=status)


@login_required
def ventilation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    version = _shown_version(request, agreement)
    log_read(agreement.patient, user=request.user, purpose=ReadPurpose.STAY)
    return _page(request, agreement, version=version)


@login_required
@require_POST
def ventilation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, CHANGE)
    form = VersionForm(request.POST, version=agreement.current)
    outcome = attempt(lambda: actions.update(agreement, form.content(), actor=request.user), form)
    if isinstance(outcome, Refused):
        return _page(request, agreement, form=form, error=outcome.message, status=outcome.status)
    messages.success(
        request,
        _("Saved as version %(n)s. The other side is told.") % {"n": outcome.number},
    )
    return redirect("ventilation-detail", pk=agreement.pk)


@login_required
@require_POST
def ventilation_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, CHANGE)
    form = SignForm(request.POST)
    outcome = attempt(
        lambda: actions.sign(agreement, actor=request.user, side=form.cleaned_data.get("side", "")),
        form,
    )
    if isinstance(outcome, Refused):
        error = outcome.message or "; ".join(
            str(m) for errors in form.errors.values() for m in errors
        )
        return _page(request, agreement, sign_form=form, error=error, status=outcome.status)
    messages.success(
        request,
        _("Signed. The version is locked now.")
        if outcome.locked
        else _("Signed. The other side is told and signs next."),
    )
    return redirect("ventilation-detail", pk=agreement.pk)


@login_required
def ventilation_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """One version on paper: `?lang=nb|da` (else the hospital's usual language) and
    `?version=N` (else the current one)."""
    agreement = _agreement(request, pk)
    version = _shown_version(request, agreement)
    requested = request.GET.get("lang", "")
    language = next(
        (code for code in documents.TEXTS if code == requested),
        documents.default_language(agreement.hospital),
    )
    provided = actions.provision(agreement.stay)
    log_read(agreement.patient, user=request.user, purpose=ReadPurpose.STAY)
    response = HttpResponse(
        documents.agreement_pdf(
            version, language=language, cites=provided.cites if provided else ()
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="{PDF_NAMES[language]}-{agreement.pk}-v{version.number}.pdf"'
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
