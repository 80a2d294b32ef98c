from django import forms
from django.utils.translation import gettext_lazy as _

from overgang.web.common.forms import Form


class LiftForm(Form):
    """Which pause to lift: an account by its username, or an address."""

    kind = forms.ChoiceField(
        label=_("What is paused"), choices=[("account", _("account")), ("address", _("address"))]
    )
    who = forms.CharField(label=_("Account or address"), max_length=255)
