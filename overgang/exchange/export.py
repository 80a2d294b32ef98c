"""`overgang messages export --stay ID DIR`: the documents of a stay's messages as files."""

from __future__ import annotations

from pathlib import Path

from overgang.exchange.models import Outcome, Received
from overgang.stays.models import Stay

SUFFIX = {"application/fhir+json": ".json", "application/json": ".json"}


def export_stay(stay_id: int, folder: Path) -> list[Path]:
    """Write each message document the stay has, in the order they arrived; the files are
    named by order and message id, so that importing the folder replays the stay."""
    if not Stay.objects.filter(pk=stay_id).exists():
        raise LookupError(f"no stay {stay_id}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    rows = Received.objects.filter(stay_id=stay_id, outcome=Outcome.ACCEPTED).order_by(
        "received_at", "id"
    )
    for number, row in enumerate(rows, start=1):
        name = "".join(c for c in row.message_id if c.isalnum() or c in "-_.")[:80] or "message"
        path = folder / f"{number:04d}-{name}{SUFFIX.get(row.content_type, '.xml')}"
        path.write_bytes(bytes(row.document))
        written.append(path)
    return written
