"""The stay pages: the list of stays, admission, the stay's page with its timeline and the
step that is due next, the worklist of deadlines, and the notifications.

The stay's page shows each party the forms of its own steps: the hospital sends its
messages, documents § 9 and declares; the municipality answers. Every step goes through
overgang.stays.actions; a refused step shows its reason on the same page (422 or 409) and
changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang import clock
from overgang.aids.models import AidType, Loan
from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import InvalidInput
from overgang.i18n import current_language
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import CHANGE, VIEW, is_unrestricted, memberships_for
from overgang.patients.models import Patient
from overgang.requisitions.access import may_requisition, nav_offices, nav_side
from overgang.requisitions.models import NavApplication, NavStatus, Requisition, Route
from overgang.rules.law import render_all
from overgang.rules.law import waiting_day_rates as law_rates
from overgang.rules.nav import nav_application
from overgang.rules.registry import Agreement, Purpose, RulesError
from overgang.rules.transitions import transitions
from overgang.stays import actions, waiting
from overgang.stays.access import (
    admitting_units,
    capped_counts_and,
    holders_of,
    sides,
    worklist,
)
from overgang.stays.checklist import (
    cited,
    departure_blockers,
    departure_items,
    departure_warnings,
    discharge_blockers,
    discharge_warnings,
    physician_items,
    relatives_cites,
    too_early,
)
from overgang.stays.models import (
    CareType,
    Deadline,
    Message,
    Need,
    NeedStatus,
    Notification,
    Stay,
)
from overgang.stays.statement import statement_csv, statement_pdf
from overgang.stays.states import StayStatus
from overgang.stays.timeline import entries, message_name
from overgang.web.common.citations import law_links, law_notes
from overgang.web.common.forms import Form
from overgang.web.common.reads import itself, read_list, read_one, read_page
from overgang.web.common.views import AuthedRequest, Refused, attempt, paginate, scoped_or_404
from overgang.web.context_processors import (
    mark_news_seen,
    news_counted,
    news_since,
    unseen_news_query,
)
from overgang.web.exchange.shown import message_rows, suggestions
from overgang.web.exports.respond import CAP, asked, exported, unknown_format
from overgang.web.stays import forms as f
from overgang.web.stays import leave as leave_panel
from overgang.web.stays import planned, tables
from overgang.web.stays.training import training_context
from overgang.web.stays.training_forms import TrainingForm
from overgang.web.stays.worklist import PATIENT, WORKLIST_COLUMNS, worklist_rows

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
    found = Stay.objects.restrict(request.user, VIEW).select_related(
        "patient", "hospital", "department"
    )
    if show == "in-hospital":
        # What the start page counts: admitted and not gone, planned stays left out.
        found = found.filter(status__in=StayStatus.IN_HOSPITAL)
    elif show != "all":
        found = found.filter(ended_at__isnull=True)
    found = found.annotate(
        next_due=Min("deadlines__due", filter=Q(deadlines__done_at__isnull=True)),
        overdue=Count(
            "deadlines",
            filter=Q(deadlines__done_at__isnull=True, deadlines__due__lte=clock.now()),
        ),
    ).order_by(*STAY_SORTS[sort])
    export = exported(request, tables.STAYS, found)
    if export is not None:
        return export
    page = read_page(request, paginate(request, found, STAYS_PER_PAGE))
    context = {
        "page": page,
        "show": show,
        "sort": sort,
        "waiting_days": _waiting_days_apply(request.user),
    }
    return render(request, "stays/list.html", context)


def _waiting_days_apply(user: Any) -> bool:
    """Does the law where the reader works count waiting days (Norway, forskrift § 13)? A
    reader in Denmark is never shown them."""
    if is_unrestricted(user):
        return True
    return waiting.apply_to(m.organisation.country for m in memberships_for(user, VIEW))


def _patient(request: AuthedRequest, pk: int) -> Patient:
    return scoped_or_404(Patient.objects.restrict(request.user, VIEW), pk=pk)


@login_required
def stay_admit(request: AuthedRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    units = admitting_units(request.user)
    if not units:
        raise PermissionDenied
    try:
        agreement = patient.agreement_today()
    except RulesError:
        agreement = None  # the writer refuses the admission, naming the patient
    form = f.AdmitForm(
        request.POST or None,
        units=units,
        agreement=agreement,
        initial={"admitted_at": f.now_minute(), "admission": "emergency", "care": "somatic"},
    )
    status = 200
    if request.method == "POST":
        outcome = attempt(lambda: _admit(patient, form, request.user), form)
        if not isinstance(outcome, Refused):
            done = (
                _(
                    "The planned admission of %(name)s is registered; "
                    "the notices before arrival are open."
                )
                if outcome.status == StayStatus.PLANNED
                else _("%(name)s's outpatient episode is started.")
                if outcome.is_outpatient
                else _("%(name)s is admitted.")
            )
            messages.success(request, done % {"name": patient.name})
            return redirect("stay-detail", pk=outcome.pk)
        status = outcome.shown_on(form)
    read_one(request, patient, ReadPurpose.STAY)
    return render(request, "stays/admit.html", {"patient": patient, "form": form}, status=status)


def _admit(patient: Patient, form: f.AdmitForm, actor: Any) -> Stay:
    data = form.cleaned_data
    return actions.admit(
        patient,
        actor=actor,
        unit=form.units[data["department"]],
        admission=data["admission"],
        admitted_at=data["admitted_at"],
        expected_stay_hours=data["expected_stay_hours"],
        expected_discharge=data["expected_discharge"],
        care=data["care"] or CareType.SOMATIC,
        aid_need_foreseeable=bool(data.get("aid_need_foreseeable")),
    )


def _stay(request: AuthedRequest, pk: int, action: str = VIEW) -> Stay:
    return scoped_or_404(
        Stay.objects.restrict(request.user, action).select_related(
            "patient__municipality", "patient__district", "hospital", "department"
        ),
        pk=pk,
    )


def _aid_choices() -> list[tuple[str, str]]:
    kinds = AidType.objects.exclude(category="training-gear")
    return sorted(((k.slug, k.name) for k in kinds), key=lambda c: c[1].casefold())


def _form(step: str, stay: Stay, user: Any, data: Any = None) -> Form:
    """The form of one step, bound to `data` when posted. Each has its own element ids: the
    stay's page shows many forms at once."""
    form = _step_form(step, stay, user, data)
    form.auto_id = f"id_{step}_%s"
    return form


