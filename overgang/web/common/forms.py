"""The base form of every page, and the pieces several features' forms share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.errors import InvalidInput
from overgang.rules.case import EARLIEST_YEAR, LATEST_YEAR

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceDateField(forms.DateField):
    """A date within the years this service can mean (as the rules take them): year 1 or
    9999 is a typing error, and near the calendar's ends time-zone arithmetic overflows."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(
                _("Give a date in the years %(earliest)s to %(latest)s."),
                params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
            )


# A posted institution that the list of the user's region does not hold (another region's,
# or none at all): refused on the field, nothing saved.
OUTSIDE_REGION = _("Choose the institution from the list: it holds those of your region.")


class Form(forms.Form):
    """Our forms: labels without the trailing colon (they stand above their fields), and a
    writer's InvalidInput shown on the form's own fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_input_errors(self, error: InvalidInput) -> None:
        for field, message in error.errors.items():
            self.add_error(field if field in self.fields else None, message)

    def check_early(self, check: Callable[[], object]) -> None:
        """Run a writer's own checks while the form cleans itself, so that every problem
        shows at once; what they refuse stands on the fields that have no error yet. The
        writer checks again when it saves (through `attempt`)."""
        try:
            check()
        except InvalidInput as error:
            for field, message in error.errors.items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, message)


class ShownOnPage(forms.IntegerField):
    """The id of the object the page showed, in a hidden field. A missing or garbled one
    means the page is out of date: it cleans to None, and the writer's step answers with a
    conflict (409) rather than a form error nobody can see."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class OwnIds:
    """Several forms share one page: each names its fields' HTML ids with its own prefix
    (`id_prefix`), so labels and errors point to the right field. Field names stay plain."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def split_serials(text: str) -> list[str]:
    """Serial numbers as typed or scanned: separated by commas, spaces or new lines."""
    return [part for part in text.replace(",", " ").split() if part]
