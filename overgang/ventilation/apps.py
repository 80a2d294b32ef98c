from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VentilationConfig(AppConfig):
    name = "overgang.ventilation"
    verbose_name = _("Home ventilation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The stays tell what happened (a home-ventilator need, a discharge) without
        # knowing this app; the receivers invite the municipality and open the follow-up.
        from overgang.ventilation import receivers  # noqa: F401
