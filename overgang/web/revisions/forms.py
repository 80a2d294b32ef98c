"""The forms of the draft editor: a duty's party and citations, a rule's texts, and the
effective date with the version's label."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.rules.spec import DUTIES, PARTIES


class DutyForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    duty = forms.ChoiceField(label=_("Duty"), choices=[])
    party = forms.ChoiceField(label=_("Who does it"), choices=[])
    cites = forms.CharField(
        label=_("Citations"),
        help_text=_("One a line, as “003 2” (the agreement text and its section)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, language: str, duties: tuple[str, ...], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["duty"].choices = [(d, DUTY_NAMES[language][d]) for d in DUTIES if d in duties]  # type: ignore[attr-defined]
        self.fields["party"].choices = [(p, PARTY_NAMES[language][p]) for p in PARTIES]  # type: ignore[attr-defined]


class TextsForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    text_nb = forms.CharField(
        label=_("Text in Norwegian"), widget=forms.Textarea(attrs={"rows": 3})
    )
    text_da = forms.CharField(label=_("Text in Danish"), widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(label=_("Text in English"), widget=forms.Textarea(attrs={"rows": 3}))


class EffectiveForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.CharField(label=_("Version label"), max_length=40)
