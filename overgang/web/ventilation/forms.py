"""The form of the home-ventilation agreement's page: a few rows for participants and
training (blank rows are left out), one choice and one reason per duty. The writer checks
everything; the form only turns the rows into what the writer takes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.i18n import current_language
from overgang.rules.explain import DUTY_NAMES, PARTY_NAMES
from overgang.ventilation import actions
from overgang.ventilation.models import AgreementVersion
from overgang.web.common.forms import DATE, Form

PARTICIPANT_ROWS = 5
TRAINING_ROWS = 3
# Where the writer's errors about a whole group stand (InvalidInput names the group).
GROUPS = ("participants", "responsibilities", "training")


def party_name(party: str) -> str:
    language = current_language("en")
    return PARTY_NAMES.get(language, PARTY_NAMES["en"]).get(party, party)


def duty_name(duty: str) -> str:
    language = current_language("en")
    return DUTY_NAMES.get(language, DUTY_NAMES["en"]).get(duty, duty)


class VersionForm(Form):
    assessment_date = forms.DateField(
        label=_("Date of the interdisciplinary assessment"), required=False, widget=DATE
    )
    participants = forms.CharField(required=False, widget=forms.HiddenInput)
    responsibilities = forms.CharField(required=False, widget=forms.HiddenInput)
    staffing_plan = forms.CharField(
        label=_("Staffing plan"),
        help_text=_("Who staffs the patient at home, how many, day and night."),
        required=False,
        max_length=actions.LONGEST_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    training = forms.CharField(required=False, widget=forms.HiddenInput)
    follow_up_days = forms.CharField(
        label=_("Follow-up after discharge (days after it, separated by commas)"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, version: AgreementVersion, **kwargs: Any) -> None:
        kwargs.setdefault("initial", _initial(version))
        super().__init__(*args, **kwargs)
        self.version = version
        for i in range(PARTICIPANT_ROWS):
            for key, label in (
                ("name", _("Name")),
                ("role", _("Role")),
                ("organisation", _("Organisation")),
            ):
                self.fields[f"participant_{i}_{key}"] = forms.CharField(
                    label=label, required=False, max_length=actions.LONGEST_NAME
                )
        choices = [(p, party_name(p)) for p in actions.AGREED_PARTIES]
        for row in version.responsibilities:
            duty = row["duty"]
            self.fields[f"party_{duty}"] = forms.ChoiceField(
                label=duty_name(duty), choices=choices, required=False
            )
            self.fields[f"reason_{duty}"] = forms.CharField(
                label=_("Reason if changed"),
                required=False,
                max_length=actions.LONGEST_TEXT,
            )
        for i in range(TRAINING_ROWS):
            self.fields[f"training_{i}_trainer"] = forms.CharField(
                label=_("Who trains"), required=False, max_length=actions.LONGEST_NAME
            )
            self.fields[f"training_{i}_trainees"] = forms.CharField(
                label=_("Whom"), required=False, max_length=actions.LONGEST_NAME
            )
            self.fields[f"training_{i}_by"] = forms.DateField(
                label=_("By when"), required=False, widget=DATE
            )

    def participant_rows(self) -> list[list[Any]]:
        return [
            [self[f"participant_{i}_{k}"] for k in ("name", "role", "organisation")]
            for i in range(PARTICIPANT_ROWS)
        ]

    def responsibility_rows(self) -> list[tuple[dict[str, Any], Any, Any]]:
        return [
            (row, self[f"party_{row['duty']}"], self[f"reason_{row['duty']}"])
            for row in self.version.responsibilities
        ]

    def training_rows(self) -> list[list[Any]]:
        return [
            [self[f"training_{i}_{k}"] for k in ("trainer", "trainees", "by")]
            for i in range(TRAINING_ROWS)
        ]

    def clean_follow_up_days(self) -> list[int]:
        raw = self.cleaned_data.get("follow_up_days", "")
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Give whole days, such as 14, 90, 365.")) from None

    def content(self) -> actions.Content:
        data = self.cleaned_data
        return actions.Content(
            assessment_date=data.get("assessment_date"),
            participants=[
                {k: data.get(f"participant_{i}_{k}", "") for k in ("name", "role", "organisation")}
                for i in range(PARTICIPANT_ROWS)
            ],
            responsibilities=[
                {
                    "duty": row["duty"],
                    "party": data.get(f"party_{row['duty']}") or row["party"],
                    "reason": data.get(f"reason_{row['duty']}", ""),
                }
                for row in self.version.responsibilities
            ],
            staffing_plan=data.get("staffing_plan", ""),
            training=[
                {
                    "trainer": data.get(f"training_{i}_trainer", ""),
                    "trainees": data.get(f"training_{i}_trainees", ""),
                    "by": data.get(f"training_{i}_by"),
                }
                for i in range(TRAINING_ROWS)
            ],
            follow_up_days=data.get("follow_up_days") or [],
        )


def _initial(version: AgreementVersion) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "assessment_date": version.assessment_date,
        "staffing_plan": version.staffing_plan,
        "follow_up_days": ", ".join(str(d) for d in version.follow_up_days),
    }
    for i, row in enumerate(version.participants[:PARTICIPANT_ROWS]):
        for key in ("name", "role", "organisation"):
            initial[f"participant_{i}_{key}"] = row.get(key, "")
    for row in version.responsibilities:
        initial[f"party_{row['duty']}"] = row["party"]
        initial[f"reason_{row['duty']}"] = row.get("reason", "")
    for i, row in enumerate(version.training[:TRAINING_ROWS]):
        initial[f"training_{i}_trainer"] = row.get("trainer", "")
        initial[f"training_{i}_trainees"] = row.get("trainees", "")
        initial[f"training_{i}_by"] = row.get("by", "")
    return initial


class SignForm(Form):
    side = forms.ChoiceField(
        label=_("Sign for"),
        choices=[
            ("", "—"),
            ("hospital", _("the hospital")),
            ("municipality", _("the municipality")),
        ],
        required=False,
    )