def _institutions(stay: Stay) -> list[tuple[str, str]]:
    """The nursing homes of the patient's municipality, where a discharge may go."""
    patient = stay.patient
    homes = Organisation.objects.filter(kind=Kind.NURSING_HOME).filter(
        Q(parent=patient.municipality) | Q(parent__parent=patient.municipality)
    )
    return [(o.key, o.name) for o in homes.order_by("name")]


def _step_form(step: str, stay: Stay, user: Any, data: Any = None) -> Form:
    now = {"at": f.now_minute(), "sent_at": f.now_minute()}
    initial = None if data is not None else now
    if step == "message":
        return f.MessageForm(data, initial=initial, choices=f.message_choices(stay, sides(user)))
    if step == "documented":
        return f.DocumentedForm(
            data,
            initial={"items": stay.documented},
            choices=[(item, text) for item, text, _done in physician_items(stay)],
            texts=stay.documented_texts,
        )
    if step == "prepared":
        return f.ItemsForm(
            data,
            initial={"items": stay.prepared},
            choices=[
                (item, text) for item, text, _done, message in departure_items(stay) if not message
            ],
        )
    if step == "need":
        return f.NeedForm(
            data,
            initial={"kind": "aid"},
            aid_choices=_aid_choices(),
            agreement=actions.stay_agreement(stay),
        )
    if step == "training":
        return TrainingForm(data, initial=initial, aid_choices=_aid_choices())
    if step == "relatives":
        form = f.RelativesForm(
            data,
            initial={
                "relatives_need_support": stay.relatives_need_support,
                "minor_children": stay.minor_children,
                "note": stay.relatives_note,
                "individual_plan": stay.individual_plan,
                "coordinator": stay.coordinator,
                "coordinator_needed": stay.coordinator_needed,
                "responsibility_group": stay.responsibility_group,
            },
        )
        if not actions.coordination_rule_cites(stay):
            # Neither the agreement nor the law reports a coordinator to the municipality.
            del form.fields["coordinator_needed"]
        return form
    if step == "discharge":
        return f.DischargeForm(data, initial=initial, destinations=_institutions(stay))
    if step == "move_planned":
        # From the time planned now, in the reader's zone.
        planned_now = timezone.localtime(stay.admitted_at).strftime(f.LOCAL_MINUTE)
        return planned.MovePlannedForm(data, initial=None if data else {"admitted_at": planned_now})
    plain: dict[str, type[Form]] = {
        "event": f.EventForm,
        "supplementary": f.SupplementaryForm,
        "discharge_ready": f.DischargeReadyForm,
        "answer": f.AnswerForm,
        "departure_ready": f.DepartureReadyForm,
        "leave": f.LeaveForm,
        "death": f.WhenForm,
        "episode_end": f.EpisodeEndForm,
        "withdraw": f.ReasonForm,
        **planned.FORMS,
    }
    return plain[step](data, initial=initial)


