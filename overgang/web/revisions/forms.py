"""The forms of the draft editor: a duty's party and citations, a rule's texts, a
deadline's due, and the effective date with the version's label."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.rules.spec import DUE_KINDS, DUTIES, PARTIES
from overgang.rules.words import DUE_KIND_NAMES


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


class DueForm(forms.Form):
    """When a deadline falls due: the kind, and the hours or days the kind takes (the
    number a kind does not take is left out, whatever the field holds)."""

    rule = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("When it falls due"), choices=[])
    hours = forms.FloatField(
        label=_("Hours"),
        required=False,
        help_text=_("For “a number of hours after the event”: real hours, as 4 or 1.5."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    days = forms.IntegerField(
        label=_("Days"),
        required=False,
        help_text=_("For “by the end of a day”: 0 is the event's own day, 2 two days after."),
    )

    def __init__(self, *args: object, language: str, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [(k, DUE_KIND_NAMES[language][k]) for k in DUE_KINDS]  # type: ignore[attr-defined]
