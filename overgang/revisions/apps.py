from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisionsConfig(AppConfig):
    name = "overgang.revisions"
    verbose_name = _("Agreement revisions")
    default_auto_field = "django.db.models.BigAutoField"
