"""One stay's waiting days and the objections to them (R9): the municipality objects with
its reason, the hospital accepts or rejects with its own; each sees the other's step."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays import actions, waiting
from overgang.stays.access import sides
from overgang.stays.actions.payment import disputed_days
from overgang.stays.models import ObjectionStatus, Stay, WaitingDayObjection
from overgang.web.common.forms import Form
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404


class ObjectionForm(Form):
    days = forms.MultipleChoiceField(
        label=gettext_lazy("The days you object to"),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["days"]
        field.choices = choices


class AnswerForm(Form):
    accept = forms.TypedChoiceField(
        label=gettext_lazy("Answer"),
        choices=[
            ("yes", gettext_lazy("Accept: the days are not billed")),
            ("no", gettext_lazy("Reject")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required to reject)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _stay(request: AuthedRequest, pk: int, action: str = VIEW) -> Stay:
    stay = scoped_or_404(
        Stay.objects.restrict(request.user, action).select_related(
            "patient__municipality", "hospital", "department"
        ),
        pk=pk,
    )
    if not waiting.apply_to([stay.country]):
        raise Http404  # the stay's country's law counts no waiting days (Denmark)
    return stay


def _choices(stay: Stay) -> list[tuple[str, str]]:
    disputed = disputed_days(stay)
    return [
        (d.isoformat(), f"{d:%d.%m.%Y}")
        for d in waiting.waiting_days(stay).days
        if d not in disputed
    ]


def _page(
    request: AuthedRequest,
    stay: Stay,
    *,
    objection_form: ObjectionForm | None = None,
    answer_forms: dict[int, AnswerForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    log_read(stay.patient, user=request.user, purpose=ReadPurpose.STAY)
    acting = (
        sides(request.user)
        if Stay.objects.restrict(request.user, CHANGE).filter(pk=stay.pk).exists()
        else set()
    )
    days = waiting.waiting_days(stay).days
    accepted = waiting.accepted_days(stay)
    prices = waiting.rates()
    billed = [d for d in days if d not in accepted]
    objections = list(
        WaitingDayObjection.objects.filter(stay=stay).select_related("objected_by", "answered_by")
    )
    forms_by_objection = answer_forms or {}
    context = {
        "stay": stay,
        "patient": stay.patient,
        "days": days,
        "billed": billed,
        "accepted": sorted(accepted),
        # No amount where a day's year has no rate yet: say so rather than price it at 0.
        "missing_rates": sorted({d.year for d in billed if d.year not in prices}),
        "amount": sum((prices.get(d.year, 0) for d in billed), 0),
        "objections": [
            (o, forms_by_objection.get(o.pk) or AnswerForm(prefix=f"answer-{o.pk}"))
            for o in objections
        ],
        "may_object": "municipality" in acting,
        "may_answer": "hospital" in acting,
        "objection_form": objection_form or ObjectionForm(choices=_choices(stay)),
        "OPEN": ObjectionStatus.OPEN,
    }
    return render(request, "stays/payment.html", context, status=status)


@login_required
def stay_waiting_days(request: AuthedRequest, pk: int) -> HttpResponse:
    """The stay's waiting days, what is billed, and the objections (R9)."""
    if request.method == "POST":
        stay = _stay(request, pk, CHANGE)
        form = ObjectionForm(request.POST, choices=_choices(stay))
        outcome = attempt(
            lambda: actions.object_to_waiting_days(
                stay,
                [_date(d) for d in form.cleaned_data["days"]],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            ),
            form,
        )
        if isinstance(outcome, Refused):
            if outcome.message:
                form.add_error(None, outcome.message)
            return _page(request, stay, objection_form=form, status=outcome.status)
        messages.success(request, _("The objection is sent to the hospital."))
        return redirect("stay-waiting-days", pk=stay.pk)
    return _page(request, _stay(request, pk))


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@login_required
@require_POST
def objection_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    objection = scoped_or_404(
        WaitingDayObjection.objects.restrict(request.user, CHANGE).select_related("stay"),
        pk=pk,
    )
    stay = _stay(request, objection.stay_id, CHANGE)
    form = AnswerForm(request.POST, prefix=f"answer-{objection.pk}")
    outcome = attempt(
        lambda: actions.answer_objection(
            objection,
            actor=request.user,
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
        ),
        form,
    )
    if isinstance(outcome, Refused):
        if outcome.message:
            form.add_error(None, outcome.message)
        return _page(request, stay, answer_forms={objection.pk: form}, status=outcome.status)
    messages.success(request, _("The answer is sent to the municipality."))
    return redirect("stay-waiting-days", pk=stay.pk)
