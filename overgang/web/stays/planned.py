"""The stay page's part for a planned admission (H4, H5, N5): the notices given before the
patient arrives, "the patient has arrived", and calling the admission off. Its template is
stays/_planned.html; its steps post to the stay's step URL as every other step does."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from overgang import clock
from overgang.stays import actions
from overgang.stays.actions.planned import CANCELLED, DATE_SET, PRE_EXAMINATION
from overgang.stays.models import Deadline, Stay, StayStatus
from overgang.web.common.forms import Form
from overgang.web.stays.forms import when_field


class ArrivedForm(Form):
    at = when_field(gettext_lazy("Arrived at"))


class CancelPlannedForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the planned admission cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The municipality is told, and the notices end."),
    )


class MovePlannedForm(Form):
    admitted_at = when_field(gettext_lazy("New planned time"))
    reason = forms.CharField(
        label=gettext_lazy("Why does it move?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The municipality is told the new time; the notices stay."),
    )


FORMS: dict[str, type[Form]] = {
    "arrived": ArrivedForm,
    "move_planned": MovePlannedForm,
    "cancel_planned": CancelPlannedForm,
}


def handle_arrived(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.record_arrival(stay, actor=user, at=data["at"])
    return _("The patient has arrived: the stay is admitted, and its deadlines run.")


def handle_cancel(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.cancel_planned(stay, actor=user, reason=data["reason"])
    return _("The planned admission is cancelled; the municipality is told.")


def handle_move(stay: Stay, data: dict[str, Any], user: Any) -> str:
    actions.move_planned(stay, actor=user, to=data["admitted_at"], reason=data["reason"])
    return _("The planned admission has moved; the municipality is told the new time.")


STEPS = {"arrived": handle_arrived, "move_planned": handle_move, "cancel_planned": handle_cancel}


def planned_context(stay: Stay) -> dict[str, Any]:
    """What stays/_planned.html shows: the notices opened before arrival (with their due
    times and state), and why a cancelled planned admission was called off."""
    if stay.status not in (StayStatus.PLANNED, StayStatus.CANCELLED):
        return {}
    now = clock.now()
    notices = (
        Deadline.objects.filter(stay=stay, event__name__in=(DATE_SET, PRE_EXAMINATION))
        .select_related("holder")
        .order_by("due", "id")
    )
    cancelled = stay.events.filter(name=CANCELLED).order_by("-id").first()
    return {
        "planned_notices": [(d, d.status_at(now)) for d in notices],
        "planned_cancelled": cancelled,
    }
