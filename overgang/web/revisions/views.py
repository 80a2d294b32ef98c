"""The agreement versions a network group revises in the app (N10): the list, the draft
editor, the diff against the version it replaces, and the export as an agreement file.
Only members of the agreement's group see any of it (404 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from overgang.i18n import current_language
from overgang.organisations.network import network_agreements, sits_in
from overgang.revisions import actions
from overgang.revisions.diff import compare, due_change_words, unified
from overgang.revisions.models import AgreementVersion, Status
from overgang.rules import law
from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.rules.registry import Agreement, all_agreements, load_text, version_text
from overgang.rules.spec import (
    DUE_NUMBERS,
    MAX_DUE_DAYS,
    MAX_DUE_HOURS,
    DeadlineRule,
    Due,
    SpecError,
)
from overgang.rules.transitions import duty_name
from overgang.rules.words import due_words
from overgang.stays.timeline import event_name
from overgang.web.revisions.forms import DueForm, DutyForm, EffectiveForm, TextsForm

# What the writer refuses, in the reader's words, by the field it names.
REFUSALS = {
    "approved_by": gettext_lazy(
        "Another member of the network group must approve what you proposed."
    ),
    "valid_from": gettext_lazy("The effective date must be after today."),
    "status": gettext_lazy("This version can no longer be changed."),
    "text": gettext_lazy("The checker finds problems in this draft; see the list."),
    "party": gettext_lazy("Choose one of the parties."),
    "cites": gettext_lazy(
        "A citation must name the agreement text and a section in it, as “003 2”."
    ),
    "version": gettext_lazy(
        "Give a label not used by another version, of letters, digits and - . _"
    ),
    "rule": gettext_lazy("There is no such rule in this version."),
    "duty": gettext_lazy("This rule names no party for that duty."),
    "kind": gettext_lazy("Choose one of the kinds of deadline."),
}


def _refusal(error: actions.RevisionRefused, op: str = "") -> str:
    if error.field.startswith("text_"):
        return _("The rule's text cannot be empty.")
    if error.field == "hours" and "minute" in error.message:
        return _("Give the hours to the whole minute, as 4, 1.5 or 0.25 (15 minutes).")
    if error.field == "hours":
        return _("Give the hours after the event: more than 0 and at most %(max)s.") % {
            "max": MAX_DUE_HOURS
        }
    if error.field == "days":
        return _("Give the days after the event's day: a whole number from 0 to %(max)s.") % {
            "max": MAX_DUE_DAYS
        }
    if error.field == "rule" and op == "due":
        return _("Only a deadline's due can be changed here, and this rule is no deadline.")
    if error.field == "rule":
        return _("This draft has no rule or deadline of that name; choose one from the list.")
    return str(REFUSALS.get(error.field, error.message))


def _draft(request: HttpRequest, pk: int) -> AgreementVersion:
    draft = get_object_or_404(AgreementVersion, pk=pk)
    if not sits_in(request.user, draft.agreement):
        raise Http404
    return draft


@login_required
def version_list(request: HttpRequest) -> HttpResponse:
    mine = network_agreements(request.user)
    if not mine:
        raise Http404
    groups = []
    for agreement_id, current in sorted(mine.items()):
        groups.append(
            {
                "agreement": current,
                "versions": [a for a in all_agreements() if a.id == agreement_id],
                "revisions": AgreementVersion.objects.filter(agreement=agreement_id).select_related(
                    "created_by", "proposed_by", "approved_by"
                ),
            }
        )
    return render(request, "revisions/list.html", {"groups": groups})


@require_POST
@login_required
def new_draft(request: HttpRequest, agreement: str) -> HttpResponse:
    if not sits_in(request.user, agreement):
        raise Http404
    try:
        draft = actions.create_draft(agreement, actor=request.user)  # type: ignore[arg-type]
    except actions.RevisionRefused:
        # Others took every label tried in the same moment: nothing was made.
        messages.error(request, _("Others are making drafts right now. Try again."))
        return redirect("revision-list")
    messages.success(request, _("A draft is made from the version in force."))
    return redirect("revision-edit", pk=draft.pk)


def _rule_choice(candidate: Any, wanted: str) -> Any:
    return next((r for r in candidate.rules if r.id == wanted), None) if wanted else None


def own_deadlines(candidate: Agreement | None) -> list[DeadlineRule]:
    """The deadlines the agreement file sets (those the law adds are not the group's to
    change)."""
    if candidate is None:
        return []
    national = (
        {r.id for r in law.deadline_rules(candidate.country)}
        if candidate.country in law.FILES
        else set()
    )
    return [d for d in candidate.deadline_rules if d.id not in national]


def due_said(due: Due, language: str) -> str:
    return due_words(due.kind, due.hours, due.days, language)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    language = current_language()
    user: Any = request.user
    rule_id = request.POST.get("rule") or request.GET.get("rule", "")
    op = request.POST.get("op", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {}
    status = 200
    try:
        candidate = actions.load(draft)
    except SpecError:
        candidate = None
    rule = _rule_choice(candidate, rule_id) if candidate else None
    deadlines = own_deadlines(candidate)
    deadline = next((d for d in deadlines if d.id == rule_id), None) if rule_id else None
    duties = tuple(rule.duties) if rule else ()
    duty_form = DutyForm(
        request.POST if op == "duty" else None,
        language=language,
        duties=duties,
        initial=_duty_initial(rule, request.GET.get("duty", "")),
    )
    worded = rule or deadline  # a rule's words, else a deadline's
    texts_form = TextsForm(
        request.POST if op == "texts" else None,
        initial={
            "rule": rule_id,
            **({f"text_{k}": v for k, v in worded.text.items()} if worded else {}),
        },
    )
    effective_form = EffectiveForm(
        request.POST if op == "effective" else None,
        initial={"valid_from": draft.valid_from, "version": draft.version},
    )
    due_form = DueForm(
        request.POST if op == "due" else None,
        language=language,
        initial=_due_initial(deadline),
    )
    forms = {"duty": duty_form, "texts": texts_form, "effective": effective_form, "due": due_form}
    if request.method == "POST":
        try:
            done = _act(op, draft, forms, user)
        except actions.RevisionRefused as error:
            form = forms.get(op)
            if form is not None and error.field in form.fields:
                form.add_error(error.field, _refusal(error, op))
            else:
                messages.error(request, _refusal(error, op))
            done = False
        if done:
            messages.success(request, _("Saved."))
            target = f"?rule={rule_id}" if rule_id and op in ("duty", "texts", "due") else ""
            return redirect(request.path + target)
        status = 422
        draft.refresh_from_db()
        drawn = {"duty": rule, "texts": rule or deadline, "due": deadline, "effective": True}
        _say_unseen_errors(request, forms.get(op), drawn=bool(drawn.get(op)))
    context = {
        "draft": draft,
        "candidate": candidate,
        "rule": rule,
        "rule_duties": [
            {
                "key": d,
                "name": DUTY_NAMES[language][d],
                "party": PARTY_NAMES[language][v.party],
                "cites": v.cites,
            }
            for d, v in (rule.duties.items() if rule else ())
        ],
        "deadlines": deadlines,
        "deadline": deadline,
        "deadline_facts": _deadline_facts(deadline, language),
        "problems": actions.problems(draft),
        "editable": draft.status == Status.DRAFT,
        "may_approve": draft.status == Status.PROPOSED and draft.proposed_by_id != user.pk,
        "own_proposal": draft.status == Status.PROPOSED and draft.proposed_by_id == user.pk,
        **{f"{k}_form": v for k, v in forms.items()},
    }
    return render(request, "revisions/edit.html", context, status=status)


def _say_unseen_errors(request: HttpRequest, form: Any, *, drawn: bool) -> None:
    """A refusal the page would not show, as a message at the top: one on a hidden field
    (the rule a form names), or any of a form the page does not draw (the due of a rule
    that is no deadline). A 422 page always says what was wrong."""
    if form is None:
        return
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        if not drawn or (field is not None and field.widget.is_hidden):
            for error in errors:
                messages.error(request, error)


def _duty_initial(rule: Any, duty: str) -> dict[str, Any]:
    if rule is None:
        return {}
    duty = duty if duty in rule.duties else next(iter(rule.duties), "")
    said = rule.duties.get(duty)
    return {
        "rule": rule.id,
        "duty": duty,
        "party": said.party if said else "",
        "cites": "\n".join(said.cites) if said else "",
    }


def _due_initial(deadline: DeadlineRule | None) -> dict[str, Any]:
    if deadline is None:
        return {}
    due = deadline.due
    return {
        "rule": deadline.id,
        "kind": due.kind,
        "hours": _plain(due.hours) if due.kind == "after" else None,
        "days": due.days if due.kind == "end-of-day" else None,
    }


def _plain(hours: float) -> float | int:
    return int(hours) if hours.is_integer() else hours


def _deadline_facts(deadline: DeadlineRule | None, language: str) -> dict[str, str]:
    if deadline is None:
        return {}
    return {
        "event": event_name(deadline.event),
        "duty": duty_name(deadline.duty, language),
        "party": PARTY_NAMES[language][deadline.party],
        "due": due_said(deadline.due, language),
        "cites": ", ".join(deadline.cites),
        "text": deadline.text[language],
    }


def _act(op: str, draft: AgreementVersion, forms: dict[str, Any], user: Any) -> bool:
    if op in forms:
        form = forms[op]
        if not form.is_valid():
            return False
        data = form.cleaned_data
        if op == "duty":
            actions.change_duty(
                draft,
                rule_id=data["rule"],
                duty=data["duty"],
                party=data["party"],
                cites=data["cites"].splitlines(),
                actor=user,
            )
        elif op == "due":
            # Only the number the kind takes: the other field may still hold an old value.
            needed = DUE_NUMBERS.get(data["kind"])
            actions.change_due(
                draft,
                rule_id=data["rule"],
                kind=data["kind"],
                hours=data["hours"] if needed == "hours" else None,
                days=data["days"] if needed == "days" else None,
                actor=user,
            )
        elif op == "texts":
            actions.change_texts(
                draft,
                rule_id=data["rule"],
                texts={k: data[f"text_{k}"] for k in ("nb", "da", "en")},
                actor=user,
            )
        else:
            actions.set_effective(
                draft, valid_from=data["valid_from"], version=data["version"], actor=user
            )
        return True
    writers = {
        "propose": actions.propose,
        "approve": actions.approve,
        "refuse": actions.refuse,
        "withdraw": actions.withdraw,
    }
    if op not in writers:
        raise actions.RevisionRefused("op", _("Unknown action."))
    writers[op](draft, actor=user)
    return True


def _replaced_text(draft: AgreementVersion) -> str:
    return version_text(draft.agreement, draft.based_on) or ""


@login_required
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    language = current_language()
    before_text = _replaced_text(draft)
    context: dict[str, Any] = {
        "draft": draft,
        "raw": unified(
            before_text,
            draft.text,
            f"{draft.agreement} {draft.based_on}",
            f"{draft.agreement} {draft.version}",
        ),
    }
    try:
        found = compare(load_text(before_text, draft.based_on), actions.load(draft))
    except SpecError as error:
        context["broken"] = str(error)
    else:
        context["diff"] = found
        context["changes"] = [
            {
                "rule": change.rule,
                "duties": [
                    {
                        "name": DUTY_NAMES[language][d.duty],
                        "before": PARTY_NAMES[language][d.party_before] if d.party_before else "—",
                        "after": PARTY_NAMES[language][d.party_after] if d.party_after else "—",
                        "parties": (d.party_before, d.party_after),
                        "cites_before": ", ".join(d.cites_before),
                        "cites_after": ", ".join(d.cites_after),
                    }
                    for d in change.duties
                ],
                "texts": change.texts,
                "cites": change.cites,
            }
            for change in found.changed
        ]
        context["deadline_changes"] = [
            {
                "rule": change.rule,
                "event": event_name(change.event),
                "duty": duty_name(change.duty, language),
                "due": due_change_words(change.before, change.after, language)
                if change.before != change.after
                else None,
                "texts": change.texts,
            }
            for change in found.deadlines
        ]
    return render(request, "revisions/diff.html", context)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    response = HttpResponse(draft.text, content_type="application/toml; charset=utf-8")
    name = f"{draft.agreement}-{draft.version}.toml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def version_by_label(request: HttpRequest, key: str, label: str) -> HttpResponse:
    """A version named by its agreement and label (as a meeting's decision names it): the
    group's page of an in-app version, or the catalogue as that version answers it."""
    if not sits_in(request.user, key):
        raise Http404
    made = AgreementVersion.objects.filter(agreement=key, version=label).first()
    if made is not None:
        return redirect("revision-edit", made.pk)
    version = next((a for a in all_agreements() if (a.id, a.version) == (key, label)), None)
    if version is None:
        raise Http404
    url = reverse("case-catalogue", args=[key])
    return redirect(f"{url}?date={version.valid_from.isoformat()}")
