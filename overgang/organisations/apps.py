from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "overgang.organisations"
    verbose_name = _("Organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the rules, and the signals that renew the access stamp.
        from overgang.organisations import access_cache, permissions  # noqa: F401
