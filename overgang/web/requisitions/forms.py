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
from overgang.stays.models import Admission, Need, Stay
from overgang.web.common.forms import DATE, Form, OwnIds
from overgang.web.common.labels import stay_label
from overgang.web.requisitions.cases import RequisitionCase

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _choose(first: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", first), *choices]


# The requisition form's fields in three parts: what chooses the case (the route and the
# requester's role), the fields only some cases have, and what every requisition has.
CHOOSING = ("aid_type", "route", "requester_role")
DEPENDING = (
    "stay",
    "need",
    "referred_by",
    "referred_on",
    "conferred_with",
    "conferred_at",
    "lymphoedema",
)
ALWAYS = ("requester_name", "department", "phase", "justification", "confirm_existing")

SPECIALISTS = frozenset({RequesterRole.SPECIALIST, RequesterRole.PRIVATE_SPECIALIST})
# The doctors outside the specialist service whom an agreement may let requisition after
# conferring with it (U2: a GP's palliative oxygen).
CONFERRING = frozenset(
    {RequesterRole.GP, RequesterRole.SUPERVISING_DOCTOR, RequesterRole.NURSING_HOME_DOCTOR}
)


def fields_for(route: str, role: str) -> frozenset[str]:
    """Which of DEPENDING belong to a requisition on this route by a requester in this role:
    a stay on either route (the inpatient's stay, or the outpatient's episode); the referring
    GP when a specialist takes an outpatient; the conference for a doctor who confers with
    the specialist service; the kind of lymphoedema for the lymphoedema physiotherapist."""
    shown: set[str] = set()
    if route in Route.values:
        shown |= {"stay", "need"}
    if route == Route.OUTPATIENT and role in SPECIALISTS:
        shown |= {"referred_by", "referred_on"}
    if role in CONFERRING:
        shown |= {"conferred_with", "conferred_at"}
    if role == RequesterRole.LYMPHOEDEMA_PHYSIOTHERAPIST:
        shown.add("lymphoedema")
    return frozenset(shown)


class StayChoiceField(forms.ModelChoiceField[Stay]):
    def label_from_instance(self, obj: Stay) -> str:
        return stay_label(obj)


class RequisitionForm(Form):
    """Built for one route and one requester's role: the fields that do not belong to them
    are not on the form, so nothing posted for them is read, let alone saved."""

    aid_type = forms.ChoiceField(label=_("Treatment aid"), required=False)
    route = forms.ChoiceField(
        label=_("Route"), choices=Route.choices, widget=forms.RadioSelect, required=False
    )
    stay = StayChoiceField(
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
        case: RequisitionCase,
        stays: Any = None,
        needs: Any = None,
        places: list[Organisation] | None = None,
        loans: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        kinds = AidType.objects.filter(category="treatment-aid")
        fields["aid_type"].choices = _choose(
            _("Choose the aid"),
            sorted(((k.slug, k.name) for k in kinds), key=lambda c: c[1].casefold()),
        )
        fields["route"].choices = [(r, Route(r).label) for r in case.routes]
        fields["requester_role"].choices = _choose(
            _("Choose the role"), [(r, RequesterRole(r).label) for r in case.roles]
        )
        fields["department"].queryset = Organisation.objects.filter(
            pk__in=[p.pk for p in places or []]
        ).order_by("name")
        shown = set(fields_for(case.route, case.role))
        # The stay of the route: the inpatient's stay, or the outpatient's open episode.
        stays = stays if stays is not None else Stay.objects.none()
        if case.route == Route.OUTPATIENT:
            stays = stays.filter(admission=Admission.OUTPATIENT)
        else:
            stays = stays.exclude(admission=Admission.OUTPATIENT)
        stays = stays.select_related("patient", "hospital")
        needs = (needs if needs is not None else Need.objects.none()).filter(stay__in=stays)
        fields["stay"].queryset = stays
        fields["need"].queryset = needs
        if case.route == Route.INPATIENT:
            # The inpatient route belongs to the stay: there is no choosing none.
            fields["stay"].empty_label = None
        elif not stays.exists():
            shown -= {"stay", "need"}
        if not needs.exists():
            shown.discard("need")
        if not loans:
            del fields["confirm_existing"]
        for name in DEPENDING:
            if name not in shown:
                del fields[name]

    def part(self, names: tuple[str, ...]) -> list[Any]:
        return [self[name] for name in names if name in self.fields]

    @property
    def choosing(self) -> list[Any]:
        return self.part(CHOOSING)

    @property
    def depending(self) -> list[Any]:
        return self.part(DEPENDING)

    @property
    def always(self) -> list[Any]:
        return self.part(ALWAYS)


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
