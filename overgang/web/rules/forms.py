"""The forms of the page "Who is responsible?": a case and an event, as a person states them."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language
from overgang.rules import all_agreements
from overgang.rules.registry import aid_types
from overgang.web.common.forms import Form

PURPOSES = [
    ("treatment", _("Treatment")),
    ("rehabilitation", _("Rehabilitation after discharge")),
    ("specialised-rehabilitation", _("Specialised outpatient rehabilitation")),
    ("lasting-function-loss", _("Lasting loss of function")),
    ("temporary", _("Temporary need, neither treatment nor training")),
    ("activity-outside-home", _("Activity outside the home")),
    ("spare", _("Spare aid")),
    ("multi-patient", _("Equipment for several patients")),
    ("acute", _("Acute equipment")),
]
STARTED_BY = [
    ("specialist", _("Specialist health service")),
    ("nursing-home-doctor", _("Nursing-home doctor")),
    ("supervising-doctor", _("Supervising doctor")),
    ("emergency-doctor", _("Emergency doctor")),
    ("gp", _("GP")),
]
PHASES = [
    ("inpatient", _("Inpatient")),
    ("outpatient", _("Outpatient")),
    ("palliative", _("Palliative care")),
    ("after-discharge", _("After discharge")),
    ("before-pre-examination", _("Before the pre-examination")),
    ("after-pre-examination", _("After the pre-examination")),
]
REQUESTERS = [
    ("specialist-physician", _("Specialist physician")),
    ("private-specialist-with-agreement", _("Private specialist with an agreement")),
    ("gp", _("GP")),
    ("supervising-doctor", _("Supervising doctor")),
    ("nursing-home-doctor", _("Nursing-home doctor")),
    ("physiotherapist", _("Physiotherapist")),
    ("lymphoedema-physiotherapist", _("Lymphoedema physiotherapist")),
]
EVENTS = [
    ("admission-notified", _("The municipality learns of the admission")),
    ("admitted", _("Admitted")),
    ("admission-date-set", _("Admission date set")),
    ("pre-examination", _("Pre-examination")),
    ("discharge-planned", _("Planned discharge")),
    ("discharge-ready-notified", _("Discharge-ready patient notified")),
    ("died", _("Died")),
]
NONE: list[tuple[str, Any]] = [("", "—")]


def _aid_choices() -> list[tuple[str, str]]:
    language = current_language()
    names = [
        (slug, kind.names.get(language, kind.names["en"])) for slug, kind in aid_types().items()
    ]
    return sorted(names, key=lambda item: item[1])


def _agreement_choices() -> list[tuple[str, Any]]:
    latest = {a.id: a for a in all_agreements()}
    return [("", _("From the municipality"))] + [(a.id, a.title) for a in latest.values()]


def municipality_choices() -> list[tuple[str, Any]]:
    """The municipalities each agreement covers, grouped by the agreement (its latest
    version): a person picks "Tromsø" under UNN's agreement instead of typing a name the
    engine may not know (issue 19). The value is the name the agreement gives it."""
    latest = {a.id: a for a in all_agreements()}
    groups: list[tuple[str, Any]] = [("", _("Choose a municipality"))]
    for agreement in latest.values():
        names = sorted((m.name for m in agreement.municipalities), key=str.casefold)
        # Named by the hospital side, whose name people know the agreement by.
        label = f"{agreement.hospital.name} ({agreement.id})"
        groups.append((label, [(name, name) for name in names]))
    return groups


class MunicipalityField(forms.CharField):
    """A municipality chosen from the agreements' lists. Still a text field underneath, so
    an address written by hand or by an integration (a name in any case, "… kommune", the
    number) is asked of the engine as before, which names the field when no agreement covers
    it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget = forms.Select()

    def refresh(self) -> None:
        # Per request: the agreements' titles may be lazily translated.
        self.widget.choices = municipality_choices()


def cast_municipality(field: forms.Field) -> MunicipalityField:
    assert isinstance(field, MunicipalityField)
    return field


