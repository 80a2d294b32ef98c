"""Forms of the return pages (O8). They check the shape of the input; the writers in
overgang.aids.actions.returns check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import Loan, ReportedFor, ReturnMethod
from overgang.web.common.forms import Form


class LoanChoiceField(forms.ModelMultipleChoiceField[Loan]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.device.serial} · {obj.device.aid_type.name}"


class ReturnRequestForm(Form):
    loans = LoanChoiceField(
        label=_("Devices to return"),
        queryset=Loan.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # request_return says so when none is chosen
    )
    method = forms.ChoiceField(
        label=_("How do they go back?"),
        choices=ReturnMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reported_for = forms.ChoiceField(
        label=_("Who reports it?"),
        choices=ReportedFor.choices,
        initial=ReportedFor.MUNICIPALITY,
        widget=forms.RadioSelect,
        required=False,
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=40,
        required=False,
        help_text=_("The unit calls this number to agree the pickup."),
    )
    address = forms.CharField(
        label=_("Pickup address"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the address where the devices are now."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: door code, when someone is at home."),
    )

    def __init__(self, *args: Any, loans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["loans"]
        field.queryset = loans
        if not self.is_bound:
            field.initial = [loan.pk for loan in loans]


class ScheduleForm(Form):
    appointment = forms.DateTimeField(
        label=_("Pickup"),
        required=False,  # schedule_pickup says so when it is empty
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("As agreed with the contact person."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CancelReturnForm(Form):
    reason = forms.CharField(
        label=_("Why is the return cancelled?"),
        max_length=500,
        required=False,  # cancel_return says so when it is empty
        widget=forms.Textarea(attrs={"rows": 2}),
    )
