"""The organisation register's search form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.organisations.models import Country, Kind
from overgang.web.common.forms import Form


class OrganisationSearchForm(Form):
    q = forms.CharField(label=_("Name, number or HER/SOR-id"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("Both countries")), *Country.choices], required=False
    )
