"""Forms of the devices pages. They check the shape of the input; the writers in
overgang.aids.actions check the rest, and their InvalidInput lands on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from overgang.aids.actions import CHECK_RESULTS
from overgang.aids.models import AidType, DeviceStatus, Placement
from overgang.organisations.models import Organisation
from overgang.patients.models import Patient, PatientQuerySet
from overgang.web.forms import Form, InputErrorsMixin

DEVICE_SORTS = ("serial", "-serial", "type", "-type", "status", "-status")


def _aid_type_choices(types: QuerySet[AidType]) -> list[tuple[str, str]]:
    # By the name in the reader's language, which the database cannot sort by.
    return sorted(((t.slug, t.name) for t in types), key=lambda choice: choice[1].casefold())


class DeviceSearchForm(Form):
    q = forms.CharField(label=_("Serial number or type"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *DeviceStatus.choices], required=False
    )
    aid_type = forms.ChoiceField(label=_("Type"), required=False)
    sort = forms.ChoiceField(
        choices=[(key, key) for key in DEVICE_SORTS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, aid_types: QuerySet[AidType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid_type"]
        field.choices = [("", _("All types")), *_aid_type_choices(aid_types)]


class DeviceForm(InputErrorsMixin, Form):
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


class PatientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.formatted_national_id})"


class LendForm(InputErrorsMixin, Form):
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
    placement = forms.ChoiceField(
        label=_("The device will be"),
        choices=Placement.choices,
        initial=Placement.HOME,
        widget=forms.RadioSelect,
    )
    expected_end = forms.DateField(
        label=_("Expected end of the loan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if not known."),
    )
    manual_handed_over = forms.BooleanField(label=_("User manual handed over"), required=False)
    instruction_given = forms.BooleanField(label=_("Instruction given"), required=False)

    def __init__(self, *args: Any, patients: PatientQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patients = patients
        field: Any = self.fields["patient"]
        # Any patient the user may see is accepted; only the suggestions are shown as choices.
        field.queryset = patients
        field.widget.choices = []

    def suggest(self, text: str) -> list[Patient]:
        """The first ten patients matching `text` (nothing for an empty search)."""
        text = text.strip()
        if not text:
            return []
        return list(self.patients.find(text).select_related("municipality", "district")[:10])


class ReturnForm(Form):
    # The loan shown on the page: a second click on a stale page must not end a newer loan.
    loan = forms.IntegerField(widget=forms.HiddenInput)


class ReprocessForm(InputErrorsMixin, Form):
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


class DiscardForm(InputErrorsMixin, Form):
    reason = forms.CharField(
        label=_("Why is the device discarded?"),
        max_length=500,
        required=False,  # discard_device says so when it is empty
        widget=forms.Textarea(attrs={"rows": 2}),
    )
