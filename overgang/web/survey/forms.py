from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy

from overgang.survey.models import Reply
from overgang.web.common.forms import Form

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _question(label: StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Reply.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose an answer.")},
    )


class AnswerForm(Form):
    delivered_on_time = _question(gettext_lazy("Did you get the aid when you needed it?"))
    instruction_given = _question(gettext_lazy("Were you shown how to use it?"))
    works = _question(gettext_lazy("Does it work as it should?"))
