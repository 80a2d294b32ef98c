"""The municipality's staff-training sessions (O10 000 9.0, 9.2; N7 003 3.2): who of its
staff were trained on which aid, by whom, and what was covered. Recorded by the municipality,
or by the hospital that trained them where the agreement gives it that training. Seen in the
municipality and by the trust or region that gave it; elsewhere a session does not exist
(404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from overgang.aids.models import AidType
from overgang.i18n import current_language
from overgang.organisations.models import Kind, Organisation
from overgang.organisations.permissions import CHANGE, VIEW, memberships_for
from overgang.rules.clock import today_on_agreements_clock
from overgang.rules.registry import (
    RulesError,
    agreement_for_municipality,
    all_agreements,
    training_notes,
)
from overgang.stays import actions
from overgang.stays.models import StaffTraining
from overgang.stays.models.training import (
    hospital_of,
    municipalities_of,
    staff_training_units,
    trainers_of,
)
from overgang.web.common.views import AuthedRequest, Refused, attempt, paginate, scoped_or_404
from overgang.web.exports.respond import exported
from overgang.web.stays.training_forms import StaffTrainingForm
from overgang.web.training import tables

PER_PAGE = 50


def _units(user: Any) -> QuerySet[Organisation]:
    return staff_training_units(user)


def _own_unit(user: Any, units: list[Organisation]) -> str:
    """The unit offered first: the home nursing next to the user's own office, else the
    user's own unit (the staff trained are usually theirs)."""
    for membership in memberships_for(user, CHANGE):
        mine = membership.organisation
        for unit in units:
            if unit.parent_id == mine.parent_id and unit.kind == Kind.HOME_NURSING:
                return unit.key
        if any(unit.pk == mine.pk for unit in units):
            return str(mine.key)
    return ""


def _trainer(user: Any) -> str:
    """A hospital user gave the training themselves, as a rule: their name and unit."""
    trainers = trainers_of(user, CHANGE)
    if not trainers:
        return ""
    return f"{user.get_full_name() or user.get_username()}, {trainers[0].name}"


def _form(user: Any, data: Any = None) -> StaffTrainingForm:
    kinds = AidType.objects.exclude(category="training-gear")
    units = list(_units(user))
    own = _own_unit(user, units)
    choices = [(u.key, u.name) for u in units]
    if not own:
        # A hospital's user trains many municipalities' staff: they choose, none is guessed.
        choices = [("", _("Choose the unit whose staff were trained")), *choices]
    return StaffTrainingForm(
        data,
        initial={"organisation": own, "trainer": _trainer(user)},
        units=choices,
        aid_choices=sorted(((k.slug, k.name) for k in kinds), key=lambda c: c[1].casefold()),
    )


def _notes(user: Any, language: str) -> list[dict[str, str]]:
    """What the agreements of the user's municipalities say of training staff; nothing
    where they say nothing."""
    found: dict[str, dict[str, str]] = {}
    on = today_on_agreements_clock()
    agreements = set()
    for municipality in Organisation.objects.filter(pk__in=municipalities_of(user, VIEW)):
        try:
            agreements.add(agreement_for_municipality(municipality.number, on=on).id)
        except RulesError:
            continue
    # A hospital's user: the agreements of the hospital (its own words on staff training).
    owners = {h.key for t in trainers_of(user, VIEW) if (h := hospital_of(t)) is not None}
    agreements |= {
        a.id
        for a in all_agreements()
        if a.in_force(on) and owners & {a.hospital.key, *(e.hospital.key for e in a.exceptions)}
    }
    for agreement_id in sorted(agreements):
        for note in training_notes(agreement_id, "staff", on=on):
            found[note.text["en"]] = {
                "text": note.text.get(language) or note.text["en"],
                "cites": ", ".join(note.cites),
            }
    return list(found.values())


def _page(
    request: AuthedRequest, form: StaffTrainingForm | None = None, status: int = 200
) -> HttpResponse:
    sessions = StaffTraining.objects.restrict(request.user, VIEW).select_related(
        "organisation", "aid_type", "recorded_by", "given_by__parent__parent__parent"
    )
    if request.method == "GET":
        export = exported(request, tables.STAFF_TRAININGS, sessions)
        if export is not None:
            return export
    context = {
        "page": paginate(request, sessions, PER_PAGE),
        "form": form or (_form(request.user) if _units(request.user).exists() else None),
        "notes": _notes(request.user, current_language()),
        "for_hospital": bool(trainers_of(request.user, VIEW)),
    }
    return render(request, "training/staff_list.html", context, status=status)


@login_required
def staff_training_list(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = _form(request.user, request.POST)
    units = _units(request.user)

    def write() -> StaffTraining:
        unit = scoped_or_404(units, key=form.cleaned_data["organisation"])
        return actions.record_staff_training(
            unit,
            actor=request.user,
            aid_type=form.cleaned_data["aid_type"],
            held_on=form.cleaned_data["held_on"],
            trainer=form.cleaned_data["trainer"],
            staff=form.cleaned_data["staff"],
            covered=form.cleaned_data["covered"],
        )

    done = attempt(write, form)
    if isinstance(done, Refused):
        return _page(request, form, status=done.status)
    messages.success(request, _("The staff training is recorded."))
    return redirect("staff-training-list")


@login_required
def staff_training_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    session = scoped_or_404(
        StaffTraining.objects.restrict(request.user, VIEW).select_related(
            "organisation", "aid_type", "recorded_by", "given_by__parent__parent__parent"
        ),
        pk=pk,
    )
    return render(request, "training/staff_detail.html", {"session": session})