def _purpose_label(purpose: Purpose | None, language: str) -> str:
    """What a need is for, in the agreement's words, with where it says them."""
    return f"{purpose.text[language]} ({', '.join(purpose.cites)})" if purpose else ""


def _detail(
    request: AuthedRequest,
    stay: Stay,
    *,
    bound: tuple[str, Form] | None = None,
    error: str = "",
    status: int = 200,
    refused_need: tuple[str, int, str] | None = None,
) -> HttpResponse:
    """The stay's page. What was refused (`error`) stands in the form that was sent: the
    bound form's own message (its non-field errors), or a need's action ("cancel"/"link",
    the need's pk, what was typed) under that need; where that form is not on the page, at
    the top of it (stays/detail.html)."""
    log_read(stay.patient, user=request.user, purpose=ReadPurpose.STAY)
    acting = (
        sides(request.user)
        if Stay.objects.restrict(request.user, CHANGE).filter(pk=stay.pk).exists()
        else set()
    )
    step_forms = {step: _form(step, stay, request.user) for step in STEPS}
    if bound is not None:
        step_forms[bound[0]] = bound[1]
        _said_on(bound[1], error)
    now = clock.now()
    language = current_language()
    deadlines = list(Deadline.objects.filter(stay=stay).select_related("holder", "need__aid_type"))
    deadlines.sort(key=lambda d: (d.done_at is not None, d.due is None, d.due or now))
    stay_deadlines = [d for d in deadlines if d.need_id is None]
    needs = list(
        Need.objects.filter(stay=stay).select_related("aid_type", "loan__device").order_by("id")
    )
    tasks: dict[int, list[tuple[Deadline, str]]] = {}
    for deadline, state in ((d, d.status_at(now)) for d in deadlines):
        if deadline.need_id is not None:
            tasks.setdefault(deadline.need_id, []).append((deadline, state))
    active = list(
        Loan.objects.active().filter(patient=stay.patient_id).select_related("device__aid_type")
    )
    requisitions: dict[int, list[Requisition]] = {}
    for requisition in Requisition.objects.restrict(request.user, VIEW).filter(
        stay=stay, need__isnull=False
    ):
        requisitions.setdefault(requisition.need_id or 0, []).append(requisition)
    applications: dict[int, list[NavApplication]] = {}
    for application in NavApplication.objects.restrict(request.user, VIEW).filter(
        stay=stay, need__isnull=False
    ):
        applications.setdefault(application.need_id or 0, []).append(application)
    # The sides the user applies to NAV for under this patient's agreement (H2, H5); a
    # need is offered to those its agreement's answer names as applicant.
    nav_sides = (
        {nav_side(o) for o in nav_offices(request.user, stay.patient)} if stay.is_open else set()
    )
    agreement = actions.stay_agreement(stay)
    language = current_language()
    purposes = {p.key: p for p in agreement.purposes}
    need_rows = [
        {
            "need": need,
            "purpose": _purpose_label(purposes.get(need.purpose), language),
            "tasks": tasks.get(need.pk, []),
            "requisitions": requisitions.get(need.pk, []),
            "nav_applications": applications.get(need.pk, []),
            "apply_to_nav": _nav_offer(need, nav_sides, applications.get(need.pk, [])),
            "loans": [
                loan
                for loan in active
                if need.aid_type
                and loan.device.aid_type.slug in (need.aid_type.slug, *need.aid_type.parts)
            ],
        }
        for need in needs
    ]
    shown_messages = message_rows(stay)
    warnings = discharge_warnings(stay) if stay.is_open else []
    context = {
        "stay": stay,
        "patient": stay.patient,
        "needs": need_rows,
        "message_rows": shown_messages,
        "suggestions": suggestions(stay, shown_messages),
        "may_requisition": may_requisition(request.user),
        **training_context(stay, language),
        "relatives": stay.patient.relatives.all(),
        "timeline": entries(stay),
        "deadlines": [(d, d.status_at(now)) for d in stay_deadlines],
        "blockers": discharge_blockers(stay) if stay.is_open else [],
        # The relatives' prompt goes with the decision (R10), the others' open tasks apart.
        "warnings": [w for w in warnings if w.key != "relatives"],
        "relatives_prompt": [w for w in warnings if w.key == "relatives"],
        "departure_blockers": departure_blockers(stay) if stay.is_open else [],
        "departure_warnings": departure_warnings(stay) if stay.is_open else [],
        "too_early": too_early(stay, now) if stay.is_open else "",
        "checklists": stay.checklists,
        "section_9": stay.checklists.has_section_9,
        "deciders": stay.checklists.deciders.professions(stay.care),
        **_notice_and_answer(stay, agreement, language),
        # The relatives' needs are cited to the routine where it has the point (HNT 004
        # 2.1, 2.2), and to nothing where it is silent.
        "relatives_cites": render_all(relatives_cites(stay), stay.country, language),
        **_episode(request, stay, language, deadlines),
        **_coordination(stay, language, deadlines, now),
        "needs_hint": _needs_hint(stay, language),
        "own_responsibility": render_all(
            stay.checklists.routine.own_responsibility, stay.country, language
        ),
        "handed_over": stay.events.filter(name="needs-handed-over").order_by("-id").first(),
        "physician_items": physician_items(stay),
        "departure_items": departure_items(stay),
        "hospital_side": "hospital" in acting,
        "asks_supplementary": stay.is_open
        and not stay.is_outpatient
        and actions.asks_supplementary_information(stay),
        "municipal_side": "municipality" in acting,
        "physician": "hospital" in acting and actions.is_physician(request.user, stay),
        "forms": step_forms,
        "error": error,
        "bound": bound[0] if bound else "",
        "refused_need": refused_need,
        "asks_duration": agreement.asks_duration,
        "supplies_cites": ", ".join(stay.checklists.routine.same_day_supplies),
        "notice_window": stay.checklists.notice_window,
        "notice_window_cites": render_all(
            stay.checklists.notice_window.cites if stay.checklists.notice_window else (),
            stay.country,
            language,
        ),
        "now": now,
        **planned.planned_context(stay),
        **leave_panel.panel(stay, bound),
    }
    return render(request, "stays/detail.html", context, status=status)


