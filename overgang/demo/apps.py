from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "overgang.demo"
    verbose_name = "Demo data"
