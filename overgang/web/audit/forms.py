"""The access log's filter: by employee, organisation, day and purpose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from overgang.audit.models import ReadPurpose
from overgang.organisations.models import Organisation
from overgang.patients.access_log import ReadFilter
from overgang.web.common.forms import DATE, Form

EVERYONE = [("", _("Everyone"))]
EVERY_PURPOSE = [("", _("Every purpose"))]


class ReadFilterForm(Form):
    user = forms.ChoiceField(label=_("Employee"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[*EVERY_PURPOSE, *ReadPurpose.choices]
    )

    def __init__(
        self, *args: Any, readers: list[User], organisations: list[Organisation], **kwargs: Any
    ) -> None:
        """`readers` and `organisations`: those the patient's log names, to choose from."""
        super().__init__(*args, **kwargs)
        user: Any = self.fields["user"]
        user.choices = [
            *EVERYONE,
            *((u.username, f"{u.get_full_name() or u.username} ({u.username})") for u in readers),
        ]
        organisation: Any = self.fields["organisation"]
        organisation.choices = [*EVERYONE, *((o.key, o.name) for o in organisations)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day cannot be before the first."))
        return data

    def shown(self) -> ReadFilter:
        """The filter the form says (call after is_valid)."""
        data = self.cleaned_data
        return ReadFilter(
            user=data.get("user") or "",
            organisation=data.get("organisation") or "",
            since=data.get("since"),
            until=data.get("until"),
            purpose=data.get("purpose") or "",
        )
