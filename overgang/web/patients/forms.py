"""Forms of the patient pages: finding, registering and editing a patient, and relatives."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.organisations.models import Kind, Organisation
from overgang.organisations.regions import Region, within_region
from overgang.patients.actions import build_patient
from overgang.patients.models import PATIENT_SORTS, Relation, Residence
from overgang.web.common.forms import OUTSIDE_REGION, Form


class PatientSearchForm(Form):
    q = forms.CharField(label=_("Name or national identity number"), required=False, max_length=100)
    sort = forms.ChoiceField(
        choices=[(key, key) for key in PATIENT_SORTS], required=False, widget=forms.HiddenInput
    )


def limit_institutions(
    form: forms.Form, region: Region | None, keep: Organisation | None = None
) -> None:
    """Offer the institutions of the user's region only (and the one already chosen, so
    that editing a patient who lives elsewhere does not refuse what is unchanged)."""
    field: Any = form.fields["institution"]
    limited = within_region(field.queryset, region)
    if keep is not None:
        limited = limited | field.queryset.filter(pk=keep.pk)
    field.queryset = limited.order_by("name")


class PatientForm(Form):
    national_id = forms.CharField(
        label=_("National identity number"),
        max_length=14,
        help_text=_("11 digits (Norway) or 10 digits (Denmark, CPR)."),
    )
    name = forms.CharField(label=_("Full name"), max_length=200)
    address = forms.CharField(label=_("Registered address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    post_town = forms.CharField(label=_("Post town"), max_length=100, required=False)
    municipality = forms.CharField(
        label=_("Municipality"), max_length=100, help_text=_("Name or municipality number.")
    )
    district = forms.CharField(
        label=_("District"),
        max_length=100,
        required=False,
        help_text=_("In Oslo: the district (bydel)."),
    )
    residence = forms.ChoiceField(label=_("Lives"), choices=Residence.choices)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organisation.objects.filter(kind=Kind.NURSING_HOME),
        required=False,
        empty_label=_("None (lives at home)"),
        error_messages={"invalid_choice": OUTSIDE_REGION},
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    language = forms.CharField(label=_("Language"), max_length=60, required=False)

    def __init__(self, *args: Any, region: Region | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_institutions(self, region)

    def clean(self) -> dict[str, Any]:
        # Ask the writer's own checks now, so every problem shows at once, even while
        # other fields are still empty; the writer checks again when saving.
        data = super().clean() or {}
        self.check_early(
            lambda: build_patient(
                national_id_number=data.get("national_id", ""),
                name=data.get("name", ""),
                municipality=data.get("municipality", ""),
                district=data.get("district", ""),
                address=data.get("address", ""),
                residence=data.get("residence", ""),
                institution=data.get("institution"),
                interpreter_needed=data.get("interpreter_needed", False),
                language=data.get("language", ""),
            )
        )
        return data


class RelativeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    next_of_kin = forms.BooleanField(label=_("Next of kin"), required=False)
    minor_child = forms.BooleanField(label=_("Minor child"), required=False)
    needs_support = forms.BooleanField(label=_("Needs support"), required=False)


class PatientEditForm(Form):
    """What may change about a registered patient; the national ID never does."""

    name = PatientForm.base_fields["name"]
    address = PatientForm.base_fields["address"]
    postcode = PatientForm.base_fields["postcode"]
    post_town = PatientForm.base_fields["post_town"]
    municipality = PatientForm.base_fields["municipality"]
    district = PatientForm.base_fields["district"]
    residence = PatientForm.base_fields["residence"]
    institution = PatientForm.base_fields["institution"]
    interpreter_needed = PatientForm.base_fields["interpreter_needed"]
    language = PatientForm.base_fields["language"]
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        required=False,
        help_text=_("For example: moved, new information from the patient."),
    )

    def __init__(
        self, *args: Any, region: Region | None, current: Organisation | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_institutions(self, region, keep=current)
