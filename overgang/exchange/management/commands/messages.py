"""`overgang messages import [--dry-run] [--receipts DIR] PATH...` and
`overgang messages export --stay ID DIR` (docs/contracts/messages.md).

Import prints one JSON line per message; exit 0 when every one is accepted or a duplicate,
1 when any is rejected, 2 for a usage error."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from overgang.audit.channel import channel
from overgang.audit.history import log_reads, system_actor
from overgang.audit.models import ReadPurpose
from overgang.exchange.actions import receive
from overgang.exchange.export import export_stay, file_name_part
from overgang.stays.models import Stay

SUFFIXES = {".xml": "application/xml", ".json": "application/fhir+json"}


class Command(BaseCommand):
    help = "Receive standard messages (PLO, MedCom) from files, and export a stay's messages."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importing = sub.add_parser("import", help="receive messages from files or folders")
        importing.add_argument("paths", nargs="+", help="files, folders (recursively), or -")
        importing.add_argument("--dry-run", action="store_true", help="check, change nothing")
        importing.add_argument(
            "--receipts", default="var/receipts", help="where receipts are written"
        )
        exporting = sub.add_parser("export", help="write a stay's messages to a folder")
        exporting.add_argument("--stay", type=int, required=True, help="the stay's number")
        exporting.add_argument("folder", help="where the documents are written")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["stay"], Path(options["folder"]))
            return
        receipts = Path(options["receipts"])
        sources = list(_sources(options["paths"]))
        missing = [s for s, body in sources if body is None]
        if missing:
            self._fail(f"paths: cannot read {', '.join(missing)}")
        if not options["dry_run"]:
            try:
                receipts.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self._fail(f"--receipts: cannot create {receipts}: {error.strerror}")
        actor = system_actor()
        rejected = False
        for source, body in sources:
            assert body is not None
            result = receive(
                body,
                content_type=_content_type(source, body),
                actor=actor,
                source=source,
                dry_run=options["dry_run"],
            )
            if result.receipt_body is not None and not options["dry_run"]:
                number = result.received.pk if result.received else 0
                name = f"{file_name_part(result.message_id) or 'unreadable'}-{number}"
                path = receipts / f"receipt-{name}.xml"
                path.write_bytes(result.receipt_body)
                result.receipt = str(path)
            rejected = rejected or result.status == "rejected"
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        if rejected:
            raise SystemExit(1)

    def _export(self, stay: int, folder: Path) -> None:
        with channel("command:messages export"):
            try:
                written = export_stay(stay, folder)
            except LookupError as error:
                self._fail(f"--stay: {error}")
            except OSError as error:
                self._fail(f"folder: cannot write {folder}: {error.strerror}")
            # The files hold who the patient is: the export is a read, by the system.
            patient = Stay.objects.filter(pk=stay).values_list("patient", flat=True).get()
            log_reads(
                [patient],
                user=system_actor(),
                purpose=ReadPurpose.EXPORT,
                what=f"stay {stay}: {len(written)} messages to {folder.name}",
            )
        for path in written:
            self.stdout.write(str(path))

    def _fail(self, message: str) -> Any:
        sys.stderr.write(message + "\n")
        raise SystemExit(2)


def _sources(paths: list[str]) -> Iterator[tuple[str, bytes | None]]:
    for name in paths:
        if name == "-":
            yield "-", sys.stdin.buffer.read()
            continue
        path = Path(name)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                yield str(found), found.read_bytes()
        elif path.is_file():
            yield str(path), path.read_bytes()
        else:
            yield str(path), None


def _content_type(source: str, body: bytes) -> str:
    suffix = Path(source).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    return "application/fhir+json" if body.lstrip()[:1] == b"{" else "application/xml"
