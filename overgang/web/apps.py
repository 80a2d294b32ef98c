from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "overgang.web"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from overgang.web.converters import SerialConverter

        # Before any URL module is read: the devices' addresses use it (<serial:serial>).
        register_converter(SerialConverter, "serial")
