"""The form of the catalogue pages: uploading a user manual."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from overgang.web.common.forms import Form


class ManualForm(Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,  # upload_manual says what is wrong with an empty one
        help_text=gettext_lazy("The model and the version, e.g. AirSense 10, edition 2024-03."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why it replaces the one in force"),
        required=False,  # upload_manual asks for it when a manual is replaced
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown to everyone with the manual's history."),
    )
    # Which agreement's manual: each agreement's keepers keep their own.
    agreement = forms.CharField(required=False, widget=forms.HiddenInput)
    file = forms.FileField(
        label=gettext_lazy("The manual (PDF, at most 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
