from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "overgang.web"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from overgang.web.converters import SerialConverter
        from overgang.web.security.sessions import stamp_login
        from overgang.web.sso.checks import roles_are_the_apps

        user_logged_in.connect(stamp_login, dispatch_uid="overgang-session-clocks")

        # Before any URL module is read: the devices' addresses use it (<serial:serial>).
        register_converter(SerialConverter, "serial")
        checks.register(roles_are_the_apps)
