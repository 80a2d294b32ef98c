"""The stay pages: the list of stays, admission, the stay's page with its timeline and the
step that is due next, the worklist of deadlines, and the notifications.

The stay's page shows each party the forms of its own steps: the hospital sends its
messages, documents § 9 and declares; the municipality answers. Every step goes through
overgang.stays.actions; a refused step shows its reason on the same page (422 or 409) and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.errors import Conflict, InvalidInput
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.patients.models import Patient
from overgang.rules.transitions import transitions
from overgang.stays import actions
from overgang.stays.access import (
    admitting_units,
    holders_of,
    sides,
    visible_stays,
    worklist,
)
from overgang.stays.checklist import (
    departure_blockers,
    departure_items,
    discharge_blockers,
    physician_items,
)
from overgang.stays.models import Deadline, Notification, Stay
from overgang.stays.timeline import entries
from overgang.web import stays_forms as f
from overgang.web.views import AuthedRequest, _page

STAYS_PER_PAGE = 25
DEADLINES_PER_PAGE = 25
STAY_SORTS = {
    "admitted": ("-admitted_at", "-id"),
    "patient": ("patient__sort_name", "id"),
    "status": ("status", "-admitted_at"),
    "discharge": ("expected_discharge", "id"),
    "next": ("next_due", "id"),
}


@login_required
def stay_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    show = request.GET.get("show", "open")
    sort = request.GET.get("sort", "admitted")
    if sort not in STAY_SORTS:
        sort = "admitted"
    found = visible_stays(request.user).select_related("patient", "hospital", "department")
    if show != "all":
        found = found.filter(ended_at__isnull=True)
    found = found.annotate(
        next_due=Min("deadlines__due", filter=Q(deadlines__done_at__isnull=True)),
        overdue=Count(
            "deadlines",
            filter=Q(deadlines__done_at__isnull=True, deadlines__due__lte=timezone.now()),
        ),
    ).order_by(*STAY_SORTS[sort])
    page = _page(request, found, STAYS_PER_PAGE)
    return render(request, "stays/list.html", {"page": page, "show": show, "sort": sort})


def _patient(request: AuthedRequest, pk: int) -> Patient:
    patient = Patient.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if patient is None:
        raise Http404
    return patient


@login_required
def stay_admit(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    units = admitting_units(request.user)
    if not units:
        raise PermissionDenied
    form = f.AdmitForm(
        request.POST or None,
        units=units,
        initial={"admitted_at": f.now_minute(), "admission": "emergency"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                stay = actions.admit(
                    patient,
                    actor=request.user,
                    unit=form.units[data["department"]],
                    admission=data["admission"],
                    admitted_at=data["admitted_at"],
                    expected_stay_hours=data["expected_stay_hours"],
                    expected_discharge=data["expected_discharge"],
                )
            except InvalidInput as error:
                form.add_input_errors(error)
                status = 422
            except Conflict as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("%(name)s is admitted.") % {"name": patient.name})
                return redirect("stay-detail", pk=stay.pk)
        else:
            status = 422
    return render(request, "stays/admit.html", {"patient": patient, "form": form}, status=status)


def _stay(request: AuthedRequest, pk: int, action: str = VIEW) -> Stay:
    found = (
        visible_stays(request.user, action)
        .select_related("patient__municipality", "patient__district", "hospital", "department")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _forms(request: AuthedRequest, stay: Stay) -> dict[str, forms.Form]:
    acting = sides(request.user)
    now = {"at": f.now_minute(), "sent_at": f.now_minute()}
    return {
        "message": f.MessageForm(initial=now, choices=f.message_choices(stay, acting)),
        "event": f.EventForm(initial=now),
        "documented": f.ItemsForm(
            initial={"items": stay.documented},
            choices=[(item, text) for item, text, _done in physician_items(stay)],
        ),
        "discharge_ready": f.DischargeReadyForm(initial=now),
        "answer": f.AnswerForm(),
        "prepared": f.ItemsForm(
            initial={"items": stay.prepared},
            choices=[
                (item, text) for item, text, _done, message in departure_items(stay) if not message
            ],
        ),
        "departure_ready": f.WhenForm(initial=now),
        "discharge": f.DischargeForm(initial=now),
        "leave": f.LeaveForm(initial=now),
        "death": f.WhenForm(initial=now),
        "withdraw": f.ReasonForm(),
    }


def _detail(
    request: AuthedRequest,
    stay: Stay,
    *,
    bound: tuple[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    log_read(stay.patient, user=request.user, purpose="stay")
    acting = (
        sides(request.user)
        if visible_stays(request.user, CHANGE).filter(pk=stay.pk).exists()
        else set()
    )
    step_forms = _forms(request, stay)
    if bound is not None:
        step_forms[bound[0]] = bound[1]
    now = timezone.now()
    deadlines = list(Deadline.objects.filter(stay=stay).select_related("holder", "need__aid_type"))
    deadlines.sort(key=lambda d: (d.done_at is not None, d.due))
    context = {
        "stay": stay,
        "patient": stay.patient,
        "timeline": entries(stay),
        "deadlines": [(d, d.status_at(now)) for d in deadlines],
        "blockers": discharge_blockers(stay) if stay.is_open else [],
        "departure_blockers": departure_blockers(stay) if stay.is_open else [],
        "physician_items": physician_items(stay),
        "departure_items": departure_items(stay),
        "hospital_side": "hospital" in acting,
        "municipal_side": "municipality" in acting,
        "physician": "hospital" in acting and actions.is_physician(request.user, stay),
        "forms": step_forms,
        "error": error,
        "bound": bound[0] if bound else "",
        "norwegian": stay.country == "NO",
        "notice_window": transitions(stay.country).notice_window,
        "now": now,
    }
    return render(request, "stays/detail.html", context, status=status)


@login_required
def stay_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _stay(request, pk))


def _handle_documented(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.document(stay, data["items"], actor=user)
    return _("The documented items are saved.")


def _handle_prepared(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.prepare(stay, data["items"], actor=user)
    return _("The departure checklist is saved.")


def _handle_message(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.record_message(
        stay, data["type"], actor=user, sent_at=data["sent_at"], payload=data["payload"]
    )
    return _("The message is recorded.")


def _handle_event(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.record_event(
        stay,
        data["event"],
        actor=user,
        at=data["at"],
        note=data["note"],
        discharge_at=data["discharge_at"],
    )
    return _("The event is recorded.")


def _handle_discharge_ready(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.declare_discharge_ready(stay, actor=user, at=data["at"], override=data["override"])
    return _("The patient is discharge-ready. Notify the municipality.")


def _handle_answer(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.record_answer(
        stay,
        actor=user,
        can_receive=data["can_receive"],
        receive_at=data["receive_at"],
        service=data["service"],
        needs_from_hospital=data["needs_from_hospital"],
    )
    return _("The answer is sent to the hospital.")


def _handle_departure_ready(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.declare_departure_ready(stay, actor=user, at=data["at"])
    return _("The patient is ready to leave.")


def _handle_discharge(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.discharge(stay, actor=user, at=data["at"], force_majeure=data["force_majeure"])
    return _("The patient is discharged.")


def _handle_leave(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.leave_on_own_responsibility(
        stay,
        actor=user,
        competent=data["competent"],
        safe=data["safe"],
        note=data["note"],
        at=data["at"],
    )
    return _("The patient left on own responsibility.")


def _handle_death(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.record_death(stay, actor=user, at=data["at"])
    return _("The death is recorded. Tell the municipality at once.")


def _handle_withdraw(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.withdraw_discharge_ready(stay, actor=user, reason=data["reason"])
    return _("The patient is no longer discharge-ready.")


STEPS: dict[str, Callable[[Stay, dict[str, Any], Any], str]] = {
    "message": _handle_message,
    "event": _handle_event,
    "documented": _handle_documented,
    "discharge_ready": _handle_discharge_ready,
    "answer": _handle_answer,
    "prepared": _handle_prepared,
    "departure_ready": _handle_departure_ready,
    "discharge": _handle_discharge,
    "leave": _handle_leave,
    "death": _handle_death,
    "withdraw": _handle_withdraw,
}


@login_required
@require_POST
def stay_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    stay = _stay(request, pk, CHANGE)
    if step not in STEPS:
        raise Http404
    unbound = _forms(request, stay)[step]
    form = type(unbound)(request.POST, **_form_kwargs(unbound))
    if not form.is_valid():
        return _detail(request, stay, bound=(step, form), status=422)
    try:
        done = STEPS[step](stay, form.cleaned_data, request.user)
    except InvalidInput as error:
        form.add_input_errors(error)  # type: ignore[attr-defined]
        return _detail(request, stay, bound=(step, form), status=422)
    except Conflict as error:
        return _detail(request, stay, bound=(step, form), error=str(error), status=409)
    messages.success(request, done)
    return redirect("stay-detail", pk=stay.pk)


def _form_kwargs(form: forms.Form) -> dict[str, Any]:
    """The keyword arguments a step's form was built with (its choices)."""
    if isinstance(form, f.MessageForm | f.ItemsForm):
        field: Any = form.fields["type" if isinstance(form, f.MessageForm) else "items"]
        return {"choices": list(field.choices)}
    return {}


