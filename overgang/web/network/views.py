"""The network group's pages (N10, N11, N13): the members by side, the meetings with minutes
and decisions, the queue of delimitation questions, and the stock alerts of the agreement's
aids units. Members see no patient; a question carries the case, or a dispute's subject,
never a patient; an alert a unit, an aid type and two counts."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import F, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from overgang import clock
from overgang.aids.capacity import under
from overgang.i18n import current_language
from overgang.network import actions, alerts
from overgang.network import members as group
from overgang.network.models import Meeting, Question, Status
from overgang.organisations.network import network_agreements, sits_in
from overgang.organisations.permissions import VIEW, acts_for
from overgang.requisitions.models import Dispute
from overgang.requisitions.models.disputes import Question as DisputeQuestion
from overgang.rules.registry import aid_types, all_agreements
from overgang.web.common.views import AuthedRequest, Refused, attempt, paginate
from overgang.web.context_processors import alerts_counted
from overgang.web.network.forms import (
    AnswerForm,
    DecisionForm,
    MeetingForm,
    QuestionForm,
    ReopenForm,
)
from overgang.web.rules import forms as rules_forms

PER_PAGE = 25
SORTS = {
    "asked": ("asked_at", "id"),
    "-asked": ("-asked_at", "-id"),
    "agreement": ("agreement", "asked_at", "id"),
    "subject": ("subject", "id"),
}


CASE_LABELS = {
    "municipality": gettext_lazy("Municipality"),
    "district": gettext_lazy("District"),
    "aid_type": gettext_lazy("Aid"),
    "purpose": gettext_lazy("Purpose"),
    "started_by": gettext_lazy("Started by"),
    "phase": gettext_lazy("Phase"),
    "requester": gettext_lazy("Requested by"),
    "lender": gettext_lazy("Lent by"),
    "duty": gettext_lazy("Task"),
    "question": gettext_lazy("Disagreement about"),
    "hospital": gettext_lazy("Hospital department"),
}


def case_rows(case: dict[str, str]) -> list[tuple[str, str]]:
    """The case's fields as the reader says them: names for the codes the page sent."""
    language = current_language()
    names: dict[str, dict[str, Any]] = {
        "purpose": dict(rules_forms.PURPOSES),
        "started_by": dict(rules_forms.STARTED_BY),
        "phase": dict(rules_forms.PHASES),
        "requester": dict(rules_forms.REQUESTERS),
        "question": dict(DisputeQuestion.choices),
        "lender": {"hospital": _("Hospital"), "private-hospital": _("Private hospital")},
        "municipality": {m.number: m.name for a in all_agreements() for m in a.municipalities},
    }
    rows = []
    for key, value in case.items():
        if key == "aid_type":
            kind = aid_types().get(value)
            shown = kind.names[language] if kind is not None else value
        else:
            shown = names.get(key, {}).get(value, value)
        rows.append((str(CASE_LABELS.get(key, key)), str(shown)))
    return rows


def _zone(agreement_id: str) -> ZoneInfo:
    for agreement in all_agreements():
        if agreement.id == agreement_id:
            return ZoneInfo(agreement.time_zone)
    return ZoneInfo("UTC")


def _titles() -> dict[str, str]:
    return {a.id: a.title for a in all_agreements()}


def _mine(request: AuthedRequest) -> dict[str, Any]:
    """The agreements whose group the user sits in; 404 for anyone who sits in none."""
    agreements = network_agreements(request.user)
    if not agreements:
        raise Http404
    return agreements


# Members ------------------------------------------------------------------------------


@login_required
def group_page(request: AuthedRequest) -> HttpResponse:
    agreements = _mine(request)
    groups = []
    for agreement in agreements.values():
        sides = group.sides(agreement)
        groups.append(
            {
                "agreement": agreement,
                "sides": sides,
                "missing": [side.name for side in sides if not side.seats],
                "open": Question.objects.filter(agreement=agreement.id, status=Status.OPEN).count(),
            }
        )
    return render(request, "network/group.html", {"groups": groups})


@login_required
@require_POST
def chair(request: AuthedRequest, agreement: str) -> HttpResponse:
    if not sits_in(request.user, agreement):
        raise Http404
    try:
        member = User.objects.get(pk=int(request.POST.get("member", "")))
    except (User.DoesNotExist, ValueError):
        member = None
    outcome = attempt(
        lambda: actions.set_chair(
            agreement,
            member if member is not None else User(pk=0),
            actor=request.user,
            chair=request.POST.get("chair") == "1",
        )
    )
    if isinstance(outcome, Refused):
        messages.error(request, outcome.message)
        return redirect("network-group")
    messages.success(request, _("The chairs are saved."))
    return redirect("network-group")