class CaseForm(Form):
    agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    municipality = MunicipalityField(label=_("Municipality"))
    district = forms.CharField(label=_("District"), max_length=100, required=False)
    residence = forms.ChoiceField(
        label=_("Lives"), choices=[("home", _("at home")), ("institution", _("in an institution"))]
    )
    terminal = forms.BooleanField(label=_("In the terminal phase"), required=False)
    aid_type = forms.ChoiceField(label=_("Aid"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[*NONE, *PURPOSES], required=False)
    duration_months = forms.IntegerField(
        label=_("Expected duration (months)"), min_value=0, max_value=600, required=False
    )
    started_by = forms.ChoiceField(
        label=_("Treatment started by"), choices=[*NONE, *STARTED_BY], required=False
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=[*NONE, *PHASES], required=False)
    needed_for_journey_home = forms.BooleanField(
        label=_("Needed for the journey home"), required=False
    )
    uses_institution_equipment = forms.BooleanField(
        label=_("Uses the institution's equipment"), required=False
    )
    treatment_started_in_specialist_care = forms.BooleanField(
        label=_("Treatment started in specialist care"), required=False, initial=True
    )
    requester = forms.ChoiceField(
        label=_("Who applies"), choices=[*NONE, *REQUESTERS], required=False
    )
    lender = forms.ChoiceField(
        label=_("Lent by"),
        choices=[("hospital", _("Hospital")), ("private-hospital", _("Private hospital"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aid_type"].choices = _aid_choices()  # type: ignore[attr-defined]
        self.fields["agreement"].choices = _agreement_choices()  # type: ignore[attr-defined]
        cast_municipality(self.fields["municipality"]).refresh()

    def case(self) -> dict[str, Any]:
        """The case as the engine reads it (docs/contracts/rules.md)."""
        data = self.cleaned_data
        need = {
            key: data[key]
            for key in ("purpose", "started_by", "phase", "duration_months")
            if data.get(key) not in (None, "")
        }
        need["needed_for_journey_home"] = data["needed_for_journey_home"]
        need["uses_institution_equipment"] = data["uses_institution_equipment"]
        need["treatment_started_in_specialist_care"] = data["treatment_started_in_specialist_care"]
        patient = {"residence": data["residence"], "terminal": data["terminal"]}
        if data["municipality"]:
            patient["municipality"] = data["municipality"]
        if data["district"]:
            patient["district"] = data["district"]
        case: dict[str, Any] = {
            "patient": patient,
            "aid": {"type": data["aid_type"]},
            "need": need,
            "lender": data["lender"],
        }
        if data["agreement"]:
            case["agreement"] = data["agreement"]
        if data["requester"]:
            case["requester"] = {"role": data["requester"]}
        return case


class EventForm(Form):
    event_agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    event_municipality = MunicipalityField(label=_("Municipality"))
    event = forms.ChoiceField(label=_("Event"), choices=EVENTS)
    at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    admission = forms.ChoiceField(
        label=_("Admission"),
        choices=[*NONE, ("emergency", _("Emergency")), ("planned", _("Planned"))],
        required=False,
    )
    expected_stay_hours = forms.IntegerField(
        label=_("Expected stay (hours)"), min_value=0, max_value=10000, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_agreement"].choices = _agreement_choices()  # type: ignore[attr-defined]
        cast_municipality(self.fields["event_municipality"]).refresh()
        self.fields["at"].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def event_input(self) -> dict[str, Any]:
        data = self.cleaned_data
        at: datetime.datetime = data["at"]
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        event: dict[str, Any] = {"event": data["event"], "at": at.isoformat(), "context": {}}
        if data["event_agreement"]:
            event["agreement"] = data["event_agreement"]
        if data["event_municipality"]:
            event["municipality"] = data["event_municipality"]
        if data["admission"]:
            event["context"]["admission"] = data["admission"]
        if data["expected_stay_hours"] is not None:
            event["context"]["expected_stay_hours"] = data["expected_stay_hours"]
        return event
