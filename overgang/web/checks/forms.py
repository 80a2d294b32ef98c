"""The form of an electrical check on a patient's page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import CheckResult, Placement
from overgang.web.common.forms import Form


class CheckForm(Form):
    placement = forms.ChoiceField(label=_("Where the device will be"), choices=Placement.choices)
    rooms = forms.CharField(label=_("Rooms checked"), max_length=200)
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices)
    remedy_by = forms.CharField(
        label=_("Remedy by"),
        max_length=120,
        required=False,
        help_text=_("If failed: the owner of the installation (in nursing homes: the agency)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
