from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Standard messages in and out: PLO (Norway) and MedCom (Denmark)."""

    name = "overgang.exchange"
    verbose_name = _("Message exchange")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What a user sends on a stay goes out as its standard document.
        from overgang.exchange.outbox import enqueue
        from overgang.stays.models import Message
        from overgang.stays.signals import message_sent

        message_sent.connect(enqueue, sender=Message, dispatch_uid="exchange-outbox")
