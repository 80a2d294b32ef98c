from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaysConfig(AppConfig):
    name = "overgang.stays"
    verbose_name = _("Stays")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the staff-training page's permission (the menu asks it).
        from overgang.stays import permissions  # noqa: F401
