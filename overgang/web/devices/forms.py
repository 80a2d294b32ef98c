"""Forms of the devices pages. They check the shape of the input; the writers in
overgang.aids.actions check the rest, and their InvalidInput lands on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from overgang.aids.actions import CHECK_RESULTS
from overgang.aids.models import AidType, Delivery, Device, DeviceStatus, Placement
from overgang.organisations.models import INSTITUTIONS, Organisation
from overgang.organisations.regions import Region, within_region
from overgang.patients.models import Patient, PatientQuerySet
from overgang.web.common.forms import OUTSIDE_REGION, Form, ShownOnPage, split_serials

# A status filter of two statuses: the devices the start page counts as to reprocess.
TO_REPROCESS = "to-reprocess"
DEVICE_SORTS = ("serial", "-serial", "type", "-type", "status", "-status")


def _aid_type_choices(types: QuerySet[AidType]) -> list[tuple[str, str]]:
    # By the name in the reader's language, which the database cannot sort by.
    return sorted(((t.slug, t.name) for t in types), key=lambda choice: choice[1].casefold())


class DeviceSearchForm(Form):
    q = forms.CharField(label=_("Serial number or type"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("All statuses")),
            *DeviceStatus.choices,
            # What the start page counts as "to reprocess": back, or half-way through.
            (TO_REPROCESS, _("to reprocess (returned or reprocessing)")),
        ],
        required=False,
    )
    aid_type = forms.ChoiceField(label=_("Type"), required=False)
    sort = forms.ChoiceField(
        choices=[(key, key) for key in DEVICE_SORTS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, aid_types: QuerySet[AidType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid_type"]
        field.choices = [("", _("All types")), *_aid_type_choices(aid_types)]


class DeviceForm(Form):
    aid_type = forms.ChoiceField(label=_("Type"))
    serial = forms.CharField(
        label=_("Serial number"),
        max_length=60,
        required=False,  # register_device says what is wrong with an empty one
        help_text=_("As on the manufacturer's label."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owned by"), queryset=Organisation.objects.none(), empty_label=None
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=120,
        required=False,
        help_text=_("Where the device is kept, for example: store room 2, shelf B."),
    )

    def __init__(self, *args: Any, units: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid_type"]
        field.choices = [("", _("Choose a type")), *_aid_type_choices(AidType.objects.all())]
        self.sole_owner: Organisation | None = None
        if len(units) == 1:
            # Nothing to choose: the device belongs to the one unit the user works for.
            del self.fields["owner"]
            self.sole_owner = units[0]
        else:
            owner: Any = self.fields["owner"]
            owner.queryset = Organisation.objects.filter(pk__in=[u.pk for u in units])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.sole_owner is not None:
            data["owner"] = self.sole_owner
        return data


class PatientChoiceField(forms.ModelChoiceField[Patient]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.formatted_national_id})"


class LendForm(Form):
    find = forms.CharField(
        label=_("Find the patient"),
        required=False,
        max_length=100,
        help_text=_("Name or national identity number, then choose the patient below."),
    )
    patient = PatientChoiceField(
        label=_("Patient"),
        queryset=Patient.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the patient the device is lent to."),
            "invalid_choice": _("This patient is not among those you may lend to."),
        },
    )
    companions = forms.CharField(
        label=_("Lent with it"),
        required=False,
        max_length=400,
        help_text=_(
            "Serial numbers of the devices that go with it: the second unit of a "
            "life-sustaining aid, the portable cylinders of long-term oxygen."
        ),
    )
    therapy = forms.ChoiceField(label=_("Lent for"), required=False)
    placement = forms.ChoiceField(
        label=_("The device will be"),
        choices=Placement.choices,
        initial=Placement.HOME,
        widget=forms.RadioSelect,
        required=False,
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organisation.objects.filter(kind__in=INSTITUTIONS).order_by("name"),
        required=False,
        empty_label=_("Where the patient lives"),
        help_text=_("Only when the device will be in an institution."),
        error_messages={"invalid_choice": OUTSIDE_REGION},
    )
    delivery = forms.ChoiceField(
        label=_("How it reaches the patient"),
        choices=Delivery.choices,
        initial=Delivery.FETCHED,
        required=False,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        help_text=_("Leave as it is unless the loan is for something else than the treatment."),
    )
    expected_end = forms.DateField(
        label=_("Expected end of the loan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if not known."),
    )
    manual_handed_over = forms.BooleanField(label=_("User manual handed over"), required=False)
    instruction_given = forms.BooleanField(label=_("Instruction given"), required=False)

    def __init__(
        self,
        *args: Any,
        patients: PatientQuerySet,
        device: Device,
        region: Region | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.patients = patients
        field: Any = self.fields["patient"]
        # Any patient the user may see is accepted; only the suggestions are shown as choices.
        field.queryset = patients
        field.widget.choices = []
        institution: Any = self.fields["institution"]
        institution.queryset = within_region(
            institution.queryset.filter(country=device.owner.country), region
        )
        kind = device.aid_type
        therapies = [t for t in AidType.objects.exclude(parts=[]) if kind.slug in t.parts]
        therapy: Any = self.fields["therapy"]
        therapy.choices = [("", _("The aid on its own")), *((t.slug, t.name) for t in therapies)]
        if not therapies:
            del self.fields["therapy"]
        purpose: Any = self.fields["purpose"]
        purpose.choices = [("", _("As requisitioned")), *PURPOSE_CHOICES]

    def suggest(self, text: str) -> list[Patient]:
        """The first ten patients matching `text` (nothing for an empty search)."""
        text = text.strip()
        if not text:
            return []
        return list(self.patients.find(text).select_related("municipality", "district")[:10])

    def clean_placement(self) -> str:
        return self.cleaned_data.get("placement") or Placement.HOME

    def clean_delivery(self) -> str:
        return self.cleaned_data.get("delivery") or Delivery.FETCHED

    def clean_companions(self) -> list[str]:
        return split_serials(self.cleaned_data.get("companions", ""))


PURPOSE_CHOICES = [
    ("treatment", _("treatment")),
    ("rehabilitation", _("rehabilitation after discharge")),
    ("specialised-rehabilitation", _("specialised rehabilitation")),
    ("lasting-function-loss", _("lasting loss of function")),
    ("temporary", _("temporary need")),
    ("activity-outside-home", _("an activity outside the home")),
]


class HandoverForm(Form):
    loan = ShownOnPage()
    manual_handed_over = forms.BooleanField(label=_("User manual handed over"), required=False)
    instruction_given = forms.BooleanField(label=_("Instruction given"), required=False)


class LendWithForm(Form):
    loan = ShownOnPage()
    device = forms.CharField(
        label=_("Serial number"),
        max_length=60,
        required=False,  # the view says what is wrong with an empty one
        help_text=_("Scan or type the serial number of the device to lend with the set."),
    )
    manual_handed_over = forms.BooleanField(label=_("User manual handed over"), required=False)
    instruction_given = forms.BooleanField(label=_("Instruction given"), required=False)


class ReturnForm(Form):
    # The loan shown on the page: a second click on a stale page must not end a newer loan.
    loan = ShownOnPage()


class ReprocessForm(Form):
    technical_check = forms.ChoiceField(
        label=_("Technical check"),
        choices=[
            (CHECK_RESULTS[0], _("passed: ready for the next loan")),
            (CHECK_RESULTS[1], _("failed: send to repair")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the technical check passed.")},
    )
    disinfection = forms.CharField(
        label=_("Disinfection method"),
        max_length=200,
        required=False,  # needed only when the check passed; reprocess_device knows
        help_text=_("For example: thermal 90 °C, or wiped with alcohol 70 %."),
    )
    batch = forms.CharField(label=_("Batch or cycle number"), max_length=60, required=False)
    reason = forms.CharField(label=_("Note"), max_length=500, required=False)


class DiscardForm(Form):
    reason = forms.CharField(
        label=_("Why is the device discarded?"),
        max_length=500,
        required=False,  # discard_device says so when it is empty
        widget=forms.Textarea(attrs={"rows": 2}),
    )
