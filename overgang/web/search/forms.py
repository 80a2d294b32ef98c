"""The header's search box: one field, read by overgang.patients.names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.patients.names import Query, parse
from overgang.web.common.forms import Form

LONGEST_SEARCH = 100

# What cannot be searched for, and what the person is told (see names.parse's problems).
PROBLEMS = {
    "empty": _(
        "Type a name, a date of birth, a national identity number, a serial number or a number."
    ),
    "bad-date": _("There is no such date. Write a date of birth as 02.03.1955 or 1955-03-02."),
    "nothing-to-search": _(
        "Type letters or digits: a name, a date of birth, a national identity number, "
        "a serial number or a number."
    ),
}


class SearchForm(Form):
    q = forms.CharField(
        label=_("Search patients, devices, requisitions and stays"),
        max_length=LONGEST_SEARCH,
        error_messages={"required": PROBLEMS["empty"]},
    )

    def clean_q(self) -> Query:
        query = parse(self.cleaned_data["q"])
        # Too many digits for a national ID is no error: a serial number may be that long.
        if query.problem in PROBLEMS:
            raise forms.ValidationError(PROBLEMS[query.problem], code=query.problem)
        return query
