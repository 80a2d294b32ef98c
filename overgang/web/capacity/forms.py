"""The capacity overview's filter: which agreement, which aid type, in which order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.aids.models import AidType

# The sortable columns: the query's name → the row's attribute.
SORTS = {
    "unit": "owner",
    "type": "aid_type",
    "available": "available",
    "on-loan": "on_loan",
    "reprocessing": "reprocessing",
    "in-repair": "in_repair",
    "minimum": "minimum",
}


class CapacityFilter(forms.Form):
    agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    aid_type = forms.ModelChoiceField(
        label=_("Aid type"),
        queryset=AidType.objects.order_by("slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("All aid types"),
    )
    below = forms.BooleanField(label=_("Only below the minimum"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", "")] + [(k, k) for k in SORTS] + [(f"-{k}", f"-{k}") for k in SORTS],
    )

    def __init__(self, *args: Any, agreements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = self.fields["agreement"]
        assert isinstance(agreement, forms.ChoiceField)
        agreement.choices = agreements
