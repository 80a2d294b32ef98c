"""`overgang messages export --stay ID DIR`: the documents of a stay's messages as files, in
the order they were sent or received, so that importing the folder replays the stay."""

from __future__ import annotations

import datetime
from pathlib import Path

from overgang.exchange.models import Delivery, Outcome, Received
from overgang.stays.models import Stay

SUFFIX = {"application/fhir+json": ".json", "application/json": ".json"}


def documents_of(stay_id: int) -> list[tuple[datetime.datetime, str, str, bytes]]:
    """(time, message id, content type, document) of every message of the stay."""
    received = [
        (row.received_at, row.message_id, row.content_type, bytes(row.document))
        for row in Received.objects.filter(stay_id=stay_id, outcome=Outcome.ACCEPTED)
        .exclude(standard="apprec")
        .order_by("received_at", "id")
    ]
    sent = [
        (d.created_at, str(d.message.message_id), d.content_type, bytes(d.document or b""))
        for d in Delivery.objects.filter(stay_id=stay_id, document__isnull=False)
        .select_related("message")
        .order_by("id")
    ]
    return sorted([*received, *sent], key=lambda found: found[0])


def file_name_part(message_id: str) -> str:
    """A message id as it may stand in a file name: letters, digits, "-", "_", "."."""
    return "".join(c for c in message_id if c.isalnum() or c in "-_.")[:80]


def export_stay(stay_id: int, folder: Path) -> list[Path]:
    if not Stay.objects.filter(pk=stay_id).exists():
        raise LookupError(f"no stay {stay_id}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (_at, message_id, kind, body) in enumerate(documents_of(stay_id), start=1):
        name = file_name_part(message_id) or "message"
        path = folder / f"{number:04d}-{name}{SUFFIX.get(kind, '.xml')}"
        path.write_bytes(body)
        written.append(path)
    return written
