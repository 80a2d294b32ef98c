from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidsConfig(AppConfig):
    name = "overgang.aids"
    verbose_name = _("Aids")
    default_auto_field = "django.db.models.BigAutoField"
