"""Forms of the requisition pages: asking for a treatment aid, deciding, delivering, and
registering an appeal. The writers check everything; these only collect the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import AidType, Device
from overgang.organisations.models import Organisation
from overgang.requisitions.models import (
    Appellant,
    DeliveryPlan,
    Lymphoedema,
    Phase,
    RequesterRole,
    Route,
)
from overgang.stays.models import Need, Stay
from overgang.web.common.forms import DATE, Form, OwnIds

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _choose(first: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", first), *choices]


class RequisitionForm(Form):
    aid_type = forms.ChoiceField(label=_("Treatment aid"), required=False)
    route = forms.ChoiceField(
        label=_("Route"), choices=Route.choices, widget=forms.RadioSelect, required=False
    )
    stay = forms.ModelChoiceField(
        label=_("Stay"), queryset=Stay.objects.none(), required=False, empty_label=_("No stay")
    )
    need = forms.ModelChoiceField(
        label=_("Need on the stay"),
        queryset=Need.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("The recorded need this requisition answers; met when the aid is lent."),
    )
    requester_name = forms.CharField(label=_("Requested by"), max_length=120, required=False)
    requester_role = forms.ChoiceField(
        label=_("In the role of"),
        choices=_choose(_("Choose the role"), RequesterRole.choices),
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Department or practice"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Choose"),
    )
    phase = forms.ChoiceField(
        label=_("Phase of treatment"),
        choices=_choose(_("As the route says"), Phase.choices),
        required=False,
    )
    lymphoedema = forms.ChoiceField(
        label=_("Lymphoedema"), choices=Lymphoedema.choices, required=False
    )
    justification = forms.CharField(
        label=_("Clinical justification"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Diagnosis, what the aid is for, settings tried and found right."),
    )
    referred_by = forms.CharField(
        label=_("Referred by (GP)"),
        max_length=120,
        required=False,
        help_text=_("For an outpatient: the GP who referred the patient."),
    )
    referred_on = forms.DateField(label=_("Referral date"), required=False, widget=DATE)
    conferred_with = forms.CharField(
        label=_("Conferred with (specialist service)"),
        max_length=160,
        required=False,
        help_text=_("A GP's palliative oxygen: whom in the specialist service you conferred with."),
    )
    conferred_at = forms.DateTimeField(label=_("Conference"), required=False, widget=DATETIME)
    confirm_existing = forms.BooleanField(
        label=_("I have seen the aids already on loan, and another one is needed"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        stays: Any = None,
        needs: Any = None,
        places: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        kinds = AidType.objects.filter(category="treatment-aid")
        fields["aid_type"].choices = _choose(
            _("Choose the aid"),
            sorted(((k.slug, k.name) for k in kinds), key=lambda c: c[1].casefold()),
        )
        fields["stay"].queryset = stays if stays is not None else Stay.objects.none()
        fields["need"].queryset = needs if needs is not None else Need.objects.none()
        fields["department"].queryset = Organisation.objects.filter(
            pk__in=[p.pk for p in places or []]
        ).order_by("name")


class DecisionForm(OwnIds, Form):
    id_prefix = "decide"

    approved = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Grant")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stands in the decision letter. Needed for a refusal."),
    )
    delivery = forms.ChoiceField(
        label=_("Delivery"),
        choices=_choose(_("By the route (at discharge or sent)"), DeliveryPlan.choices),
        required=False,
    )
    deliver_by = forms.DateField(label=_("Deliver by"), required=False, widget=DATE)
    device = forms.ChoiceField(label=_("Reserve device"), required=False)

    def __init__(self, *args: Any, devices: list[Device] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["device"]
        field.choices = device_choices(devices or [])


def device_choices(devices: list[Device]) -> list[tuple[str, str]]:
    return _choose(
        _("No device yet"),
        [(d.serial, f"{d.serial}{f' · {d.location}' if d.location else ''}") for d in devices],
    )


class ReserveForm(OwnIds, Form):
    id_prefix = "reserve"

    device = forms.ChoiceField(label=_("Device"), required=False)

    def __init__(self, *args: Any, devices: list[Device] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["device"]
        field.choices = device_choices(devices or [])


class DeliverForm(OwnIds, Form):
    id_prefix = "deliver"

    companions = forms.CharField(
        label=_("Lent with it"),
        max_length=400,
        required=False,
        help_text=_("Serial numbers of the devices that go with it."),
    )
    manual_handed_over = forms.BooleanField(label=_("User manual handed over"), required=False)
    instruction_given = forms.BooleanField(label=_("Instruction given"), required=False)


class WithdrawForm(OwnIds, Form):
    id_prefix = "withdraw"

    reason = forms.CharField(label=_("Why withdraw it?"), max_length=400, required=False)


class AppealForm(OwnIds, Form):
    id_prefix = "appeal"

    appellant = forms.ChoiceField(
        label=_("Appeal from"),
        choices=Appellant.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    appellant_name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("Of the relative, guardian or representative."),
    )
    grounds = forms.CharField(
        label=_("What the appeal says"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    received_on = forms.DateField(label=_("Received"), required=False, widget=DATE)


class ForwardForm(OwnIds, Form):
    id_prefix = "forward"

    forwarded_on = forms.DateField(label=_("Forwarded"), required=False, widget=DATE)


class OutcomeForm(OwnIds, Form):
    id_prefix = "outcome"

    upheld = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("yes", _("Upheld: assess the requisition again")), ("no", _("Dismissed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
    )
    outcome = forms.CharField(
        label=_("The outcome and its reason"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_on = forms.DateField(label=_("Outcome received"), required=False, widget=DATE)
