"""The stay page's trial discharges and leave (N5): the forms, and what the panel shows
(stays/_leave.html). The agreement's words are shown only where it has leave rules; a
Norwegian stay shows its periods without any other routine's text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import Loan
from overgang.i18n import current_language
from overgang.rules.leave import LeaveRules
from overgang.stays.actions import leave as writers
from overgang.stays.checklist import cited
from overgang.stays.models import LeaveAid, LeavePeriod, Need, NeedKind, NeedStatus, Stay
from overgang.stays.models.leave import LeaveException, LeaveKind, LeaveStatus
from overgang.web.common.forms import Form
from overgang.web.stays.forms import when_field

# The steps of a period, posted to stays/<pk>/leaves/<leave_pk>/<step>/.
PERIOD_STEPS = ("start", "end", "cancel", "aid")


class LeavePlanForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LeaveKind.choices, widget=forms.RadioSelect)
    planned_start = when_field(_("Leaves hospital"))
    planned_end = when_field(_("Back in hospital"), required=False)
    exception = forms.ChoiceField(label=_("Exception to the weekday rule"), required=False)
    exception_reason = forms.CharField(
        label=_("Why the exception applies"), required=False, max_length=2000
    )

    def __init__(self, *args: Any, rules: LeaveRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rules.exceptions:
            # Short names to choose from; the agreement's own words, cited, under them.
            language = current_language()
            labels = dict(LeaveException.choices)
            field: Any = self.fields["exception"]
            field.choices = [
                ("", _("none")),
                *((e.key, labels.get(e.key, e.key)) for e in rules.exceptions),
            ]
            field.help_text = " ".join(
                f"{e.text[language]} ({', '.join(e.cites)})" for e in rules.exceptions
            )
        else:
            # The agreement takes no case out: nothing to choose.
            del self.fields["exception"]
            del self.fields["exception_reason"]


class LeaveWhenForm(Form):
    at = when_field(_("When"))


class LeaveCancelForm(Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=2000)


class LeaveAidForm(Form):
    aid = forms.ChoiceField(label=_("Aid"))
    handed_out_on = forms.DateField(
        label=_("Handed out on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid"]
        field.choices = [("", "—"), *choices]


def aid_choices(stay: Stay) -> list[tuple[str, str]]:
    """The aids that can go home for a leave: the stay's aid needs and the patient's loans."""
    needs = Need.objects.filter(stay=stay, kind=NeedKind.AID).exclude(status=NeedStatus.CANCELLED)
    loans = Loan.objects.active().filter(patient=stay.patient_id)
    return [
        *(
            (f"need:{n.pk}", str(n.aid_type.name if n.aid_type else n.description))
            for n in needs.select_related("aid_type")
        ),
        *(
            (f"loan:{loan.pk}", f"{loan.device.aid_type.name} {loan.device.serial}")
            for loan in loans.select_related("device__aid_type")
        ),
    ]


def form_for(step: str, stay: Stay, data: Any = None, *, period: int | None = None) -> Form:
    """The step's form; a period's forms have ids of their own (one page shows several)."""
    auto_id = f"id_leave{period or ''}_{step}_%s"
    if step == "plan":
        return LeavePlanForm(data, rules=writers.leave_rules(stay), auto_id=auto_id)
    if step == "aid":
        return LeaveAidForm(data, choices=aid_choices(stay), auto_id=auto_id)
    if step == "cancel":
        return LeaveCancelForm(data, auto_id=auto_id)
    return LeaveWhenForm(data, auto_id=auto_id)


def chosen_aid(stay: Stay, value: str) -> dict[str, Any]:
    """The loan or need a choice of the aid form names, within the stay."""
    kind, _colon, pk = value.partition(":")
    if kind == "need" and pk.isdigit():
        return {"need": Need.objects.filter(stay=stay, pk=int(pk)).first()}
    if kind == "loan" and pk.isdigit():
        return {"loan": Loan.objects.filter(patient=stay.patient_id, pk=int(pk)).first()}
    return {}


def panel(stay: Stay, bound: tuple[str, Form] | None) -> dict[str, Any]:
    """What stays/_leave.html shows: each period with its aids and the last hand-out day,
    the agreement's rule (cited) where it has one, and the forms."""
    rules = writers.leave_rules(stay)
    language = current_language()
    periods = list(LeavePeriod.objects.filter(stay=stay).order_by("planned_start", "id"))
    aids: dict[int, list[LeaveAid]] = {}
    for aid in (
        LeaveAid.objects.filter(period__stay=stay)
        .select_related("need__aid_type", "loan__device__aid_type")
        .order_by("handed_out_on", "id")
    ):
        aids.setdefault(aid.period_id, []).append(aid)
    # The form that came back with errors: the plan's in its place, a period's under it.
    bound_step, bound_form, bound_leave = "", None, None
    if bound is not None and bound[0].startswith("leave_"):
        bound_step, bound_form = bound[0].removeprefix("leave_"), bound[1]
        bound_leave = getattr(bound_form, "leave_pk", None)
    rows = []
    for period in periods:
        period.stay = stay
        exception = rules.exception(period.exception) if period.exception else None
        rows.append(
            {
                "period": period,
                "aids": aids.get(period.pk, []),
                "hand_out_by": writers.latest_handout(period),
                "exception": cited(stay, exception.text[language], exception.cites)
                if exception
                else "",
                "open": period.status in (LeaveStatus.PLANNED, LeaveStatus.STARTED),
                "forms": {
                    step: bound_form
                    if bound_form is not None and bound_leave == period.pk and step == bound_step
                    else form_for(step, stay, period=period.pk)
                    for step in _steps_of(period)
                },
                "bound": bound_step if bound_leave == period.pk else "",
            }
        )
    plan = bound_form if bound_form is not None and bound_step == "plan" else None
    return {
        "leave_rows": rows,
        "leave_rule": cited(stay, rules.text[language], rules.cites) if rules.said else "",
        "leave_care_plan": cited(stay, rules.care_plan_text[language], rules.cites)
        if rules.care_plan
        else "",
        "leave_plan": plan or form_for("plan", stay),
        "leave_plan_open": plan is not None,
        "leave_sends": stay.country == "DK",
    }


def _steps_of(period: LeavePeriod) -> tuple[str, ...]:
    if period.status == LeaveStatus.PLANNED:
        return ("start", "cancel", "aid")
    if period.status == LeaveStatus.STARTED:
        return ("end", "aid")
    return ()
