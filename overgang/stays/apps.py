from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaysConfig(AppConfig):
    name = "overgang.stays"
    verbose_name = _("Stays")
    default_auto_field = "django.db.models.BigAutoField"
