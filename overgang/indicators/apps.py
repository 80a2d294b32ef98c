from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "overgang.indicators"
    label = "indicators"
    verbose_name = "Indicators"
