"""The outbox: every message a user sends on a stay leaves as its standard document, at least
once and in order per stay, through a folder (OVERGANG_OUTBOX_DIR) or HTTP POST
(OVERGANG_OUTBOX_URL). The worker delivers what is due and retries with backoff."""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, system_actor
from overgang.audit.models import ChangeAction
from overgang.errors import InvalidInput
from overgang.exchange.documents import NotSendable, document_for
from overgang.exchange.models import Delivery, DeliveryState
from overgang.messages import InvalidOutgoing
from overgang.stays.models import Message

log = logging.getLogger(__name__)

DELIVERY_FIELDS = ("state", "problem", "attempts", "next_attempt_at", "delivered_at")
LONGEST_WAIT = datetime.timedelta(hours=6)
HTTP_TIMEOUT_SECONDS = 10


def enqueue(message: Message, **signal: Any) -> Delivery:
    """The message's document, queued (or why it is not sent). A document that would not be
    valid refuses the recording, naming the reason."""
    try:
        document = document_for(message)
    except NotSendable as reason:
        delivery = Delivery.objects.create(
            message=message, stay=message.stay, state=DeliveryState.NOT_SENT, problem=str(reason)
        )
    except InvalidOutgoing as error:
        raise InvalidInput(
            {"message": _("The message would not be valid: %(reason)s") % {"reason": error}}
        ) from None
    else:
        delivery = Delivery.objects.create(
            message=message,
            stay=message.stay,
            document=document.body,
            content_type=document.content_type,
            next_attempt_at=clock.now(),
        )
    record_change(delivery, actor=message.recorded_by, action=ChangeAction.CREATED)
    return delivery


def deliver_due(now: datetime.datetime | None = None, *, limit: int = 200) -> int:
    """Deliver what is due, oldest first; a stay's later message waits for its earlier ones.
    Returns how many were delivered."""
    now = now or clock.now()
    delivered = 0
    waiting_stays: set[int] = set()
    queued = Delivery.objects.filter(state=DeliveryState.QUEUED).order_by("id")
    for candidate in queued.only("id", "stay_id", "next_attempt_at")[: limit * 5]:
        if candidate.stay_id in waiting_stays:
            continue
        due = candidate.next_attempt_at is None or candidate.next_attempt_at <= now
        if not due or not _deliver(candidate.pk, now):
            waiting_stays.add(candidate.stay_id)
            continue
        delivered += 1
        if delivered >= limit:
            break
    return delivered


def _deliver(pk: int, now: datetime.datetime) -> bool:
    """One attempt, on the locked row (another worker skips it)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("message")
            .filter(pk=pk, state=DeliveryState.QUEUED)
            .first()
        )
        if delivery is None:
            return False
        try:
            _send(delivery)
        except OSError as error:
            attempts = delivery.attempts + 1
            wait = min(datetime.timedelta(minutes=2 ** min(attempts, 10)), LONGEST_WAIT)
            log.warning("outbox: message %s not delivered: %s", delivery.message_id, error)
            save_changed(
                delivery,
                DELIVERY_FIELDS,
                {"attempts": attempts, "next_attempt_at": now + wait, "problem": str(error)},
                actor=system_actor(),
            )
            return False
        save_changed(
            delivery,
            DELIVERY_FIELDS,
            {
                "state": DeliveryState.DELIVERED,
                "attempts": delivery.attempts + 1,
                "delivered_at": now,
                "next_attempt_at": None,
                "problem": "",
            },
            actor=system_actor(),
        )
        return True


def _send(delivery: Delivery) -> None:
    body = bytes(delivery.document or b"")
    name = f"{delivery.created_at:%Y%m%dT%H%M%S}-{delivery.pk:08d}-{delivery.message.message_id}"
    if settings.OUTBOX_URL:
        request = urllib.request.Request(
            settings.OUTBOX_URL,
            data=body,
            method="POST",
            headers={"Content-Type": delivery.content_type, "X-Overgang-Message": name},
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                if not 200 <= response.status < 300:
                    raise OSError(f"HTTP {response.status}")
        except urllib.error.HTTPError as error:
            raise OSError(f"HTTP {error.code}") from None
        except urllib.error.URLError as error:
            raise OSError(str(error.reason)) from None
    if settings.OUTBOX_DIR:
        folder = Path(settings.OUTBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".json" if delivery.content_type.endswith("json") else ".xml"
        # Whole files only: the engine never sees one half written.
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
            part.write(body)
        os.replace(part.name, folder / f"{name}{suffix}")


def receipt_overdue(delivery: Delivery, now: datetime.datetime | None = None) -> bool:
    """Delivered, and no receipt within the time a receiver's system has to answer."""
    if delivery.state != DeliveryState.DELIVERED or delivery.delivered_at is None:
        return False
    wait = datetime.timedelta(minutes=settings.RECEIPT_WAIT_MINUTES)
    return delivery.message.receipt == "pending" and delivery.delivered_at + wait < (
        now or clock.now()
    )
