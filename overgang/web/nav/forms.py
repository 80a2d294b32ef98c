"""Forms of the NAV-application pages. The writers check everything."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import AidType
from overgang.organisations.models import Organisation
from overgang.requisitions.models import Signer
from overgang.stays.models import Need
from overgang.web.common.forms import DATE, Form


def _kinds(category: str) -> list[tuple[str, Any]]:
    kinds = AidType.objects.filter(category=category)
    return [
        ("", _("Choose the aid")),
        *sorted(((k.slug, k.name) for k in kinds), key=lambda c: c[1].casefold()),
    ]


class NavApplicationForm(Form):
    need = forms.ModelChoiceField(
        label=_("Need on the stay"),
        queryset=Need.objects.none(),
        required=False,
        empty_label=_("No need on a stay"),
        help_text=_("The recorded need this application answers; sending it does its task."),
    )
    aid_type = forms.ChoiceField(label=_("Technical aid"), required=False)
    description = forms.CharField(
        label=_("What is applied for"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    duration_months = forms.IntegerField(
        label=_("Expected need (months)"),
        required=False,
        min_value=1,
        help_text=_("Over 24 months: NAV Hjelpemiddelsentral. Shorter: the municipal depot."),
    )
    terminal = forms.BooleanField(label=_("Terminal care"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Applying office"), queryset=Organisation.objects.none(), required=False
    )
    urgent = forms.BooleanField(label=_("Urgent case (hastesak)"), required=False)
    urgent_reason = forms.CharField(label=_("Why it is urgent"), max_length=500, required=False)

    def __init__(
        self,
        *args: Any,
        offices: list[Organisation] | None = None,
        needs: QuerySet[Need] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["aid_type"].choices = _kinds("technical-aid")
        fields["need"].queryset = needs if needs is not None else Need.objects.none()
        fields["need"].label_from_instance = lambda need: (
            f"{need.aid_type.name if need.aid_type else need.description[:60]} "
            f"({need.get_duration_display()})"
        )
        if needs is None or not needs.exists():
            del fields["need"]
        fields["municipality"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in offices or []]
        )


class SignatureForm(Form):
    signed_by = forms.ChoiceField(
        label=_("Signed by"), choices=Signer.choices, widget=forms.RadioSelect, required=False
    )
    signer_name = forms.CharField(label=_("Name"), max_length=120, required=False)
    signed_on = forms.DateField(label=_("Signed"), required=False, widget=DATE)


class SentForm(Form):
    sent_on = forms.DateField(label=_("Sent to NAV"), required=False, widget=DATE)
    nav_reference = forms.CharField(label=_("NAV's reference"), max_length=40, required=False)


class NavDecisionForm(Form):
    granted = forms.TypedChoiceField(
        label=_("NAV's decision"),
        choices=[("yes", _("Granted")), ("no", _("Refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    decided_on = forms.DateField(label=_("Decided"), required=False, widget=DATE)


class NavDeliveryForm(Form):
    delivered_on = forms.DateField(label=_("Delivered"), required=False, widget=DATE)


class FollowUpForm(Form):
    note = forms.CharField(
        label=_("How the aid works for the user"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    followed_up_on = forms.DateField(label=_("Followed up"), required=False, widget=DATE)
