"""Forms of the swap pages: reporting a swap and lending its replacement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from overgang.aids.models import AidType
from overgang.requisitions.models import StartedBy
from overgang.web.common.forms import Form


class SwapForm(Form):
    aid_type = forms.ChoiceField(label=gettext_lazy("Equipment the resident uses"))
    started_by = forms.ChoiceField(
        label=gettext_lazy("Who started the treatment?"),
        choices=StartedBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    documentation = forms.CharField(
        label=gettext_lazy("Documentation of the start"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example: discharge summary from the hospital, with its date."),
    )
    terminal = forms.BooleanField(
        label=gettext_lazy("The resident is in the terminal phase"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid_type"]
        kinds = AidType.objects.filter(category="treatment-aid")
        field.choices = [
            ("", gettext_lazy("Choose the equipment")),
            *sorted(((k.slug, k.name) for k in kinds), key=lambda c: c[1].casefold()),
        ]


class SwapLendForm(Form):
    device = forms.CharField(label=gettext_lazy("Serial number"), max_length=60, required=False)
    companions = forms.CharField(
        label=gettext_lazy("Lent with it"),
        max_length=400,
        required=False,
        help_text=gettext_lazy("Serial numbers of the devices that go with it."),
    )
    manual_handed_over = forms.BooleanField(
        label=gettext_lazy("User manual handed over"), required=False
    )
    instruction_given = forms.BooleanField(label=gettext_lazy("Instruction given"), required=False)