@login_required
def worklist_page(request: AuthedRequest) -> HttpResponse:
    """Open deadlines of the user's organisations, overdue first; refreshed every half
    minute while open (htmx)."""
    found = worklist(request.user).select_related(
        "stay__patient", "holder", "stay__hospital", "need__aid_type"
    )
    page = _page(request, found, DEADLINES_PER_PAGE)
    now = timezone.now()
    context = {
        "page": page,
        "rows": [(d, d.status_at(now)) for d in page.object_list],
        "overdue": found.filter(due__lte=now).count(),
        "now": now,
    }
    template = "stays/_worklist_rows.html" if request.htmx else "stays/worklist.html"
    return render(request, template, context)


@login_required
@require_POST
def deadline_done(request: AuthedRequest, pk: int) -> HttpResponse:
    deadline = worklist(request.user).filter(pk=pk).first()
    if deadline is None:
        raise Http404
    form = f.DoneForm(request.POST)
    if form.is_valid():
        try:
            actions.complete_deadline(deadline, actor=request.user, note=form.cleaned_data["note"])
        except Conflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Marked as done."))
            return redirect("worklist")
    errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    messages.error(request, errors or _("Say how the duty was done."))
    return redirect("worklist")


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    holders = holders_of(request.user)
    found = Notification.objects.select_related(
        "deadline__stay__patient", "deadline__need__aid_type", "organisation"
    )
    if holders is not None:
        found = found.filter(organisation__in=holders)
    page = _page(request, found.order_by("-created_at", "-id"), DEADLINES_PER_PAGE)
    return render(request, "stays/notifications.html", {"page": page, "now": timezone.now()})