# Meetings -----------------------------------------------------------------------------


def _meeting(request: AuthedRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting, pk=pk)
    if not sits_in(request.user, meeting.agreement):
        raise Http404
    meeting.zone = _zone(meeting.agreement)  # type: ignore[attr-defined]
    return meeting


@login_required
def meeting_list(request: AuthedRequest) -> HttpResponse:
    agreements = _mine(request)
    show = "past" if request.GET.get("show") == "past" else "upcoming"
    now = clock.now()
    found = Meeting.objects.filter(agreement__in=list(agreements))
    if show == "past":
        found = found.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    else:
        found = found.filter(starts_at__gte=now).order_by("starts_at", "id")
    page = paginate(request, found, PER_PAGE)
    titles = _titles()
    for meeting in page.object_list:
        meeting.zone = _zone(meeting.agreement)
        meeting.title = titles.get(meeting.agreement, meeting.agreement)
    return render(request, "network/meetings.html", {"page": page, "show": show})


def _when(form: MeetingForm, agreement: str) -> datetime.datetime | None:
    data = form.cleaned_data
    if data.get("date") is None or data.get("time") is None:
        return None
    return datetime.datetime.combine(data["date"], data["time"], tzinfo=_zone(agreement))


def _save_meeting(request: AuthedRequest, meeting: Meeting | None) -> HttpResponse:
    agreements = _mine(request)
    initial: dict[str, Any] = {}
    if meeting is not None:
        local = meeting.starts_at.astimezone(_zone(meeting.agreement))
        initial = {
            "agreement": meeting.agreement,
            "date": local.date(),
            "time": local.time(),
            "place": meeting.place,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
        }
    form = MeetingForm(request.POST or None, initial=initial, agreements=agreements)
    if meeting is not None:
        form.fields["agreement"].disabled = True
    status = 200
    if request.method == "POST":

        def write() -> Meeting:
            data = form.cleaned_data
            agreement = meeting.agreement if meeting else data.get("agreement", "")
            when = _when(form, agreement)
            return actions.save_meeting(
                meeting,
                actor=request.user,
                agreement=agreement,
                starts_at=when,
                place=data.get("place", ""),
                agenda=data.get("agenda", ""),
                minutes=data.get("minutes", ""),
            )

        outcome = attempt(write, form)
        if not isinstance(outcome, Refused):
            messages.success(request, _("The meeting is saved."))
            return redirect("network-meeting", pk=outcome.pk)
        status = outcome.shown_on(form)
    return render(
        request, "network/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


@login_required
def meeting_new(request: AuthedRequest) -> HttpResponse:
    return _save_meeting(request, None)


@login_required
def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _save_meeting(request, _meeting(request, pk))


def _meeting_page(
    request: AuthedRequest, meeting: Meeting, *, form: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "meeting": meeting,
        "title": _titles().get(meeting.agreement, meeting.agreement),
        "decisions": meeting.decisions.all(),
        "answered": meeting.questions.order_by("answered_at", "id"),
        "decision_form": form or DecisionForm(),
    }
    return render(request, "network/meeting.html", context, status=status)


@login_required
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, pk))


