from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Standard messages in and out: PLO (Norway) and MedCom (Denmark)."""

    name = "overgang.exchange"
    verbose_name = _("Message exchange")
    default_auto_field = "django.db.models.BigAutoField"
