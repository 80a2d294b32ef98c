"""Forms of the consumables pages (O6, U5). They check the shape of the input; the writers in
overgang.aids.actions.consumables check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import ConsumableType, Route
from overgang.web.common.forms import Form


class ConsumableChoice(forms.ModelChoiceField[ConsumableType]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PlanForm(Form):
    consumable = ConsumableChoice(
        label=_("Consumable"),
        queryset=ConsumableType.objects.none(),
        empty_label=_("Choose a consumable"),
        error_messages={"required": _("Choose the consumable.")},
    )
    quantity = forms.IntegerField(label=_("Uses"), min_value=1, initial=1)
    every_days = forms.IntegerField(label=_("every … days"), min_value=1, max_value=366, initial=30)
    supplied_until = forms.DateField(
        label=_("Has enough until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if nothing has been handed out yet."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, linked: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["consumable"]
        # The aid's own consumables first; the others are the municipality's (U5).
        everything = sorted(
            ConsumableType.objects.all(), key=lambda c: (c.pk not in linked, c.name)
        )
        field.queryset = ConsumableType.objects.all()
        field.choices = [("", _("Choose a consumable")), *((c.pk, c.name) for c in everything)]


class SupplyForm(Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)
    route = forms.ChoiceField(
        label=_("How"), choices=Route.choices, initial=Route.UNIT, widget=forms.RadioSelect
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    valid_until = forms.DateField(
        label=_("Decision valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only for a decision letter to a pharmacy."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class NeedForm(Form):
    plan = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for the usual amount."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StockForm(Form):
    consumable = ConsumableChoice(
        label=_("Consumable"),
        queryset=ConsumableType.objects.all(),
        empty_label=_("Choose a consumable"),
    )
    received = forms.IntegerField(label=_("Received"), min_value=0, initial=0)
    minimum = forms.IntegerField(
        label=_("Keep at least"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to keep the minimum as it is."),
    )
