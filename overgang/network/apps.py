from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "overgang.network"
    verbose_name = _("Network group")
    default_auto_field = "django.db.models.BigAutoField"