def _said_on(form: Form, error: str) -> None:
    """The refusal in the form that was sent, above its fields, unless it is the form's own
    non-field errors already (stay_step says those at the top too)."""
    own = form.non_field_errors()
    if error and error != "; ".join(str(m) for m in own):
        form.add_error(None, error)


def _notice_and_answer(stay: Stay, agreement: Agreement, language: str) -> dict[str, Any]:
    """The notice of a discharge-ready patient and the municipality's answer, where the
    country's messages have them (Norway's PLO; none in Denmark), with the order the
    agreement asks (HNT: 004 Vedlegg 3.1.1 b) and the duty to answer, cited where it is set
    (the law's "straks", or the agreement's own)."""
    messages = transitions(stay.country).messages.values()
    notice = next((m for m in messages if m.event == "discharge-ready-notified"), None)
    answer = next((m for m in messages if "municipality-answer" in m.closes), None)
    order = stay.checklists.routine.order_of(notice.code) if notice else None
    duty = next(
        (
            r
            for r in agreement.deadline_rules
            if r.event == "discharge-ready-notified" and r.duty == "municipality-answer"
        ),
        None,
    )
    return {
        "notice_message": notice.name[language] if notice else "",
        "notice_first": ", ".join(
            transitions(stay.country).messages[code].name[language] for code in order.after
        )
        if order
        else "",
        "notice_order": render_all(order.cites, stay.country, language) if order else "",
        "answer_message": answer.name[language] if answer else "",
        "answer_at_once": duty is not None and duty.due.kind == "at-once",
        "answer_cites": render_all(duty.cites, stay.country, language) if duty else "",
    }


