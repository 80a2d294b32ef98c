"""The forms of training (O10, N7): a training with what was shown and understood, a
written procedure, and a staff-training session."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.web.common.forms import Form
from overgang.web.stays.forms import when_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Rows for what was demonstrated; a training shows a handful of things.
ITEM_ROWS = 5
STAFF_ROWS = 8
UNDERSTOOD_CHOICES = [
    ("", _("—")),
    ("yes", _("understood")),
    ("partly", _("partly understood")),
    ("no", _("not understood")),
]


class TrainingForm(Form):
    aid_type = forms.ChoiceField(label=_("Aid"))
    trainee = forms.ChoiceField(
        label=_("Who was trained"),
        choices=[
            ("patient", _("the patient")),
            ("relative", _("relatives")),
            ("staff", _("municipal staff")),
        ],
        widget=forms.RadioSelect,
    )
    names = forms.CharField(label=_("Names"), max_length=300)
    at = when_field(_("When"))
    interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)
    no_interpreter_reason = forms.CharField(
        label=_("Why without an interpreter"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the patient needs an interpreter and none took part."),
    )
    teach_back = forms.CharField(
        label=_("Teach-back: what the trainee showed or explained back"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    written_procedures = forms.CharField(
        label=_("Written procedures given"),
        max_length=300,
        required=False,
        help_text=_("For example: nutrition plan, cleaning routine."),
    )
    repeat = forms.BooleanField(label=_("To be repeated"), required=False)
    repeat_on = forms.DateField(
        label=_("Repeat by"),
        required=False,
        widget=DATE,
        help_text=_("The trainer's unit is reminded on its worklist. Default: in a week."),
    )

    def __init__(self, *args: Any, aid_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid_type"]
        field.choices = [("", _("Choose the aid")), *aid_choices]
        for row in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{row}"] = forms.CharField(
                label=_("Demonstrated (%(row)d)") % {"row": row}, required=False, max_length=200
            )
            self.fields[f"understood_{row}"] = forms.ChoiceField(
                label=_("Understood? (%(row)d)") % {"row": row},
                required=False,
                choices=UNDERSTOOD_CHOICES,
            )

    @property
    def item_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"item_{r}"], self[f"understood_{r}"]) for r in range(1, ITEM_ROWS + 1)]

    @property
    def main_fields(self) -> list[Any]:
        return [f for f in self if not f.name.startswith(("item_", "understood_"))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        items = []
        for row in range(1, ITEM_ROWS + 1):
            item = (data.get(f"item_{row}") or "").strip()
            understood = data.get(f"understood_{row}") or ""
            if item and not understood:
                self.add_error(f"understood_{row}", _("Say whether it was understood."))
            elif understood and not item:
                self.add_error(f"item_{row}", _("Say what was demonstrated."))
            elif item:
                items.append({"item": item, "understood": understood})
        data["items"] = items
        return data


class ProcedureForm(Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example: nutrition plan.")
    )
    file = forms.FileField(
        label=_("Upload the procedure (PDF, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    steps = forms.CharField(
        label=_("Or write its steps, one a line, to print"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, training_pk: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.training_pk = training_pk


class StaffTrainingForm(Form):
    organisation = forms.ChoiceField(label=_("Unit"))
    aid_type = forms.ChoiceField(label=_("Aid"))
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    trainer = forms.CharField(label=_("Trained by (name, unit)"), max_length=200)
    covered = forms.CharField(
        label=_("What was covered"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    staff = forms.CharField(
        label=_("Staff trained: one a line, “name, role”"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        units: list[tuple[str, str]],
        aid_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit: Any = self.fields["organisation"]
        unit.choices = units
        aid: Any = self.fields["aid_type"]
        aid.choices = [("", _("Choose the aid")), *aid_choices]

    def clean_staff(self) -> list[dict[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("staff") or "").splitlines():
            name, _comma, role = line.partition(",")
            if name.strip():
                rows.append({"name": name.strip(), "role": role.strip()})
        return rows
