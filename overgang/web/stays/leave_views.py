"""The stay page's leave steps (N5): plan a trial discharge or leave, start, end or cancel
it, record an aid handed out for it. Each calls its writer in overgang.stays.actions.leave;
a form that comes back shows on the stay page with its errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.errors import InvalidInput
from overgang.organisations.permissions import CHANGE
from overgang.stays.actions import leave as writers
from overgang.stays.models import LeavePeriod
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404
from overgang.web.stays.leave import PERIOD_STEPS, chosen_aid, form_for
from overgang.web.stays.views import _detail, _stay


@login_required
@require_POST
def leave_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    stay = _stay(request, pk, CHANGE)
    form = form_for("plan", stay, request.POST)

    def write() -> object:
        data = form.cleaned_data
        return writers.plan_leave(
            stay,
            actor=request.user,
            kind=data["kind"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            exception=data.get("exception") or "",
            exception_reason=data.get("exception_reason") or "",
        )

    done = attempt(write, form)
    if isinstance(done, Refused):
        return _detail(
            request, stay, bound=("leave_plan", form), error=done.message, status=done.status
        )
    messages.success(request, _("The leave is planned."))
    return redirect("stay-detail", pk=stay.pk)


@login_required
@require_POST
def leave_step(request: AuthedRequest, pk: int, leave_pk: int, step: str) -> HttpResponse:
    stay = _stay(request, pk, CHANGE)
    if step not in PERIOD_STEPS:
        raise Http404
    period = scoped_or_404(LeavePeriod.objects.filter(stay=stay), pk=leave_pk)
    period.stay = stay
    form = form_for(step, stay, request.POST, period=period.pk)
    form.leave_pk = period.pk  # type: ignore[attr-defined]

    def write() -> str:
        data: dict[str, Any] = form.cleaned_data
        if step == "start":
            writers.start_leave(period, actor=request.user, at=data["at"])
            return _("The leave has started.")
        if step == "end":
            writers.end_leave(period, actor=request.user, at=data["at"])
            return _("The patient is back from leave.")
        if step == "cancel":
            writers.cancel_leave(period, actor=request.user, reason=data["reason"])
            return _("The leave is cancelled.")
        chosen = chosen_aid(stay, data["aid"])
        if not any(chosen.values()):
            raise InvalidInput({"aid": _("Choose the aid.")})
        try:
            writers.hand_out_for_leave(
                period, actor=request.user, handed_out_on=data["handed_out_on"], **chosen
            )
        except InvalidInput as error:
            # The writer names the loan or the need; the form has one field for both.
            raise InvalidInput(
                {("aid" if k in ("loan", "need") else k): v for k, v in error.errors.items()}
            ) from None
        return _("The aid is recorded as handed out for the leave.")

    done = attempt(write, form)
    if isinstance(done, Refused):
        return _detail(
            request, stay, bound=(f"leave_{step}", form), error=done.message, status=done.status
        )
    messages.success(request, done)
    return redirect("stay-detail", pk=stay.pk)