def _episode(
    request: AuthedRequest, stay: Stay, language: str, deadlines: list[Deadline]
) -> dict[str, Any]:
    """An outpatient episode's part of the page (R11, U1): its outpatient requisitions, and
    what the agreement has the municipality do when the patient's needs change."""
    if not stay.is_outpatient:
        return {}
    agreement = actions.stay_agreement(stay)
    rule = next(
        (r for r in agreement.deadline_rules if r.event == "outpatient-needs-changed"), None
    )
    return {
        "episode_requisitions": Requisition.objects.restrict(request.user, VIEW)
        .filter(stay=stay, route=Route.OUTPATIENT)
        .select_related("aid_type", "unit")
        .order_by("id"),
        "needs_duty_cites": render_all(rule.cites, stay.country, language) if rule else "",
        "needs_duty_text": rule.text[language] if rule else "",
        "needs_tasks": [d for d in deadlines if d.duty == "outpatient-needs-follow-up"],
    }


def _coordination(
    stay: Stay, language: str, deadlines: list[Deadline], now: datetime.datetime
) -> dict[str, Any]:
    """R10: where the agreement or the law has the municipality's coordinating unit make
    the individual plan and offer a coordinator, the task it was given and its state."""
    cites = actions.coordination_rule_cites(stay)
    return {
        "coordination_cites": render_all(cites, stay.country, language),
        "coordination_tasks": [
            (d, d.status_at(now)) for d in deadlines if d.duty == "coordination"
        ],
    }


def _needs_hint(stay: Stay, language: str) -> str:
    """What the agreement says of describing the patient's needs, cited; "" where silent."""
    hint = stay.checklists.routine.needs_hint
    if stay.is_outpatient:
        return ""  # the routines' hints are about admitted patients (day 0–2, the care plan)
    return cited(stay, hint.text[language], hint.cites) if hint else ""


def _nav_offer(need: Need, sides: set[str], applications: list[NavApplication]) -> bool:
    """Offer "apply to NAV" on an open aid need whose agreement answer has NAV deliver it and
    the user's side apply, unless an application for it is open already."""
    route = nav_application(need.decision or {})
    return (
        route is not None
        and route.applicant in sides
        and need.status == NeedStatus.OPEN
        and not any(a.status in NavStatus.OPEN for a in applications)
    )


@login_required
def stay_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _stay(request, pk))


def _handle_documented(stay: Stay, data: dict[str, Any], user: Any) -> str:
    texts = {k.removeprefix("texts."): v for k, v in data.items() if k.startswith("texts.")}
    actions.document(stay, data["items"], actor=user, texts=texts)
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


