"""Forms of the failure pages: reporting a failure and resolving it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from overgang.web.common.forms import Form


class FailureForm(Form):
    description = forms.CharField(
        label=gettext_lazy("What is wrong?"),
        max_length=2000,
        required=False,  # report_failure says so when it is empty
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What happened, what the device shows (alarms, error codes) and what you have done."
        ),
    )
    danger_to_life = forms.BooleanField(
        label=gettext_lazy("There is danger to life or health"), required=False
    )


class ResolveForm(Form):
    resolution = forms.CharField(
        label=gettext_lazy("Resolution"),
        max_length=2000,
        required=False,  # resolve_failure says so when it is empty
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What was done: repaired, replaced, no fault found."),
    )
