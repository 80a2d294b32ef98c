"""Forms of the dispute pages. The writers check everything."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import AidType
from overgang.organisations.models import Organisation
from overgang.requisitions.models import Payer, Question
from overgang.web.common.forms import DATE, Form, OwnIds


class DisputeForm(Form):
    aid_type = forms.ChoiceField(label=_("Aid"), required=False)
    question = forms.ChoiceField(
        label=_("Disagreement about"),
        choices=Question.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    description = forms.CharField(
        label=_("The disagreement"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hospital = forms.ModelChoiceField(
        label=_("Hospital department"), queryset=Organisation.objects.none(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipal allocation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        hospitals: Any = None,
        municipalities: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        kinds = AidType.objects.all()
        fields["aid_type"].choices = [
            ("", _("Choose the aid")),
            *sorted(((k.slug, k.name) for k in kinds), key=lambda c: c[1].casefold()),
        ]
        fields["hospital"].queryset = (
            hospitals if hospitals is not None else Organisation.objects.none()
        )
        fields["municipality"].queryset = (
            municipalities if municipalities is not None else Organisation.objects.none()
        )


class DisputeDeliveryForm(OwnIds, Form):
    id_prefix = "delivery"

    note = forms.CharField(label=_("What was delivered"), max_length=200, required=False)
    delivered_on = forms.DateField(label=_("Delivered"), required=False, widget=DATE)


class EscalateForm(OwnIds, Form):
    id_prefix = "escalate"

    note = forms.CharField(
        label=_("Why it is not settled at this level"), max_length=2000, required=False
    )


class SettleForm(OwnIds, Form):
    id_prefix = "settle"

    payer = forms.ChoiceField(
        label=_("Outcome"), choices=Payer.choices, widget=forms.RadioSelect, required=False
    )
    settlement = forms.CharField(
        label=_("What was agreed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    settled_on = forms.DateField(label=_("Settled"), required=False, widget=DATE)