def _handle_supplementary(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.request_supplementary_information(stay, actor=user, at=data["at"], note=data["note"])
    return _("The municipality is asked for supplementary information; it is on its worklist.")


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
    actions.declare_departure_ready(stay, actor=user, at=data["at"], reason=data["reason"])
    return _("The patient is ready to leave.")


def _handle_discharge(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.discharge(
        stay,
        actor=user,
        at=data["at"],
        force_majeure=data["force_majeure"],
        destination=data["destination"],
        reason=data["reason"],
    )
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


def _handle_need(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.record_need(
        stay,
        actor=user,
        kind=data["kind"],
        description=data["description"],
        own_part=data["own_part"],
        aid_type=data["aid_type"],
        duration=data["duration"],
        purpose=data["purpose"],
        needed_for_journey_home=data["needed_for_journey_home"],
    )
    return _("The need is recorded; the agreement's tasks are on the worklists.")


def _handle_training(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.record_training(
        stay,
        actor=user,
        aid_type=data["aid_type"],
        trainee=data["trainee"],
        names=data["names"],
        at=data["at"],
        interpreter=data["interpreter"],
        written_procedures=data["written_procedures"],
        repeat=data["repeat"],
        no_interpreter_reason=data["no_interpreter_reason"],
        items=data["items"],
        teach_back=data["teach_back"],
        repeat_on=data["repeat_on"],
    )
    return _("The training is recorded.")


def _handle_relatives(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.assess_relatives(
        stay,
        actor=user,
        relatives_need_support=data["relatives_need_support"],
        minor_children=data["minor_children"],
        note=data["note"],
        individual_plan=data["individual_plan"],
        coordinator=data["coordinator"],
        coordinator_needed=data.get("coordinator_needed", False),
        responsibility_group=data["responsibility_group"],
    )
    return _("The assessment of the relatives is saved.")


def _handle_episode_end(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.end_episode(stay, actor=user, at=data["at"], note=data["note"])
    return _("The outpatient episode is closed.")


STEPS: dict[str, Callable[[Stay, dict[str, Any], Any], str]] = {
    "need": _handle_need,
    "training": _handle_training,
    "relatives": _handle_relatives,
    "message": _handle_message,
    "event": _handle_event,
    "supplementary": _handle_supplementary,
    "documented": _handle_documented,
    "discharge_ready": _handle_discharge_ready,
    "answer": _handle_answer,
    "prepared": _handle_prepared,
    "departure_ready": _handle_departure_ready,
    "discharge": _handle_discharge,
    "leave": _handle_leave,
    "death": _handle_death,
    "withdraw": _handle_withdraw,
    **planned.STEPS,
    "episode_end": _handle_episode_end,
}


@login_required
@require_POST
def stay_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    stay = _stay(request, pk, CHANGE)
    if step not in STEPS:
        raise Http404
    form = _form(step, stay, request.user, request.POST)
    if not form.is_valid():
        return _detail(request, stay, bound=(step, form), status=422)
    done = attempt(lambda: STEPS[step](stay, form.cleaned_data, request.user), form)
    if isinstance(done, Refused):
        # What the writer said not about a field (who may take the step) shows at the top of
        # the page too, also where the step's form is not on it.
        general = done.message or "; ".join(str(m) for m in form.non_field_errors())
        return _detail(request, stay, bound=(step, form), error=general, status=done.status)
    messages.success(request, done)
    return redirect("stay-detail", pk=stay.pk)


def _need(request: AuthedRequest, pk: int, need_pk: int) -> tuple[Stay, Need]:
    stay = _stay(request, pk, CHANGE)
    return stay, scoped_or_404(
        Need.objects.filter(stay=stay).select_related("aid_type"), pk=need_pk
    )


@login_required
@require_POST
def need_link(request: AuthedRequest, pk: int, need_pk: int) -> HttpResponse:
    """The aid on loan fulfils the need."""
    stay, need = _need(request, pk, need_pk)
    form = f.LinkLoanForm(request.POST)

    def write() -> None:
        found = Loan.objects.filter(pk=form.cleaned_data["loan"]).select_related("device")
        loan = found.first()
        if loan is None:
            raise InvalidInput({"loan": _("Choose the loan.")})
        actions.link_loan(need, loan, actor=request.user)

    outcome = attempt(write, form, shown=False)
    if isinstance(outcome, Refused):
        return _detail(
            request,
            stay,
            error=outcome.message,
            status=outcome.status,
            refused_need=("link", need.pk, ""),
        )
    messages.success(request, _("The need is in place."))
    return redirect("stay-detail", pk=stay.pk)


@login_required
@require_POST
def need_cancel(request: AuthedRequest, pk: int, need_pk: int) -> HttpResponse:
    stay, need = _need(request, pk, need_pk)
    form = f.CancelNeedForm(request.POST)
    outcome = attempt(
        lambda: actions.cancel_need(need, actor=request.user, reason=form.cleaned_data["reason"]),
        form,
        shown=False,
    )
    if isinstance(outcome, Refused):
        typed = str(form.data.get("reason", ""))
        return _detail(
            request,
            stay,
            error=outcome.message,
            status=outcome.status,
            refused_need=("cancel", need.pk, typed),
        )
    messages.success(request, _("The need is cancelled; its open tasks are withdrawn."))
    return redirect("stay-detail", pk=stay.pk)


@login_required
def worklist_page(request: AuthedRequest) -> HttpResponse:
    """Open deadlines of the user's organisations, overdue first; refreshed every half
    minute while open (htmx)."""
    return _worklist(request)


def _worklist(
    request: AuthedRequest,
    *,
    error: str = "",
    status: int = 200,
    refused: dict[str, Any] | None = None,
) -> HttpResponse:
    """The worklist page, or its rows alone for its own refresh (htmx). A refused "done"
    (`refused`: the deadline's pk, the note typed, the message) comes back in its row, the
    form open with the note and the message where the button was; at the top of the page
    only when the row is not on it."""
    now = clock.now()
    found = worklist(request.user)
    # ?show=overdue: the overdue deadlines alone, as the start page's figure counts them.
    only_overdue = request.GET.get("show") == "overdue"
    if only_overdue:
        found = found.filter(due__lte=now)
    if asked(request):
        read = list(found.values_list(*WORKLIST_COLUMNS)[: CAP + 1])
        shown = zip(read, worklist_rows(read, now, request.user), strict=True)
        return exported(request, tables.WORKLIST, shown) or HttpResponse(status=204)
    # The full page counts the menu's news with its own figures; the refresh shows no menu.
    news = () if request.htmx else (unseen_news_query(request),)
    (counted, (overdue, more_overdue)), news_count = capped_counts_and(
        (found, found.filter(due__lte=now)), news
    )
    if news_count:
        news_counted(request, news_count[0])
    page = read_page(
        request,
        paginate(
            request, found.values_list(*WORKLIST_COLUMNS), DEADLINES_PER_PAGE, counted=counted
        ),
        patient=itemgetter(PATIENT),
    )
    rows = worklist_rows(list(page.object_list), now, request.user)
    in_its_row = refused is not None and any(row.pk == refused["pk"] for row, _state in rows)
    context = {
        "page": page,
        "rows": rows,
        "overdue": overdue,
        "more_overdue": more_overdue,
        "now": now,
        "error": "" if in_its_row else error,
        "refused": refused if in_its_row else None,
        "only_overdue": only_overdue,
    }
    template = "stays/_worklist_rows.html" if request.htmx else "stays/worklist.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def deadline_done(request: AuthedRequest, pk: int) -> HttpResponse:
    deadline = scoped_or_404(worklist(request.user), pk=pk)
    form = f.DoneForm(request.POST)
    outcome = attempt(
        lambda: actions.complete_deadline(
            deadline, actor=request.user, note=form.cleaned_data["note"]
        ),
        form,
        shown=False,
    )
    if isinstance(outcome, Refused):
        refused = {"pk": deadline.pk, "note": form.data.get("note", ""), "message": outcome.message}
        return _worklist(request, error=outcome.message, status=outcome.status, refused=refused)
    messages.success(request, _("Marked as done."))
    return redirect("worklist")


def _notified_patient(notification: Notification) -> int | None:
    """News names its patient; a deadline's notice, the patient of the deadline's stay."""
    if notification.deadline is not None:
        return notification.deadline.stay.patient_id
    return notification.patient_id


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    holders = holders_of(request.user)
    found = Notification.objects.select_related(
        "deadline__stay__patient", "deadline__need__aid_type", "organisation", "patient"
    )
    if holders is not None:
        found = found.filter(organisation__in=holders)
    export = exported(request, tables.NOTIFICATIONS, found.order_by("-created_at", "-id"))
    if export is not None:
        return export
    since = news_since(request)
    page = read_page(
        request,
        paginate(request, found.order_by("-created_at", "-id"), DEADLINES_PER_PAGE),
        patient=_notified_patient,
    )
    # What is shown is seen: the menu's count starts again from now.
    mark_news_seen(request)
    return render(
        request, "stays/notifications.html", {"page": page, "now": clock.now(), "since": since}
    )


def _month(text: str) -> tuple[int, int]:
    today = clock.today()
    try:
        year, month = (int(part) for part in text.split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


@login_required
def waiting_days_page(request: AuthedRequest) -> HttpResponse:
    """What each municipality pays for the waiting days of one month (R9), per stay."""
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    if not _waiting_days_apply(request.user):
        raise Http404  # no law where the reader works counts waiting days
    year, month = _month(request.GET.get("month", ""))
    first, last = waiting.month_bounds(year, month)
    # One municipality's statement: the one the hospital sends it, naming no other's patients.
    municipality = request.GET.get("municipality") or None
    if municipality is not None and not waiting.is_municipality(municipality):
        raise Http404
    statements = waiting.statements(
        Stay.objects.restrict(request.user, VIEW), first, last, municipality
    )
    exported_as = request.GET.get("format", "")
    if exported_as in ("xlsx", "print"):
        lines = [(statement, line) for statement in statements for line in statement.lines]
        return exported(request, tables.WAITING_DAYS, lines) or HttpResponse(status=204)
    if exported_as not in ("", "csv", "pdf"):
        return unknown_format(request, ("csv", "xlsx", "pdf", "print"))
    # Exporting the statement is a read of every patient on it.
    read_list(
        request,
        [line.stay.patient_id for statement in statements for line in statement.lines],
        patient=itself,
        purpose=ReadPurpose.EXPORT if exported_as else ReadPurpose.LIST,
    )
    if exported_as:
        return _waiting_export(statements, year, month, exported_as, municipality)
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    context = {
        "statements": statements,
        "first": first,
        "last": last,
        "month": f"{year:04d}-{month:02d}",
        "municipality": municipality or "",
        "previous": f"{previous.year:04d}-{previous.month:02d}",
        "following": f"{following.year:04d}-{following.month:02d}",
        "rates": waiting.rate_table(),
        **_rate_law(WAITING_DAYS_COUNTRY, current_language()),
    }
    return render(request, "stays/waiting.html", context)


# Waiting days are a Norwegian scheme (overgang.stays.waiting counts them for no other).
WAITING_DAYS_COUNTRY = "NO"


def _rate_law(country: str, language: str) -> dict[str, Any]:
    """The law behind the waiting days and their rate, labelled as law; nothing for a
    country whose law has no such scheme."""
    rates = law_rates(country)
    if rates is None:
        return {}
    return {
        "rate_links": law_links(rates.cites, country, language),
        "law_notes": law_notes(country, language, ("payment_scope",)),
    }


def _waiting_export(
    statements: list[waiting.Statement],
    year: int,
    month: int,
    kind: str,
    municipality: str | None = None,
) -> HttpResponse:
    """The statement the hospital invoices from (R9): CSV or PDF, in the reader's language."""
    # The file's name in the reader's language, in letters every system keeps.
    base = _("waiting-days")
    whose = f"-{municipality}" if municipality else ""
    name = f"{base}{whose}-{year:04d}-{month:02d}.{kind}"
    if kind == "pdf":
        response = HttpResponse(
            statement_pdf(statements, f"{year:04d}-{month:02d}"), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    response = HttpResponse(statement_csv(statements), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def stay_reasoning(request: AuthedRequest, pk: int) -> HttpResponse:
    """The hospital's reasoning for the discharge-ready decision, which the municipality may
    demand (R9, 004 3.2, forskrift § 9 and § 14): printable."""
    stay = _stay(request, pk)
    log_read(stay.patient, user=request.user, purpose=ReadPurpose.DISCHARGE_REASONING)
    days = waiting.waiting_days(stay)
    prices = waiting.rates()
    context = {
        "waiting_days": waiting.apply_to([stay.country]),
        "stay": stay,
        "patient": stay.patient,
        "items": [
            (item, text, done, stay.documented_texts.get(item, ""))
            for item, text, done in physician_items(stay)
        ],
        "days": days.days,
        "amount": sum((prices.get(d.year, 0) for d in days.days), 0),
        "missing_rates": sorted({d.year for d in days.days if d.year not in prices}),
        "section_9": stay.checklists.has_section_9,
        "section_9_links": law_links(stay.checklists.law_cites, stay.country, current_language()),
        "notice_window": stay.checklists.notice_window,
        **_rate_law(stay.country, current_language()),
        "messages_sent": [
            (m, message_name(stay, m))
            for m in Message.objects.filter(stay=stay).order_by("sent_at")
        ],
    }
    return render(request, "stays/reasoning.html", context)
