from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisionsConfig(AppConfig):
    name = "overgang.revisions"
    verbose_name = _("Agreement revisions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from overgang.organisations import access_cache
        from overgang.revisions.published import load_approved

        # Another process's approval renews the access stamp; a request here that reads
        # the new stamp publishes the approved versions before it is answered.
        access_cache.on_new_stamp(load_approved)
