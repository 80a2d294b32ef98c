"""The form of the depot overview: a minimum stock level."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from overgang.aids.models import AidType
from overgang.web.common.forms import Form


class MinimumForm(Form):
    aid_type = forms.ModelChoiceField(
        label=gettext_lazy("Aid type"),
        queryset=AidType.objects.filter(parts=[]),
        empty_label=gettext_lazy("Choose a type"),
    )
    minimum = forms.IntegerField(
        label=gettext_lazy("Keep at least this many available"),
        required=False,
        help_text=gettext_lazy("Leave empty for no minimum."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid_type"]
        field.label_from_instance = lambda kind: kind.name
