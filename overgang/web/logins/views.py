"""Paused logins (overgang/organisations/logins.py): what is paused and until when, and lifting
a pause sooner, for those who may clear the login throttle's records (administrators)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.organisations.logins import current_pauses, lift_pause
from overgang.web.common.views import AuthedRequest
from overgang.web.logins.forms import LiftForm

MAY_LIFT = "axes.delete_accessattempt"


@login_required
@permission_required(MAY_LIFT, raise_exception=True)
def paused_logins(request: AuthedRequest) -> HttpResponse:
    return _page(request, LiftForm())


@login_required
@permission_required(MAY_LIFT, raise_exception=True)
@require_POST
def lift(request: AuthedRequest) -> HttpResponse:
    form = LiftForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    kind, who = form.cleaned_data["kind"], form.cleaned_data["who"]
    if not any(pause.kind == kind and pause.who == who for pause in current_pauses()):
        raise Http404  # nothing of that name is paused
    lift_pause(kind, who, actor=request.user)
    messages.success(request, _("The pause of %(who)s is lifted.") % {"who": who})
    return redirect("paused-logins")


def _page(request: AuthedRequest, form: LiftForm, *, status: int = 200) -> HttpResponse:
    context = {
        "pauses": current_pauses(),
        "form": form,
        "account_limit": settings.LOGIN_ACCOUNT_LIMIT,
        "address_limit": settings.LOGIN_ADDRESS_LIMIT,
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "logins/paused.html", context, status=status)
