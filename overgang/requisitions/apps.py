from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequisitionsConfig(AppConfig):
    name = "overgang.requisitions"
    verbose_name = _("Requisitions")
    default_auto_field = "django.db.models.BigAutoField"
