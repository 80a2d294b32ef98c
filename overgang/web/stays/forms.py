"""Forms of the stay pages. Each form gathers one step; the writer in overgang.stays.actions
checks it again and its InvalidInput lands on the form's fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang import clock
from overgang.i18n import current_language
from overgang.organisations.models import Organisation
from overgang.rules.engine import STAY_LENGTH
from overgang.rules.registry import Agreement
from overgang.rules.transitions import transitions
from overgang.stays.models import Admission, CareType, Stay
from overgang.web.common.forms import Form

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """A date and time on the reader's own clock (the zone of the country they work in)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=LOCAL_MINUTE)


def when_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


def now_minute() -> str:
    return clock.local_now().strftime(LOCAL_MINUTE)


class AdmitForm(Form):
    department = forms.ChoiceField(label=_("Department"))
    admission = forms.ChoiceField(
        label=_("Admission"),
        choices=Admission.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "An outpatient episode (day treatment, consultation, ambulant treatment) is not "
            "an admission: no admission deadlines and no discharge checklist."
        ),
    )
    admitted_at = when_field(
        _("Admitted"),
        help_text=_("For a planned admission, the date and time the patient is expected."),
    )
    aid_need_foreseeable = forms.BooleanField(
        label=_("Planned admission: a need for aids can be foreseen already"), required=False
    )
    care = forms.ChoiceField(
        label=_("Care"),
        choices=CareType.choices,
        initial=CareType.SOMATIC,
        required=False,
        help_text=_("Mental health care and TSB have more conditions before discharge-ready."),
    )
    expected_stay_hours = forms.IntegerField(
        label=_("Expected length of stay (hours)"),
        required=False,
        min_value=0,
        max_value=24 * 365,
    )
    expected_discharge = when_field(_("Expected discharge"), required=False)

    def __init__(
        self,
        *args: Any,
        units: list[Organisation],
        agreement: Agreement | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["department"]
        field.choices = [(u.key, u.name) for u in units]
        self.units = {u.key: u for u in units}
        # Why the length matters, in the words of the patient's own agreement (N5); nothing
        # where no deadline of its turns on it.
        language = current_language()
        # Asked only where the agreement sets a notice at the pre-examination (N5), in its
        # words.
        foreseeable = [
            f"{rule.text[language]} ({', '.join(rule.cites)})"
            for rule in (agreement.deadline_rules if agreement else ())
            if rule.event == "pre-examination"
        ]
        if foreseeable:
            self.fields["aid_need_foreseeable"].help_text = " ".join(foreseeable)
        else:
            del self.fields["aid_need_foreseeable"]
        self.fields["expected_stay_hours"].help_text = " ".join(
            f"{rule.text[language]} ({', '.join(rule.cites)})"
            for rule in (agreement.deadline_rules if agreement else ())
            if any(STAY_LENGTH in table for table in rule.conditions)
        )


class EventForm(Form):
    event = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            ("admission-date-set", _("Admission date set (planned admission)")),
            ("pre-examination", _("Pre-examination done")),
            ("discharge-planned", _("Discharge planned")),
        ],
    )
    at = when_field(_("When"))
    discharge_at = when_field(
        _("Planned discharge"), required=False, help_text=_("For a planned discharge.")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SupplementaryForm(Form):
    at = when_field(_("Asked"))
    note = forms.CharField(
        label=_("What is needed"),
        max_length=500,
        required=False,
        help_text=_("No more than the municipality needs to know to answer."),
    )


def message_choices(stay: Stay, sides: set[str]) -> list[tuple[str, str]]:
    language = current_language()
    return [
        (code, kind.name[language])
        for code, kind in transitions(stay.country).messages.items()
        if kind.sender in sides or kind.sender == "either"
    ]


class MessageForm(Form):
    type = forms.ChoiceField(label=_("Message"))
    sent_at = when_field(_("Sent"))
    payload = forms.CharField(
        label=_("Content or note"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["type"]
        field.choices = choices


class ItemsForm(Form):
    items = forms.MultipleChoiceField(label="", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["items"]
        field.choices = choices


class DocumentedForm(ItemsForm):
    """The § 9 items ticked, and for each what the physician wrote (R9, forskrift § 14):
    one text box per item, named "texts.<item>" as the writer names its errors."""

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], texts: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        for item, text in choices:
            self.fields[f"texts.{item}"] = forms.CharField(
                label=_("What was assessed: %(item)s") % {"item": text},
                required=False,
                max_length=4000,
                initial=texts.get(item, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class DischargeReadyForm(Form):
    at = when_field(_("Decided at"))
    override = forms.CharField(
        label=_("Reason for declaring despite open items"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when items are open; it is kept with the decision."),
    )


class AnswerForm(Form):
    can_receive = forms.TypedChoiceField(
        label=_("Can the municipality receive the patient?"),
        choices=[("yes", _("Yes")), ("no", _("Not yet"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    receive_at = when_field(_("From when"), required=False)
    service = forms.CharField(
        label=_("Service after discharge"),
        max_length=200,
        required=False,
        help_text=_("For example: home nursing twice a day, short-term place at a nursing home."),
    )
    needs_from_hospital = forms.CharField(
        label=_("Medicines and equipment needed from the hospital"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WhenForm(Form):
    at = when_field(_("When"))


EARLY_REASON_HELP = _(
    "Only when the patient leaves before the time the municipality can receive them; the "
    "municipality is shown it."
)


class DepartureReadyForm(Form):
    at = when_field(_("When"))
    reason = forms.CharField(
        label=_("Reason for leaving before the municipality can receive"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=EARLY_REASON_HELP,
    )


class DischargeForm(Form):
    at = when_field(_("Left hospital at"))
    destination = forms.ChoiceField(label=_("Goes to"), required=False)
    force_majeure = forms.CharField(
        label=_("Force majeure (only when leaving before ready)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason for leaving before the municipality can receive"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=EARLY_REASON_HELP,
    )

    def __init__(self, *args: Any, destinations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["destination"]
        field.choices = [
            ("", _("where the patient lived before")),
            ("home", _("home")),
            *destinations,
        ]


class LeaveForm(Form):
    at = when_field(_("Left hospital at"))
    competent = forms.BooleanField(
        label=_("The patient is competent to consent and wishes to leave"), required=False
    )
    safe = forms.BooleanField(
        label=_("It is safe without services, or relatives take responsibility"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class DoneForm(Form):
    # The worklist shows no form again: its messages say what they are about.
    note = forms.CharField(
        label=_("How was it done?"),
        max_length=500,
        error_messages={
            "required": _("Say how the duty was done."),
            "max_length": _("Say how the duty was done in at most %(limit_value)d characters."),
        },
        help_text=_("For example: by phone with the allocation office at 10:40."),
    )


class NeedForm(Form):
    kind = forms.ChoiceField(
        label=_("Need"),
        choices=[("function", _("Functional difficulty")), ("aid", _("Aid"))],
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the patient cannot do, or what the aid is for."),
    )
    own_part = forms.CharField(
        label=_("What the patient and relatives do themselves"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    aid_type = forms.ChoiceField(label=_("Aid"), required=False)
    duration = forms.ChoiceField(
        label=_("How long"),
        choices=[
            ("unknown", _("not known yet")),
            ("short", _("short-term (under two years)")),
            ("long", _("long-term (over two years)")),
        ],
        help_text=_("Under or over two years, as far as it is known: the agreement decides by it."),
    )
    purpose = forms.ChoiceField(
        label=_("What the aid is for"),
        required=False,
        help_text=_("In the agreement's terms: it decides who assesses, delivers and pays."),
    )
    needed_for_journey_home = forms.BooleanField(
        label=_("Needed for the journey home"), required=False
    )

    def __init__(
        self, *args: Any, aid_choices: list[tuple[str, str]], agreement: Agreement, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["aid_type"]
        field.choices = [("", _("Choose the aid")), *aid_choices]
        # The agreement says how a need is asked: by the purposes it names (N2), by how
        # long it lasts (H4), or both.
        language = current_language()
        purpose: Any = self.fields["purpose"]
        purpose.choices = [
            ("", _("Choose what the aid is for")),
            *((p.key, f"{p.text[language]} ({', '.join(p.cites)})") for p in agreement.purposes),
        ]
        if not agreement.purposes:
            del self.fields["purpose"]
        if not agreement.asks_duration:
            del self.fields["duration"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("purpose", "")
        data.setdefault("duration", "unknown")
        return data


class RelativesForm(Form):
    relatives_need_support = forms.BooleanField(
        label=_("Relatives need support or care"), required=False
    )
    minor_children = forms.BooleanField(label=_("Minor children are relatives"), required=False)
    note = forms.CharField(
        label=_("What is done for them, and who was told"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    individual_plan = forms.ChoiceField(
        label=_("Individual plan"),
        required=False,
        choices=[
            ("", _("not assessed")),
            ("not-needed", _("not needed")),
            ("requested", _("reported to the coordinating unit")),
            ("exists", _("exists")),
        ],
    )
    coordinator_needed = forms.BooleanField(
        label=_("Needs a municipal coordinator"),
        required=False,
        help_text=_("Reported to the municipality's coordinating unit, as with the plan."),
    )
    coordinator = forms.CharField(label=_("Coordinator"), max_length=200, required=False)
    responsibility_group = forms.BooleanField(label=_("Responsibility group"), required=False)


class EpisodeEndForm(Form):
    """The hospital closes an outpatient episode (R11, U1)."""

    at = when_field(_("When"))
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: treatment finished, follow-up by the GP."),
    )


# The stay's page shows these two forms' refusals as messages, not on the forms.
class LinkLoanForm(Form):
    loan = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the loan."), "invalid": _("Choose the loan.")},
    )


class CancelNeedForm(Form):
    reason = forms.CharField(
        label=_("Why is it no longer needed?"),
        max_length=500,
        error_messages={
            "required": _("Say why the need is gone."),
            "max_length": _("Say why the need is gone in at most %(limit_value)d characters."),
        },
    )