@login_required
@require_POST
def decision_new(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = DecisionForm(request.POST)

    def write() -> Any:
        data = form.cleaned_data
        return actions.add_decision(
            meeting,
            actor=request.user,
            text=data.get("text", ""),
            agreement_ref=data.get("agreement_ref", ""),
            version_label=data.get("version_label", ""),
        )

    outcome = attempt(write, form)
    if isinstance(outcome, Refused):
        return _meeting_page(request, meeting, form=form, status=outcome.shown_on(form))
    messages.success(request, _("The decision is written down."))
    return redirect("network-meeting", pk=meeting.pk)


# Questions ----------------------------------------------------------------------------


def _listed(request: AuthedRequest, found: QuerySet[Question], template: str) -> HttpResponse:
    show = request.GET.get("show", "open")
    if show not in ("open", "answered", "all"):
        show = "open"
    if show != "all":
        found = found.filter(status=show)
    sort = request.GET.get("sort", "asked")
    if sort not in SORTS:
        sort = "asked"
    page = paginate(request, found.order_by(*SORTS[sort]), PER_PAGE)
    titles = _titles()
    for question in page.object_list:
        question.title = titles.get(question.agreement, question.agreement)
    return render(request, template, {"page": page, "show": show, "sort": sort})


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    agreements = _mine(request)
    return _listed(
        request, Question.objects.filter(agreement__in=list(agreements)), "network/queue.html"
    )


@login_required
def my_questions(request: AuthedRequest) -> HttpResponse:
    return _listed(
        request, Question.objects.filter(asked_by=request.user), "network/my_questions.html"
    )


CASE_PARAMS = actions.CASE_KEYS


@login_required
def question_new(request: AuthedRequest) -> HttpResponse:
    agreements = group.agreements_worked_under(request.user)
    if not agreements:
        raise Http404
    source = request.GET.get("source", "direct")
    if source not in ("direct", "rules", "need"):
        source = "direct"
    case = actions.clean_case({key: request.GET.get(key) for key in CASE_PARAMS})
    initial = {"agreement": request.GET.get("agreement", "")}
    form = QuestionForm(request.POST or None, initial=initial, agreements=agreements)
    status = 200
    if request.method == "POST":

        def write() -> Question:
            data = form.cleaned_data
            return actions.ask(
                actor=request.user,
                agreement=data.get("agreement", ""),
                subject=data.get("subject", ""),
                text=data.get("text", ""),
                case=case,
                source=source,
            )

        outcome = attempt(write, form)
        if not isinstance(outcome, Refused):
            messages.success(request, _("Your question is with the network group."))
            return redirect("network-question", pk=outcome.pk)
        status = outcome.shown_on(form)
    return render(
        request, "network/question_new.html", {"form": form, "case": case_rows(case)}, status=status
    )


def _question(request: AuthedRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("meeting", "dispute", "asked_for"), pk=pk
    )
    if question.asked_by_id == request.user.pk or sits_in(request.user, question.agreement):
        return question
    # The asker's colleagues, who are told of the answer with their organisation.
    if question.asked_for is not None and acts_for(request.user, VIEW, question.asked_for):
        return question
    # The parties of a dispute follow its question: those who may see the dispute, who are
    # told of the answer too. The question carries less than the dispute itself.
    if (
        question.dispute_id is not None
        and Dispute.objects.restrict(request.user, VIEW).filter(pk=question.dispute_id).exists()
    ):
        return question
    raise Http404


def _question_page(
    request: AuthedRequest,
    question: Question,
    *,
    form: Any = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    member = sits_in(request.user, question.agreement)
    meetings = [
        (m.pk, f"{m.starts_at.astimezone(_zone(m.agreement)):%Y-%m-%d} · {m.place}")
        for m in Meeting.objects.filter(agreement=question.agreement).order_by("-starts_at")[:20]
    ]
    answer_form = AnswerForm(meetings=meetings)
    reopen_form = ReopenForm()
    if isinstance(form, AnswerForm):
        answer_form = form
    elif isinstance(form, ReopenForm):
        reopen_form = form
    # The dispute is linked only for those who may see it (its patient's record).
    dispute_visible = (
        question.dispute_id is not None
        and Dispute.objects.restrict(request.user, VIEW).filter(pk=question.dispute_id).exists()
    )
    context = {
        "question": question,
        "case": case_rows(question.case),
        "title": _titles().get(question.agreement, question.agreement),
        "member": member,
        "may_reopen": question.status == Status.ANSWERED
        and (member or question.asked_by_id == request.user.pk),
        "answer_form": answer_form,
        "reopen_form": reopen_form,
        "dispute_visible": dispute_visible,
        "error": error,
    }
    return render(request, "network/question.html", context, status=status)


@login_required
def question_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _question_page(request, _question(request, pk))


@login_required
@require_POST
def question_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    question = _question(request, pk)
    form: Any
    if step == "answer":
        if not sits_in(request.user, question.agreement):
            raise Http404
        meetings = [(m.pk, str(m)) for m in Meeting.objects.filter(agreement=question.agreement)]
        form = AnswerForm(request.POST, meetings=meetings)

        def write() -> Any:
            data = form.cleaned_data
            meeting = Meeting.objects.filter(pk=data.get("meeting") or 0).first()
            return actions.answer(
                question, actor=request.user, text=data.get("answer", ""), meeting=meeting
            )

        done = _("The answer is sent to the one who asked.")
    elif step == "reopen":
        form = ReopenForm(request.POST)

        def write() -> Any:
            return actions.reopen(
                question, actor=request.user, reason=form.cleaned_data.get("reason", "")
            )

        done = _("The question is open again.")
    else:
        raise Http404
    outcome = attempt(write, form)
    if isinstance(outcome, Refused):
        return _question_page(
            request, question, form=form, error=outcome.message, status=outcome.status
        )
    messages.success(request, done)
    return redirect("network-question", pk=question.pk)


# Stock alerts (N11) -------------------------------------------------------------------

# The alerts' sorts: newest fall first unless the reader asks otherwise.
ALERT_SORTS = ("-opened", "opened", "unit", "aid_type", "recovered")


def _alert_order(sort: str) -> tuple[Any, ...]:
    if sort == "opened":
        return ("since", "id")
    if sort == "unit":
        return ("owner__name", "-since", "-id")
    if sort == "aid_type":
        return (f"aid_type__name_{current_language('nb')}", "-since", "-id")
    if sort == "recovered":
        # Those still short first, then the latest recovered.
        return (F("recovered_at").desc(nulls_first=True), "-since", "-id")
    return ("-since", "-id")


def _alerts_page(
    request: AuthedRequest, agreement_id: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    mine = network_agreements(request.user)
    if agreement_id not in mine:
        raise Http404
    agreement = mine[agreement_id]
    sort = request.GET.get("sort", "-opened")
    if sort not in ALERT_SORTS:
        sort = "-opened"
    show = "new" if request.GET.get("show") == "new" else "all"
    mark = alerts.read_until(request.user, agreement_id)
    found = alerts.shortfalls_of(agreement)
    listed = found.filter(alerts.new_since(mark)) if show == "new" else found
    page = paginate(request, listed.order_by(*_alert_order(sort)), PER_PAGE)
    for shortfall in page.object_list:
        shortfall.under = under(shortfall.owner)
        shortfall.new = shortfall.since > mark or (
            shortfall.recovered_at is not None and shortfall.recovered_at > mark
        )
    unread = found.filter(alerts.new_since(mark)).count()
    counts = alerts.unread_counts(request.user, mine) if len(mine) > 1 else {}
    # The menu's count is this page's (of every group the member sits in).
    alerts_counted(request, sum(counts.values()) if counts else unread)
    context = {
        "agreement": agreement,
        "zone": ZoneInfo(agreement.time_zone),
        "page": page,
        "sort": sort,
        "show": show,
        "unread": unread,
        "others": [(a, counts[key]) for key, a in mine.items() if key != agreement_id],
        # The mark moves to the time this page was shown: what comes in later stays new.
        "shown_at": clock.now().isoformat(),
        "error": error,
    }
    return render(request, "network/alerts.html", context, status=status)


@login_required
def alerts_index(request: AuthedRequest) -> HttpResponse:
    """The alerts of the user's group with the most new ones (the first one when none)."""
    mine = _mine(request)
    counts = alerts.unread_counts(request.user, mine)
    first = max(mine, key=lambda key: (counts.get(key, 0), -list(mine).index(key)))
    return redirect(reverse("network-alerts", args=[first]) + _kept(request))


def _kept(request: AuthedRequest) -> str:
    """The list's own parameters, carried to the agreement's alerts."""
    kept = {key: request.GET[key] for key in ("show", "sort") if key in request.GET}
    return f"?{urlencode(kept)}" if kept else ""


@login_required
def alert_list(request: AuthedRequest, agreement: str) -> HttpResponse:
    return _alerts_page(request, agreement)


def _aware(text: str) -> datetime.datetime | None:
    """The page's time as it sent it (ISO 8601 with its offset); None for anything else."""
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


@login_required
@require_POST
def alerts_read(request: AuthedRequest, agreement: str) -> HttpResponse:
    if not sits_in(request.user, agreement):
        raise Http404
    until = _aware(request.POST.get("until", ""))
    outcome = attempt(lambda: actions.mark_alerts_read(agreement, actor=request.user, until=until))
    if isinstance(outcome, Refused):
        return _alerts_page(request, agreement, error=outcome.message, status=outcome.status)
    messages.success(request, _("The alerts are marked as read."))
    return redirect("network-alerts", agreement=agreement)
