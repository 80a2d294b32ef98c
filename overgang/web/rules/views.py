"""The page "Who is responsible?" and the seed texts its citations quote."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from overgang import clock
from overgang.i18n import current_language
from overgang.network.members import works_under
from overgang.rules.citations import seed
from overgang.rules.engine import deadlines, decide
from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.rules.registry import RulesError, aid_types, all_agreements
from overgang.rules.spec import DUTIES
from overgang.web.common.citations import cite_links, law_notes
from overgang.web.rules.forms import CaseForm, EventForm


def _rows(decision: dict[str, Any], language: str) -> list[dict[str, Any]]:
    rows = []
    for duty in DUTIES:
        found = decision["duties"][duty]
        rows.append(
            {
                "duty": DUTY_NAMES[language][duty],
                "party": PARTY_NAMES[language][found["party"]] if found else None,
                "links": cite_links(found["cites"]) if found else [],
            }
        )
    return rows


@login_required
def responsibility(request: HttpRequest) -> HttpResponse:
    language = current_language()
    asked = "aid_type" in request.GET
    form = CaseForm(
        request.GET if asked else None, initial={"municipality": "", "lender": "hospital"}
    )
    event_asked = "event" in request.GET
    event_form = EventForm(request.GET if event_asked else None, prefix=None)
    context: dict[str, Any] = {"form": form, "event_form": event_form}
    status = 200
    if asked and not _answer_case(form, context, language):
        status = 422
    if "decision" in context:
        context["ask_query"] = _ask_query(request, form, context["decision"]["agreement"]["id"])
        context["undecided"] = any(not row["party"] for row in context["rows"])
    if event_asked and not _answer_event(event_form, context, language):
        status = 422
    return render(request, "rules/responsibility.html", context, status=status)


def _ask_query(request: HttpRequest, form: CaseForm, agreement_id: str) -> str:
    """The case's own fields (never a patient's) for "Ask the network group" beside an answer
    the agreement does not decide; "" for a user who does not work under the agreement."""
    if not works_under(request.user, agreement_id)[0]:
        return ""
    data = form.cleaned_data
    fields = {
        key: data.get(key)
        for key in ("municipality", "district", "aid_type", "purpose", "started_by", "phase")
    }
    fields["requester"] = data.get("requester")
    fields["lender"] = data.get("lender")
    query = {key: str(value) for key, value in fields.items() if value not in (None, "")}
    return urlencode({"agreement": agreement_id, "source": "rules", **query})


def _answer_case(form: CaseForm, context: dict[str, Any], language: str) -> bool:
    """Put the agreement's decision for the case into the context; False with the problem
    on the form when the case cannot be decided."""
    if not form.is_valid():
        return False
    # Today on the project's one clock (overgang.clock), which a test moves, not the engine's.
    case = {"date": clock.today().isoformat(), **form.case()}
    try:
        decision = decide(case, language=language)
    except RulesError as error:
        form.add_error(_form_field(error), said(error))
        return False
    context["decision"] = decision
    context["rows"] = _rows(decision, language)
    context["aid_name"] = aid_types()[form.cleaned_data["aid_type"]].names[language]
    context["bundle_names"] = [aid_types()[t].names[language] for t in decision["bundle"]]
    if aid_types()[form.cleaned_data["aid_type"]].category == "treatment-aid":
        # Who provides and pays by law, apart from what the agreement says (labelled as law).
        country = next(a.country for a in all_agreements() if a.id == decision["agreement"]["id"])
        context["law_notes"] = law_notes(country, language, ("treatment_aids",))
    if decision["requisition"]:
        context["requisition_links"] = cite_links(decision["requisition"]["cites"])
    if decision["appeal"]:
        context["appeal_links"] = cite_links(decision["appeal"]["cites"])
    return True


def _answer_event(event_form: EventForm, context: dict[str, Any], language: str) -> bool:
    """Put the deadlines the event starts into the context; False with the problem on the
    form when they cannot be computed."""
    if not event_form.is_valid():
        return False
    try:
        timeline = deadlines(event_form.event_input(), language=language)
    except RulesError as error:
        event_form.add_error(_event_field(error), said(error))
        return False
    for item in timeline["deadlines"]:
        item["due_at"] = datetime.datetime.fromisoformat(item["due"])
        item["links"] = cite_links(item["cites"])
        item["party_name"] = PARTY_NAMES[language][item["party"]]
    context["timeline"] = timeline
    return True


# What the engine finds wrong, in the reader's words; the engine's own message (English, for
# the API and the command line) names the field, which the form shows the error beside.
REASONS = {
    "unknown-agreement": _("There is no agreement called “%(value)s”."),
    "not-in-force": _("No version of the agreement “%(value)s” is in force on that date."),
    "unknown-municipality": _("No agreement covers the municipality “%(value)s”."),
    "not-covered": _("The agreement “%(agreement)s” does not cover the municipality “%(value)s”."),
    "unknown-district": _("“%(value)s” is not a district of this municipality."),
    "district-not-in-agreement": _(
        "“%(value)s” is not a district in the agreement “%(agreement)s”."
    ),
    "district-needs-municipality": _(
        "Give the municipality too: the district alone does not say which one it is."
    ),
    "agreement-or-municipality": _("Choose the agreement or give the municipality."),
    "year-out-of-range": _("Give a time in the years %(earliest)s to %(latest)s."),
}


def said(error: RulesError) -> str:
    """The engine's objection in the reader's language (its own words where it has no key
    for them)."""
    frame = REASONS.get(getattr(error, "reason", ""))
    if frame is None:
        return str(error).split(": ", 1)[-1]
    return str(frame) % getattr(error, "params", {})


FORM_FIELDS = {
    "agreement": "agreement",
    "patient.municipality": "municipality",
    "patient.district": "district",
    "aid.type": "aid_type",
}


def _form_field(error: RulesError) -> str | None:
    return FORM_FIELDS.get(getattr(error, "field", ""))


def _event_field(error: RulesError) -> str | None:
    return {"agreement": "event_agreement", "municipality": "event_municipality", "at": "at"}.get(
        getattr(error, "field", "")
    )


@login_required
def seed_text(request: HttpRequest, prefix: str) -> HttpResponse:
    found = seed(prefix)
    if found is None:
        raise Http404
    # The texts come from PDFs: blank lines between every line, and a private-use glyph
    # (U+F0B7) where the bullets were.
    lines = [
        {"number": n + 1, "text": line.replace("\uf0b7", "•")}
        for n, line in enumerate(found.lines)
        if line.strip()
    ]
    return render(request, "rules/seed.html", {"seed": found, "lines": lines})
