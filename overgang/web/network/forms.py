"""The network group's forms: a meeting, a decision, a question, an answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.web.common.forms import DATE, Form, ServiceDateField

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(Form):
    agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    date = ServiceDateField(label=_("Date"), required=False, widget=DATE)
    time = forms.TimeField(label=_("Time"), required=False, widget=TIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        help_text=_("One item a line."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, agreements: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agreement"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.id, a.title) for a in agreements.values()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "date" not in self.errors and data.get("date") is None:
            self.add_error("date", _("Give the meeting's date."))
        if "time" not in self.errors and data.get("time") is None:
            self.add_error("time", _("Give the meeting's time."))
        return data


class DecisionForm(Form):
    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agreement_ref = forms.CharField(
        label=_("Agreement id (if the decision made a version)"), max_length=40, required=False
    )
    version_label = forms.CharField(label=_("Version"), max_length=40, required=False)


class QuestionForm(Form):
    agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Question"),
        required=False,
        max_length=5000,
        help_text=_("Describe the case, not the patient: no name, no birth number, no diagnosis."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, agreements: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agreement"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.id, a.title) for a in agreements.values()]


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("Answer"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    meeting = forms.TypedChoiceField(
        label=_("Decided at the meeting"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, meetings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *meetings]


class ReopenForm(Form):
    reason = forms.CharField(
        label=_("Why the answer does not settle it"), max_length=2000, required=False
    )


class ReferForm(Form):
    text = forms.CharField(
        label=_("Question to the network group"),
        required=False,
        max_length=5000,
        help_text=_("The network group sees no patient: do not name the citizen."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
